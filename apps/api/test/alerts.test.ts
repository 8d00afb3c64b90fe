/**
 * Alerts through the real app on a real Postgres: rules (CRUD, 4xx, the write-only webhook secret),
 * evaluation (a check going critical fires once and resolves when OK; a reading held over a
 * threshold for a duration; scopes), notifications (a signed webhook to a loopback receiver, retried
 * after a 500; e-mail to a loopback SMTP server), the alert list and acknowledgement.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckResult } from '@overmind/agent-protocol';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVALUATION_LOCK_KEY } from '../src/modules/alerts/alert-evaluator.js';
import type { OvermindEvent } from '../src/modules/events/event-bus.js';
import { createNode, registerProvider } from './support/provider-steps.js';
import { createTestApp, eventually, type TestApp } from './support/test-app.js';

const WEBHOOK_SECRET = 'whsec-0123456789-abcdef-alerts';
const SMTP_PASSWORD = 'smtp-pass-9f8e7d6c5b4a';

interface Delivery { signature: string; event: string; body: string }
interface Mail { from: string; to: string[]; text: string }

let t: TestApp;
let providerId: string;
let hook: Server;
let hookUrl: string;
let smtp: SMTPServer;
const deliveries: Delivery[] = [];
const mails: Mail[] = [];
/** Answers the next this-many webhook requests with 500. */
let failNext = 0;
const events: OvermindEvent[] = [];

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      deliveries.push({ signature: String(req.headers['x-overmind-signature']), event: String(req.headers['x-overmind-event']), body });
      res.statusCode = failNext-- > 0 ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/overmind?team=ops`;
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      cb(auth.username === 'alerts' && auth.password === SMTP_PASSWORD ? null : new Error('bad login'), { user: auth.username });
    },
    onData(stream, session, cb) {
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => (text += c));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), text });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  t = await createTestApp({
    env: {
      OVERMIND_ALERT_EVALUATE_SECONDS: '1',
      OVERMIND_SMTP_HOST: '127.0.0.1',
      OVERMIND_SMTP_PORT: String((smtp.server.address() as AddressInfo).port),
      OVERMIND_SMTP_TLS: 'none',
      OVERMIND_SMTP_USER: 'alerts',
      OVERMIND_SMTP_PASSWORD: SMTP_PASSWORD,
      OVERMIND_SMTP_FROM: 'overmind@example.test',
    },
  });
  t.app.events.subscribe((e) => events.push(e));
  ({ provider: { id: providerId } } = await registerProvider(t, { name: 'lab', type: 'dummy', credentials: { apiKey: 'k-lab' } }));
}, 120_000);
afterAll(async () => {
  await t?.close();
  await new Promise((r) => hook?.close(r));
  await new Promise((r) => smtp?.close(r as () => void));
});

const api = (role: 'operator' | 'observer', method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  t.request(role, { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }) });

async function newNode(name: string, tags: string[] = []): Promise<string> {
  return (await createNode(t, { providerId, name, imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1', tags })).node.id;
}

async function createRule(body: Record<string, unknown>) {
  const res = await api('operator', 'POST', '/alert-rules', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string };
}

const result = (checkId: string, state: number, output: string): CheckResult => ({ checkId, state, output, longOutput: '', perfdata: [], durationMs: 5, at: new Date().toISOString() });

/** One more evaluation of every rule, after whatever the timer is doing. */
async function evaluateNow() {
  return eventually(async () => (await t.app.services.alertEvaluator.evaluate()) ?? undefined, 10_000, 'an evaluation');
}

const alertsOf = async (query: string) => (await api('observer', 'GET', `/alerts?${query}`)).json() as { items: { id: string; state: string; nodeId: string; summary: string; acknowledgedBy: string | null }[]; total: number };
const verify = (d: Delivery) => d.signature === `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(d.body).digest('hex')}`;

describe('alert rules', () => {
  it('are written by operators, audited, never show the webhook secret, and refuse bad rules with a clear 4xx', async () => {
    const body = { name: 'disk', condition: { kind: 'reading', metric: 'fs./var.used_pct', op: 'above', threshold: 90 }, durationSeconds: 300, scope: { kind: 'tag', tag: 'db' }, webhook: { url: hookUrl, secret: WEBHOOK_SECRET } };
    const res = await api('operator', 'POST', '/alert-rules', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).not.toContain(WEBHOOK_SECRET);
    const rule = res.json();
    expect(rule).toMatchObject({ enabled: true, condition: body.condition, durationSeconds: 300, scope: body.scope, webhook: { url: hookUrl, secretSet: true }, emails: [], createdBy: t.userIds.operator });
    const [sealed] = await t.app.db.query('SELECT webhook_secret_enc FROM alert_rules WHERE id = $1', [rule.id]);
    expect(sealed.webhook_secret_enc).not.toContain(WEBHOOK_SECRET);
    expect((await api('observer', 'GET', `/alert-rules/${rule.id}`)).json()).toEqual(rule);
    expect((await api('observer', 'POST', '/alert-rules', body)).statusCode).toBe(403);

    // A new address needs the secret again; the same address keeps it.
    const moved = await api('operator', 'PATCH', `/alert-rules/${rule.id}`, { webhook: { url: 'http://127.0.0.1:9/elsewhere' } });
    expect(moved.statusCode).toBe(422);
    expect(moved.json().errors).toEqual([{ field: 'body.webhook.secret', message: 'is required when webhook.url changes' }]);
    const renamed = await api('operator', 'PATCH', `/alert-rules/${rule.id}`, { name: 'disk /var', webhook: { url: hookUrl } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'disk /var', webhook: { url: hookUrl, secretSet: true } });

    const bad = async (payload: Record<string, unknown>, status: number, field?: string) => {
      const r = await api('operator', 'POST', '/alert-rules', { ...body, ...payload });
      expect(r.statusCode, r.body).toBe(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
      if (field) expect(r.json().detail).toContain(field);
    };
    await bad({ condition: { kind: 'reading', metric: 'cpu.bogus', op: 'above', threshold: 1 } }, 400, 'metric');
    await bad({ condition: { kind: 'check', state: 'ok' } }, 400, 'state');
    await bad({ durationSeconds: 86_400 }, 400, 'durationSeconds');
    await bad({ webhook: { url: 'ftp://127.0.0.1/x', secret: WEBHOOK_SECRET } }, 400, 'url');
    await bad({ webhook: { url: hookUrl, secret: 'short' } }, 400, 'secret');
    await bad({ emails: ['not an address'] }, 400, 'emails');
    await bad({ webhook: { url: 'http://user:pw@127.0.0.1:9/x', secret: WEBHOOK_SECRET } }, 422, 'webhook.url');
    // The schema's pattern lets this through; it is no address to send to (a 500 before).
    await bad({ webhook: { url: 'http://', secret: WEBHOOK_SECRET } }, 422, 'webhook.url');
    await bad({ scope: { kind: 'role', serverRoleId: '00000000-0000-4000-8000-000000000000' } }, 404);
    await bad({ condition: { kind: 'check', state: 'critical', checkId: '00000000-0000-4000-8000-000000000000' } }, 404);

    expect((await api('operator', 'DELETE', `/alert-rules/${rule.id}`)).statusCode).toBe(204);
    expect((await api('observer', 'GET', `/alert-rules/${rule.id}`)).statusCode).toBe(404);
    const audit = (await t.request('admin', { method: 'GET', url: `/api/v1/audit-events?targetId=${rule.id}&order=asc` })).json();
    expect(audit.items.map((a: { action: string }) => a.action)).toEqual(['alert-rule.create', 'alert-rule.update', 'alert-rule.delete']);
  });
});

describe('a rule with e-mail recipients', () => {
  it('is refused (422 naming body.emails) where the server has no SMTP', async () => {
    const { createAlertRuleService } = await import('../src/modules/alerts/alert-rule-service.js');
    const { systemActor } = await import('../src/lib/actor.js');
    const rules = createAlertRuleService({ db: t.app.db, secrets: { seal: (s) => s }, audit: { record: async () => {} }, transitions: { resolve: async () => [] }, smtp: false });
    const refused = rules.create(systemActor(), { name: 'x', condition: { kind: 'check', state: 'critical' }, scope: { kind: 'all' }, emails: ['oncall@example.test'] });
    await expect(refused).rejects.toMatchObject({ status: 422, details: { errors: [{ field: 'body.emails', message: 'need SMTP: the server has no OVERMIND_SMTP_HOST configured' }] } });
    expect((await api('observer', 'GET', '/alert-rules')).json().items.map((r: { name: string }) => r.name)).not.toContain('x');
  });
});

describe('a check rule', () => {
  it('fires once while a check stays critical, resolves when it is OK, and notifies by signed webhook (retried) and e-mail', async () => {
    const watched = await newNode('alert-web-1', ['alert-web']);
    const other = await newNode('alert-db-1', ['alert-db']);
    const check = (await api('operator', 'POST', '/checks', { name: 'http', command: 'check_http', scope: { kind: 'tag', tag: 'alert-web' } })).json();
    const otherCheck = (await api('operator', 'POST', '/checks', { name: 'pg', command: 'check_pgsql', scope: { kind: 'tag', tag: 'alert-db' } })).json();
    const rule = await createRule({
      name: 'web down', condition: { kind: 'check', state: 'critical' }, scope: { kind: 'tag', tag: 'alert-web' },
      webhook: { url: hookUrl, secret: WEBHOOK_SECRET }, emails: ['oncall@example.test'],
    });
    failNext = 1;
    const sentBefore = deliveries.length;

    await t.app.services.checkResults.ingest(watched, [result(check.id, 2, 'CRITICAL - connection refused')]);
    // Out of scope: critical too, but not on a node carrying the rule's tag.
    await t.app.services.checkResults.ingest(other, [result(otherCheck.id, 2, 'CRITICAL - down')]);
    const firing = await eventually(async () => {
      const page = await alertsOf(`ruleId=${rule.id}&state=firing`);
      return page.total === 1 ? page.items[0] : undefined;
    }, 20_000, 'the alert to fire');
    expect(firing).toMatchObject({ nodeId: watched, state: 'firing', summary: 'http CRITICAL: CRITICAL - connection refused' });

    // Still critical: more results and evaluations, no second alert, no second notification.
    await t.app.services.checkResults.ingest(watched, [result(check.id, 2, 'CRITICAL - still refused')]);
    await evaluateNow();
    // While an evaluation holds the lock (as another API process's would), every other one skips its
    // turn. (Three started together need not overlap on a busy machine: one may commit before the
    // next begins, and then both rightly run.)
    const holder = t.app.db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT pg_advisory_xact_lock(${EVALUATION_LOCK_KEY})`);
    try {
      const runs = await Promise.all([1, 2, 3].map(() => t.app.services.alertEvaluator.evaluate()));
      expect(runs).toEqual([null, null, null]);
    } finally {
      await holder.commitTransaction();
      await holder.release();
    }
    expect(await t.app.services.alertEvaluator.evaluate()).not.toBeNull();
    await evaluateNow();
    expect((await alertsOf(`ruleId=${rule.id}`)).total).toBe(1);

    // The receiver answered 500 first: the same signed body came again.
    const fired = await eventually(async () => {
      const mine = deliveries.slice(sentBefore);
      return mine.length >= 2 ? mine : undefined;
    }, 30_000, 'the webhook to be retried');
    expect(fired).toHaveLength(2);
    expect(fired[1]!.body).toBe(fired[0]!.body);
    expect(fired.every(verify)).toBe(true);
    const payload = JSON.parse(fired[1]!.body);
    expect(payload).toMatchObject({ event: 'alert.firing', alert: { id: firing.id, ruleId: rule.id, ruleName: 'web down', nodeId: watched, nodeName: 'alert-web-1', state: 'firing' } });
    expect(fired[1]!.event).toBe('alert.firing');
    const mail = await eventually(async () => mails.find((m) => m.text.includes(firing.id)), 20_000, 'the firing e-mail');
    expect(mail).toMatchObject({ from: 'overmind@example.test', to: ['oncall@example.test'] });
    expect(mail.text).toContain('Subject: [Overmind] FIRING: web down on alert-web-1');

    await t.app.services.checkResults.ingest(watched, [result(check.id, 0, 'HTTP OK')]);
    const resolved = await eventually(async () => {
      const page = await alertsOf(`ruleId=${rule.id}&state=resolved`);
      return page.total === 1 ? page.items[0] : undefined;
    }, 20_000, 'the alert to resolve');
    expect(resolved.id).toBe(firing.id);
    const after = await eventually(async () => deliveries.slice(sentBefore + 2).find((d) => d.event === 'alert.resolved'), 20_000, 'the resolved webhook');
    expect(verify(after)).toBe(true);
    expect(JSON.parse(after.body).alert).toMatchObject({ id: firing.id, state: 'resolved' });
    await eventually(async () => mails.find((m) => m.text.includes(firing.id) && m.text.includes('RESOLVED')), 20_000, 'the resolved e-mail');
    expect(deliveries.slice(sentBefore).filter((d) => d.event === 'alert.firing')).toHaveLength(2); // the first try and its retry, nothing more
    expect(mails.filter((m) => m.text.includes(firing.id))).toHaveLength(2);

    // Each change is an event on the stream and an audit entry.
    expect(events.filter((e) => e.type === 'alert' && e.id === firing.id).map((e) => (e as { state: string }).state)).toEqual(['firing', 'resolved']);
    const audit = (await t.request('admin', { method: 'GET', url: `/api/v1/audit-events?targetId=${firing.id}&order=asc` })).json();
    expect(audit.items.map((a: { action: string; actorName: string }) => [a.action, a.actorName])).toEqual([['alert.fire', 'alerts'], ['alert.resolve', 'alerts']]);
    expect((await alertsOf(`nodeId=${other}`)).total).toBe(0);

    // Secrets never reach a response or a log line.
    const logs = t.logs.join('');
    expect(logs).not.toContain(WEBHOOK_SECRET);
    expect(logs).not.toContain(SMTP_PASSWORD);
    expect(logs).toContain('alert notification not delivered');
    // A failing webhook is named by its origin: its path and query may be credentials themselves.
    expect(logs).not.toContain('/hooks/overmind?team=ops');
    expect((await api('observer', 'GET', '/alert-rules')).body).not.toContain(WEBHOOK_SECRET);
  }, 90_000);
});

describe('a reading rule', () => {
  it('fires only where the reading held over the threshold for the duration, on the nodes in its scope', async () => {
    const [held, brief, outside] = [await newNode('cpu-held', ['batch']), await newNode('cpu-brief', ['batch']), await newNode('cpu-outside')];
    await t.app.services.metrics.partitions.maintain();
    // Every 15 s for the last 2 minutes: `held` over 90 for 75 s, `brief` for 30 s, `outside` all along.
    const series = async (node: string, values: number[]) => {
      const [{ id }] = await t.app.db.query(`INSERT INTO metric_series (node_id, name) VALUES ($1, 'cpu.total') RETURNING id`, [node]);
      for (const [i, v] of values.entries()) {
        await t.app.db.query(`INSERT INTO metric_raw (node_id, at, series, vals) VALUES ($1, now() - make_interval(secs => $2), $3, $4)`, [node, (values.length - 1 - i) * 15, [id], [v]]);
      }
    };
    await series(held, [10, 20, 95, 96, 97, 98, 99, 97]);
    await series(brief, [10, 20, 30, 40, 50, 95, 96, 97]);
    await series(outside, [95, 95, 95, 95, 95, 95, 95, 95]);
    const rule = await createRule({ name: 'cpu hot', condition: { kind: 'reading', metric: 'cpu.total', op: 'above', threshold: 90 }, durationSeconds: 60, scope: { kind: 'tag', tag: 'batch' } });
    await evaluateNow();
    const page = await alertsOf(`ruleId=${rule.id}`);
    expect(page.items.map((a) => [a.nodeId, a.state, a.summary])).toEqual([[held, 'firing', 'cpu.total is 97, above 90 for 60 s']]);

    // A reading back under the threshold resolves it.
    const [{ id: sid }] = await t.app.db.query(`SELECT id FROM metric_series WHERE node_id = $1`, [held]);
    await t.app.db.query(`INSERT INTO metric_raw (node_id, at, series, vals) VALUES ($1, now(), $2, $3)`, [held, [sid], [40]]);
    await evaluateNow();
    expect((await alertsOf(`ruleId=${rule.id}`)).items.map((a) => a.state)).toEqual(['resolved']);
  });
});

describe('acknowledging an alert', () => {
  it('is for operators, once, and audited', async () => {
    const node = await newNode('ack-1');
    const check = (await api('operator', 'POST', '/checks', { name: 'ntp', command: 'check_ntp', scope: { kind: 'node', nodeId: node } })).json();
    const rule = await createRule({ name: 'ntp warn', condition: { kind: 'check', state: 'warning', checkId: check.id }, scope: { kind: 'node', nodeId: node } });
    await t.app.services.checkResults.ingest(node, [result(check.id, 1, 'WARNING - offset 0.5 s')]);
    await evaluateNow();
    const [alert] = (await alertsOf(`ruleId=${rule.id}`)).items;
    expect(alert).toMatchObject({ state: 'firing', acknowledgedBy: null });
    expect((await api('observer', 'POST', `/alerts/${alert!.id}/acknowledge`)).statusCode).toBe(403);
    const ack = await api('operator', 'POST', `/alerts/${alert!.id}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ id: alert!.id, state: 'firing', acknowledgedBy: t.userIds.operator });
    const again = await api('operator', 'POST', `/alerts/${alert!.id}/acknowledge`);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('acknowledged already by operator');
    expect((await api('operator', 'POST', '/alerts/00000000-0000-4000-8000-000000000000/acknowledge')).statusCode).toBe(404);
    const audit = (await t.request('admin', { method: 'GET', url: `/api/v1/audit-events?targetId=${alert!.id}&action=alert.acknowledge` })).json();
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actorName: 'operator' });

    // Deleting the rule resolves what it had firing; the alert stays listed.
    expect((await api('operator', 'DELETE', `/alert-rules/${rule.id}`)).statusCode).toBe(204);
    expect((await api('observer', 'GET', `/alerts/${alert!.id}`)).json()).toMatchObject({ state: 'resolved', ruleId: null, ruleName: 'ntp warn' });
  });
});
