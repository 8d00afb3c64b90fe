import { dummyPlugin, type ProviderDriver, type ProviderPlugin } from '@overmind/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OvermindEvent } from '../src/modules/events/event-bus.js';
import { expectProblem } from './support/api-routes.js';
import { createDummyProvider, createTestApp, eventually, waitForJob, type TestApp } from './support/test-app.js';

/** A provider type that can create and destroy but not power-cycle, to check capability gating. */
const limitedPlugin: ProviderPlugin<any, any> = {
  ...dummyPlugin,
  kind: 'limited',
  displayName: 'Limited',
  capabilities: ['createNode', 'destroyNode', 'listNodes', 'listImages', 'listSizes', 'listLocations'],
  createDriver(config) {
    const driver = dummyPlugin.createDriver(config);
    return {
      validateCredentials: driver.validateCredentials.bind(driver),
      listNodes: driver.listNodes!.bind(driver),
      getNode: driver.getNode!.bind(driver),
      createNode: driver.createNode!.bind(driver),
      destroyNode: driver.destroyNode!.bind(driver),
      listImages: driver.listImages!.bind(driver),
      listSizes: driver.listSizes!.bind(driver),
      listLocations: driver.listLocations!.bind(driver),
    } satisfies ProviderDriver;
  },
};

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ plugins: [limitedPlugin] });
});
afterAll(() => t?.close());

async function create(providerId: string, name: string) {
  const res = await t.request('operator', {
    method: 'POST',
    url: '/api/v1/nodes',
    payload: { providerId, name, imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' },
  });
  expect(res.statusCode, res.body).toBe(202);
  return res.json() as { id: string; targetId: string };
}

const logLines = async (jobId: string) =>
  ((await t.request('observer', { method: 'GET', url: `/api/v1/jobs/${jobId}/logs` })).json().items as { line: string; level: string }[]);

describe('jobs', () => {
  it('answers an action with the job as stored, the columns Postgres fills included', async () => {
    const { id: providerId } = await createDummyProvider(t);
    const answered = (await create(providerId, 'answered-1')) as unknown as Record<string, unknown>;
    const stored = (await t.request('observer', { method: 'GET', url: `/api/v1/jobs/${answered.id}` })).json();
    expect(Date.parse(answered.createdAt as string)).toBe(Date.parse(stored.createdAt));
    expect(answered).toMatchObject({ id: stored.id, type: 'node.create', targetId: stored.targetId, maxAttempts: stored.maxAttempts, attempts: 0 });
  });

  it('retries transient provider failures with backoff, then succeeds', async () => {
    const { id: providerId } = await createDummyProvider(t, { failFirstCalls: 2 });
    const job = await create(providerId, 'flaky-1');
    const done = await waitForJob(t, job.id);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 3, maxAttempts: 3, error: null });
    const lines = await logLines(job.id);
    const retries = lines.filter((l) => /attempt \d failed: Dummy provider: simulated transient failure; retrying in/.test(l.line));
    expect(retries.map((l) => l.level)).toEqual(['warn', 'warn']);
    const node = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${job.targetId}` })).json();
    expect(node.state).toBe('running');
  });

  it('fails after the last attempt and marks the node as error', async () => {
    const { id: providerId } = await createDummyProvider(t, { failureRate: 1 });
    const job = await create(providerId, 'doomed-1');
    const done = await waitForJob(t, job.id);
    expect(done).toMatchObject({ state: 'failed', attempts: 3, error: 'Dummy provider: simulated transient failure' });
    expect((await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${job.targetId}` })).json().state).toBe('error');
    const failed = (await t.request('observer', { method: 'GET', url: `/api/v1/jobs?state=failed&target=${job.targetId}` })).json();
    expect(failed.items.map((j: { id: string }) => j.id)).toEqual([job.id]);
  });

  it('does not retry an error the provider says is permanent', async () => {
    const { id: providerId } = await createDummyProvider(t);
    const node = await create(providerId, 'stopped-1');
    await waitForJob(t, node.id);
    const stop = (await t.request('operator', { method: 'POST', url: `/api/v1/nodes/${node.targetId}/stop` })).json();
    await waitForJob(t, stop.id);
    // Make the provider refuse the next reboot: it cannot reboot a stopped node.
    const reboot = await t.request('operator', { method: 'POST', url: `/api/v1/nodes/${node.targetId}/reboot` });
    const done = await waitForJob(t, reboot.json().id);
    expect(done).toMatchObject({ state: 'failed', attempts: 1 });
    expect(done.error).toMatch(/is stopped; cannot go rebooting/);
    // The node shows what the provider says, not the hoped-for state.
    expect((await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${node.targetId}` })).json().state).toBe('stopped');
  });

  it('answers 409 for an action the provider type cannot do, and queues nothing', async () => {
    const res = await t.request('operator', {
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name: 'limited-1', type: 'limited', credentials: { apiKey: 'k' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const providerId = res.json().id;
    await eventually(async () => ((await t.request('observer', { method: 'GET', url: `/api/v1/providers/${providerId}` })).json().catalogRefreshedAt ? true : undefined));
    const job = await create(providerId, 'limited-node');
    await waitForJob(t, job.id);
    for (const action of ['reboot', 'start', 'stop']) {
      const r = await t.request('operator', { method: 'POST', url: `/api/v1/nodes/${job.targetId}/${action}` });
      expect(r.statusCode).toBe(409);
      expect(r.json().detail).toBe(`Limited providers cannot ${action} nodes`);
    }
    const jobs = (await t.request('observer', { method: 'GET', url: `/api/v1/jobs?target=${job.targetId}` })).json();
    expect(jobs.total).toBe(1);
  });

  it('pages a long log from its start, from its end, and back from the end', async () => {
    const { id: providerId } = await createDummyProvider(t);
    const job = await create(providerId, 'chatty-1');
    await waitForJob(t, job.id);
    const own = (await logLines(job.id)).length;
    // A long run's output, after the lines the job wrote itself.
    await t.app.db.query(`INSERT INTO job_logs (job_id, line) SELECT $1, 'out ' || i FROM generate_series(1, 2500) i`, [job.id]);
    const page = async (query: string) => (await t.request('observer', { method: 'GET', url: `/api/v1/jobs/${job.id}/logs?${query}` })).json();
    const text = (p: { items: { line: string }[] }) => p.items.map((l) => l.line);

    const first = await page('');
    expect(first.total).toBe(own + 2500);
    expect(first.items).toHaveLength(1000);
    expect(text(first)[own]).toBe('out 1');

    const last = await page('tail=true');
    expect(text(last)).toEqual(Array.from({ length: 1000 }, (_, i) => `out ${1501 + i}`));
    const earlier = await page(`tail=true&before=${last.items[0].id}&limit=500`);
    expect(text(earlier)).toEqual(Array.from({ length: 500 }, (_, i) => `out ${1001 + i}`));
    expect((await page(`after=${last.items.at(-1).id}`)).items).toEqual([]);
    expect((await page(`after=${earlier.items.at(-1).id}&limit=2`)).items.map((l: { line: string }) => l.line)).toEqual(['out 1501', 'out 1502']);
    expectProblem(await t.request('observer', { method: 'GET', url: `/api/v1/jobs/${job.id}/logs?before=0` }), 400);
  });

  it('lists jobs by target, newest first', async () => {
    const { id: providerId } = await createDummyProvider(t);
    const node = await create(providerId, 'history-1');
    await waitForJob(t, node.id);
    const reboot = (await t.request('operator', { method: 'POST', url: `/api/v1/nodes/${node.targetId}/reboot` })).json();
    await waitForJob(t, reboot.id);
    const page = (await t.request('observer', { method: 'GET', url: `/api/v1/jobs?target=${node.targetId}` })).json();
    expect(page.items.map((j: { type: string }) => j.type)).toEqual(['node.reboot', 'node.create']);
  });
});

describe('cancelling', () => {
  let q: TestApp;
  beforeAll(async () => {
    // An API without workers: jobs stay queued until cancelled.
    q = await createTestApp({ worker: false });
  });
  afterAll(() => q?.close());

  it('cancels a queued create: the node is recorded as never made, and a second cancel is refused', async () => {
    const provider = (await q.request('operator', {
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name: 'p', type: 'dummy', credentials: { apiKey: 'k' } },
    })).json();
    const res = await q.request('operator', {
      method: 'POST',
      url: '/api/v1/nodes',
      payload: { providerId: provider.id, name: 'never', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' },
    });
    const job = res.json();
    const seen: OvermindEvent[] = [];
    const unsubscribe = q.app.events.subscribe((e) => seen.push(e));
    const cancel = await q.request('operator', { method: 'POST', url: `/api/v1/jobs/${job.id}/cancel` });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toMatchObject({ state: 'cancelled' });
    const node = (await q.request('observer', { method: 'GET', url: `/api/v1/nodes/${job.targetId}` })).json();
    expect(node.state).toBe('terminated');
    // Every console hears of both: the job cancelled, the node gone.
    await eventually(async () => (seen.some((e) => e.type === 'node' && e.id === job.targetId) ? true : undefined), 5000, 'node event');
    unsubscribe();
    expect(seen).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'job', id: job.id, state: 'cancelled' }),
      expect.objectContaining({ type: 'node', id: job.targetId, name: 'never', state: 'terminated', gone: true }),
    ]));
    const again = await q.request('operator', { method: 'POST', url: `/api/v1/jobs/${job.id}/cancel` });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/is cancelled; only jobs that have not started, or that agents are running, can be cancelled/);
    const audit = (await q.request('admin', { method: 'GET', url: `/api/v1/audit-events?action=job.cancel` })).json();
    expect(audit.items[0]).toMatchObject({ targetId: job.id, actorName: 'operator' });
  });

  it('refuses to let an observer cancel', async () => {
    const res = await q.request('observer', { method: 'POST', url: `/api/v1/jobs/${crypto.randomUUID()}/cancel` });
    expect(res.statusCode).toBe(403);
  });
});
