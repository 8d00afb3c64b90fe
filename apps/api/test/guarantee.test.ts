/**
 * The service guarantee on the dummy provider: a member failed by the dummy's failure injection is
 * rebooted back; a member whose check fails climbs its ladder to a replacement; a flapping member
 * trips the circuit breaker (an alert) until it is reset; and reconcilers running side by side never
 * remediate a member twice, shown by what each saw of the other (the lock, the step in flight).
 */
import { dummyStore } from '@overmind/provider';
import type { CheckResult } from '@overmind/agent-protocol';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuaranteeReconciler, GUARANTEE_LOCK_KEY, type PassResult } from '../src/modules/constellations/guarantee-reconciler.js';
import { createGuaranteeSteps } from '../src/modules/constellations/guarantee-steps.js';
import { expectProblem } from './support/api-routes.js';
import { createDummyProvider, createTestApp, eventually, waitForJob, type TestApp } from './support/test-app.js';

let t: TestApp;
let providerId: string;
const WAIT_MS = 120_000;

beforeAll(async () => {
  t = await createTestApp({ env: { OVERMIND_GUARANTEE_PASS_SECONDS: '0.5' } });
  providerId = (await createDummyProvider(t)).id;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const ok = async (method: 'GET' | 'POST', url: string, payload?: unknown, status = 200) => {
  const res = await t.request('operator', { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }) });
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
};
const machine = () => ({ providerId, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12' });

interface Member { key: string; nodeId: string }
interface Attempt { key: string; nodeId: string; step: string; jobId: string | null; startedBy: string; startedAt: string; finishedAt: string | null; outcome: string | null; detail: string | null }
interface TierView { tier: string; breaker: string; alertId: string | null; members: (Member & { status: string })[]; attempts: Attempt[] }

/** Creates and applies a one-tier constellation; returns its id and members. */
async function constellation(name: string, count: number, health: Record<string, unknown>, balancer?: Record<string, unknown>) {
  const c = await ok('POST', '/constellations', { name, tiers: [{ name: 'web', machine: machine(), count, health, ...(balancer ? { balancer } : {}) }] }, 201);
  const job = await waitForJob(t, (await ok('POST', `/constellations/${c.id}/apply`, undefined, 202)).id, WAIT_MS);
  expect(job.state, job.error).toBe('succeeded');
  const view = await ok('GET', `/constellations/${c.id}`);
  return { id: c.id as string, members: view.tiers[0].members as Member[] };
}
const tierOf = async (id: string): Promise<TierView> => (await ok('GET', `/constellations/${id}/guarantee`)).tiers[0];

async function failingCheck(nodeId: string): Promise<string> {
  // A long interval: the node never goes stale during the test, its health is what the results say.
  const check = await ok('POST', '/checks', { name: `http ${nodeId.slice(0, 8)}`, command: 'check_http', intervalSeconds: 3600, timeoutSeconds: 10, scope: { kind: 'node', nodeId } }, 201);
  return check.id;
}
const report = (nodeId: string, checkId: string, state: number) => {
  const result: CheckResult = { checkId, state, output: state === 0 ? 'HTTP OK' : 'CRITICAL - connection refused', longOutput: '', perfdata: [], durationMs: 5, at: new Date().toISOString() };
  return t.app.services.checkResults.ingest(nodeId, [result]);
};
const providerNodeId = async (nodeId: string): Promise<string> => (await ok('GET', `/nodes/${nodeId}`)).providerNodeId;

describe('service guarantee', () => {
  it('reboots a member the dummy failure injection hung, after its grace period, and records the step as a job, an event and an audit entry', async () => {
    const { id, members } = await constellation('hung', 2, { gracePeriodSeconds: 2, remediation: ['reboot', 'replace'], settleSeconds: 60, backoffSeconds: 1 });
    const victim = members[0]!;
    expect(dummyStore(providerId).fail(await providerNodeId(victim.nodeId))).toBe(true);
    const failedAt = Date.now();
    await waitForJob(t, (await ok('POST', `/providers/${providerId}/sync`, undefined, 202)).id);
    expect((await ok('GET', `/nodes/${victim.nodeId}`)).state).toBe('error');

    const attempt = await eventually(async () => (await tierOf(id)).attempts.find((a) => a.outcome === 'recovered'), WAIT_MS, 'the reboot to bring web-1 back');
    expect(attempt).toMatchObject({ key: victim.key, nodeId: victim.nodeId, step: 'reboot' });
    expect(Date.parse(attempt.startedAt) - failedAt).toBeGreaterThanOrEqual(2000); // not before the grace period
    const job = await ok('GET', `/jobs/${attempt.jobId}`);
    expect(job).toMatchObject({ type: 'node.reboot', targetId: victim.nodeId, state: 'succeeded' });
    expect((await ok('GET', `/nodes/${victim.nodeId}`)).state).toBe('running');
    const tier = await tierOf(id);
    expect(tier.attempts).toHaveLength(1); // the healthy member was left alone
    expect(tier.members.map((m) => m.status)).toEqual(['healthy', 'healthy']);
    const audit = (await t.request('admin', { method: 'GET', url: `/api/v1/audit-events?action=constellation.remediate&targetId=${id}` })).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ key: victim.key, step: 'reboot', jobId: attempt.jobId });
  });

  it('climbs the ladder when a check keeps failing and replaces the member within 90 s after its grace period, swapping it in the balancer', async () => {
    const grace = 3;
    const { id, members } = await constellation('sick', 2, { gracePeriodSeconds: grace, maxUnavailable: 1, remediation: ['reboot', 'replace'], settleSeconds: 3, backoffSeconds: 1 }, { name: 'sick-lb', port: 8080, protocol: 'http' });
    const balancerKeys = async () => ((await ok('GET', `/constellations/${id}`)).tiers[0].balancer.members as { key: string }[]).map((m) => m.key).sort();
    expect(await balancerKeys()).toEqual(['web-1', 'web-2']);
    const [victim, other] = members as [Member, Member];
    const check = await failingCheck(victim.nodeId);
    await report(victim.nodeId, check, 2);
    const graceOver = Date.now() + grace * 1000;

    const replaced = await eventually(async () => (await tierOf(id)).attempts.find((a) => a.step === 'replace' && a.outcome), WAIT_MS, 'the replacement of web-1');
    const doneAt = Date.now();
    expect(replaced.outcome, replaced.detail ?? '').toBe('replaced');
    expect(doneAt - graceOver).toBeLessThan(90_000);
    const tier = await tierOf(id);
    // Newest first: the reboot did not help (the check still failed), then the replace.
    expect(tier.attempts.map((a) => `${a.key} ${a.step} ${a.outcome}`)).toEqual(['web-1 replace replaced', 'web-1 reboot ineffective']);
    expect((await ok('GET', `/jobs/${replaced.jobId}`))).toMatchObject({ type: 'constellation.replace', state: 'succeeded' });
    // A new member under a fresh key; the old node destroyed; the other member untouched.
    const view = await ok('GET', `/constellations/${id}`);
    expect(view.tiers[0].members.map((m: Member) => m.key)).toEqual(['web-2', 'web-3']);
    expect(view.tiers[0].members[0].nodeId).toBe(other.nodeId);
    expect((await ok('GET', `/nodes/${victim.nodeId}`)).destroyedAt).not.toBeNull();
    expect(tier.members.map((m) => m.status)).toEqual(['healthy', 'healthy']);
    // The balancer holds the new member, not the old one, and drained the old one before its node went.
    expect(await balancerKeys()).toEqual(['web-2', 'web-3']);
    const log = (await t.request('operator', { method: 'GET', url: `/api/v1/jobs/${replaced.jobId}/logs?limit=5000` })).json().items.map((l: { line: string }) => l.line) as string[];
    const drained = log.findIndex((l) => l.includes('draining out of balancer sick-lb'));
    const joined = log.findIndex((l) => l.includes('joining balancer sick-lb'));
    expect(joined, log.join('\n')).toBeGreaterThanOrEqual(0);
    expect(drained, log.join('\n')).toBeGreaterThan(joined);
    // Nothing left for an apply to do: the count is met and the balancer holds every member.
    const plan = await ok('POST', `/constellations/${id}/plan`);
    expect(plan.summary).toMatchObject({ create: 0, destroy: 0, replace: 0 });
    expect(plan.balancers[0]).toMatchObject({ action: 'keep', members: ['web-2', 'web-3'], attach: [], detach: [] });
  });

  it('trips the circuit breaker on a flapping member, alerts, stops remediating until reset', async () => {
    const { id, members } = await constellation('flap', 1, { gracePeriodSeconds: 0, remediation: ['reboot'], settleSeconds: 60, backoffSeconds: 1, breakerFailures: 3 });
    const member = members[0]!;
    const check = await failingCheck(member.nodeId);
    // Each round: the check fails, a reboot is done, the member reports healthy (recovered), then fails again.
    for (let round = 1; round <= 3; round++) {
      await report(member.nodeId, check, 2);
      const attempt = await eventually(async () => {
        const a = (await tierOf(id)).attempts.filter((x) => x.step === 'reboot');
        return a.length === round && a[0]!.jobId && (await ok('GET', `/jobs/${a[0]!.jobId}`)).state === 'succeeded' ? a[0] : undefined;
      }, WAIT_MS, `reboot ${round}`);
      await report(member.nodeId, check, 0);
      await eventually(async () => ((await tierOf(id)).attempts.find((a) => a.jobId === attempt!.jobId)?.outcome === 'recovered' ? true : undefined), WAIT_MS, `recovery ${round}`);
    }
    await report(member.nodeId, check, 2); // the third relapse
    const tripped = await eventually(async () => {
      const tier = await tierOf(id);
      return tier.breaker === 'open' ? tier : undefined;
    }, WAIT_MS, 'the breaker to trip');
    const alert = await ok('GET', `/alerts/${tripped.alertId}`);
    expect(alert).toMatchObject({ state: 'firing', nodeId: member.nodeId, ruleId: null });
    expect(alert.summary).toContain('flap/web');
    // Passes go on (the member is still unhealthy) but start nothing.
    const seen = (await tierOf(id)).attempts.length;
    await new Promise((r) => setTimeout(r, 4000));
    expect((await tierOf(id)).attempts).toHaveLength(seen);
    expect(seen).toBe(3);

    expectProblem(await t.request('operator', { method: 'POST', url: `/api/v1/constellations/${id}/guarantee/nope/reset` }), 404);
    expectProblem(await t.request('observer', { method: 'POST', url: `/api/v1/constellations/${id}/guarantee/web/reset` }), 403);
    const reset = await ok('POST', `/constellations/${id}/guarantee/web/reset`);
    expect(reset.tiers[0]).toMatchObject({ breaker: 'closed', alertId: null, recentFailures: 0 });
    expect((await ok('GET', `/alerts/${tripped.alertId}`)).state).toBe('resolved');
    expectProblem(await t.request('operator', { method: 'POST', url: `/api/v1/constellations/${id}/guarantee/web/reset` }), 409);
    // Remediation resumes: the member is still failing.
    await eventually(async () => ((await tierOf(id)).attempts.length === 4 ? true : undefined), WAIT_MS, 'a reboot after the reset');
  });

  it('never remediates a member twice with reconcilers side by side: each meets the lock or the step the other started', async () => {
    const { id, members } = await constellation('pair', 1, { gracePeriodSeconds: 0, remediation: ['reboot'], settleSeconds: 600, backoffSeconds: 600 });
    const member = members[0]!;
    const s = t.app.services;
    const reconciler = (name: string) => createGuaranteeReconciler({
      db: t.app.db, audit: s.audit, events: t.app.events, instance: name,
      steps: createGuaranteeSteps({ db: t.app.db, events: t.app.events, jobs: s.jobs, nodes: s.nodes, commands: s.commands }),
    });
    const a = reconciler('test-a');
    const b = reconciler('test-b');

    // A reconciler holding the lock mid-pass: both others skip their turn.
    const holder = new pg.Client({ connectionString: t.databaseUrl });
    await holder.connect();
    holder.on('error', () => {});
    await holder.query('BEGIN');
    await holder.query(`SELECT pg_advisory_xact_lock(${GUARANTEE_LOCK_KEY})`);
    const check = await failingCheck(member.nodeId);
    await report(member.nodeId, check, 2);
    expect(await a.pass()).toBeNull();
    expect(await b.pass()).toBeNull();
    // Its worker is killed: the lock goes with its connection, and the others carry on.
    const [{ pid }] = (await holder.query('SELECT pg_backend_pid() AS pid')).rows;
    const admin = new pg.Client({ connectionString: t.databaseUrl });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();

    const results: PassResult[] = [];
    for (let round = 0; round < 15; round++) {
      for (const r of await Promise.all([a.pass(), b.pass()])) if (r) results.push(r);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Side by side, one may meet the other's lock in every round on a busy machine; one pass each
    // after the other makes sure both also looked at the step in flight.
    for (const r of [await a.pass(), await b.pass()]) if (r) results.push(r);
    const attempts = (await tierOf(id)).attempts;
    expect(attempts).toHaveLength(1);
    const reboots = (await ok('GET', `/jobs?target=${member.nodeId}&limit=50`)).items.filter((j: { type: string }) => j.type === 'node.reboot');
    expect(reboots.map((j: { id: string }) => j.id)).toEqual([attempts[0]!.jobId]);
    const starter = attempts[0]!.startedBy;
    // Whoever started it (a, b, or the app's own worker), every later pass of the others saw that step in flight, started by it.
    const started = results.filter((r) => r.started.some((x) => x.jobId === attempts[0]!.jobId));
    expect(started.length).toBeLessThanOrEqual(1);
    const later = results.slice(started.length ? results.indexOf(started[0]!) + 1 : 0);
    expect(later.length).toBeGreaterThan(5);
    for (const r of later) expect(r.inFlight).toEqual(expect.arrayContaining([{ nodeId: member.nodeId, step: 'reboot', startedBy: starter }]));
    expect(new Set(later.map((r) => r.instance))).toEqual(new Set(['test-a', 'test-b']));
  });
});
