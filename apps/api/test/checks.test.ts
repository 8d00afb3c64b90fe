/**
 * Checks through the API on a real Postgres, with scripted agents over a real WebSocket: definitions
 * (CRUD, 4xx, audit), delivery (welcome, checks.set on definition, tag and role changes), results
 * (latest state, health, state history, events), staleness, health in the node list, performance
 * data in the readings history, and the expiry of state history.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_MESSAGE_BYTES, type CheckResult } from '@overmind/agent-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckHistoryRetention } from '../src/modules/checks/check-history-retention.js';
import { enrol, ScriptedAgent } from './support/agent-client.js';
import { FIXTURE_KITCHEN, kitchenTarGz } from './support/cm-support.js';
import { createNode, getNode, openEventStream, registerProvider } from './support/provider-steps.js';
import { createTestApp, eventually, type TestApp } from './support/test-app.js';

let t: TestApp;
let baseUrl: string;
let providerId: string;
let kitchenDir: string;

beforeAll(async () => {
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-checks-kitchen-'));
  t = await createTestApp({ env: { OVERMIND_CHECK_STALE_SECONDS: '5', OVERMIND_AGENT_HEARTBEAT_SECONDS: '2', OVERMIND_KITCHEN_DIR: kitchenDir } });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  ({ provider: { id: providerId } } = await registerProvider(t, { name: 'lab', type: 'dummy', credentials: { apiKey: 'k-lab' } }));
  const kitchen = await t.request('operator', { method: 'PUT', url: '/api/v1/kitchen', payload: await kitchenTarGz(FIXTURE_KITCHEN), headers: { 'content-type': 'application/gzip' } });
  expect(kitchen.statusCode, kitchen.body).toBe(200);
}, 120_000);
afterAll(async () => {
  await t?.close();
  await rm(kitchenDir, { recursive: true, force: true });
});

const api = (role: 'operator' | 'observer', method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: unknown) =>
  t.request(role, { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }) });

async function defineCheck(body: Record<string, unknown>) {
  const res = await api('operator', 'POST', '/checks', { command: '/usr/lib/nagios/plugins/check_load', intervalSeconds: 5, timeoutSeconds: 1, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string };
}

async function newNode(name: string, tags: string[] = []): Promise<string> {
  const { node } = await createNode(t, { providerId, name, imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1', tags });
  return node.id;
}

async function connect(nodeId: string, capabilities = ['facts', 'checks']) {
  const res = await api('operator', 'POST', '/agent-tokens', { nodeId, ttlSeconds: 600 });
  expect(res.statusCode, res.body).toBe(201);
  const identity = await enrol(baseUrl, res.json().token);
  const agent = await ScriptedAgent.open(baseUrl);
  await agent.hello(identity, { capabilities });
  const welcome = await agent.next('welcome');
  await eventually(async () => ((await getNode(t, nodeId)).agent?.state === 'connected' ? true : undefined), 20_000, 'the agent to show connected');
  return { agent, welcome };
}

const ids = (checks: { id: string }[]) => checks.map((c) => c.id).sort();
const result = (checkId: string, state: number, extra: Partial<CheckResult> = {}): CheckResult => ({
  checkId,
  state,
  output: `STATE ${state}`,
  longOutput: '',
  perfdata: [{ label: 'load1', value: state, uom: '', warn: '1', crit: '2', min: 0, max: null }],
  durationMs: 12,
  at: new Date().toISOString(),
  ...extra,
});
const nodeChecks = async (nodeId: string) => (await api('observer', 'GET', `/nodes/${nodeId}/checks`)).json();

describe('check definitions', () => {
  it('are written by operators, read by observers, audited, with defaults', async () => {
    const created = await api('operator', 'POST', '/checks', { name: 'disk /', command: '/usr/lib/nagios/plugins/check_disk', args: ['-w', '10%', '-c', '5%', '-p', '/'], scope: { kind: 'tag', tag: 'defs' } });
    expect(created.statusCode, created.body).toBe(201);
    const check = created.json();
    expect(check).toMatchObject({ name: 'disk /', args: ['-w', '10%', '-c', '5%', '-p', '/'], shell: false, intervalSeconds: 60, timeoutSeconds: 10, scope: { kind: 'tag', tag: 'defs' }, createdBy: t.userIds.operator });
    expect((await api('observer', 'GET', `/checks/${check.id}`)).json()).toEqual(check);
    expect((await api('observer', 'POST', '/checks', { name: 'x', command: 'x', scope: { kind: 'tag', tag: 'a' } })).statusCode).toBe(403);

    const patched = await api('operator', 'PATCH', `/checks/${check.id}`, { name: 'root disk', shell: true, command: 'df -h / | tail -1' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'root disk', shell: true, command: 'df -h / | tail -1', scope: { kind: 'tag', tag: 'defs' } });
    expect((await api('observer', 'GET', '/checks?limit=200')).json().items.map((c: { id: string }) => c.id)).toContain(check.id);

    expect((await api('operator', 'DELETE', `/checks/${check.id}`)).statusCode).toBe(204);
    expect((await api('observer', 'GET', `/checks/${check.id}`)).statusCode).toBe(404);
    const audit = await t.app.db.query(`SELECT action, details FROM audit_events WHERE target_id = $1 ORDER BY id`, [check.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['check.create', 'check.update', 'check.delete']);
  });

  it.each([
    ['no scope', { name: 'x', command: 'x' }, 400, /scope/],
    ['an unknown scope kind', { name: 'x', command: 'x', scope: { kind: 'all' } }, 400, /scope/],
    ['an unknown field', { name: 'x', command: 'x', scope: { kind: 'tag', tag: 'a' }, env: { A: '1' } }, 400, /env/],
    ['a 1 s interval', { name: 'x', command: 'x', intervalSeconds: 1, scope: { kind: 'tag', tag: 'a' } }, 400, /intervalSeconds/],
    ['args that are not an array', { name: 'x', command: 'x', args: '-w 5', scope: { kind: 'tag', tag: 'a' } }, 400, /args/],
    ['an empty command', { name: 'x', command: '', scope: { kind: 'tag', tag: 'a' } }, 400, /command/],
    ['a timeout past the interval', { name: 'x', command: 'x', intervalSeconds: 30, timeoutSeconds: 31, scope: { kind: 'tag', tag: 'a' } }, 422, /timeoutSeconds must be at most intervalSeconds \(30\)/],
    ['an unknown server role', { name: 'x', command: 'x', scope: { kind: 'role', serverRoleId: randomUUID() } }, 404, /Server role .* does not exist/],
    ['an unknown node', { name: 'x', command: 'x', scope: { kind: 'node', nodeId: randomUUID() } }, 404, /Node .* does not exist/],
  ])('refuses %s', async (_name, body, status, detail) => {
    const res = await api('operator', 'POST', '/checks', body);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().detail).toMatch(detail);
  });

  it('refuses patches that are empty, or put the timeout past the interval', async () => {
    const { id } = await defineCheck({ name: 'patchy', scope: { kind: 'tag', tag: 'patchy' } });
    expect((await api('operator', 'PATCH', `/checks/${id}`, {})).statusCode).toBe(400);
    const res = await api('operator', 'PATCH', `/checks/${id}`, { timeoutSeconds: 6 });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ field: 'body.timeoutSeconds', message: 'must be at most intervalSeconds (5)' }]);
    expect((await api('operator', 'PATCH', `/checks/${randomUUID()}`, { name: 'y' })).statusCode).toBe(404);
    await api('operator', 'DELETE', `/checks/${id}`);
  });
});

describe('checks for agents', () => {
  it('go to an agent in its welcome and, when they change, in checks.set; only to agents that can run them', async () => {
    const web = await defineCheck({ name: 'web load', scope: { kind: 'tag', tag: 'deliver-web' } });
    const nodeA = await newNode('deliver-a', ['deliver-web']);
    const nodeB = await newNode('deliver-b');
    const nodeC = await newNode('deliver-c', ['deliver-web']);
    const a = await connect(nodeA);
    const b = await connect(nodeB);
    const c = await connect(nodeC, ['facts']);
    expect(a.welcome.features.checks).toEqual([{ id: web.id, name: 'web load', command: '/usr/lib/nagios/plugins/check_load', args: [], shell: false, intervalSeconds: 5, timeoutSeconds: 1 }]);
    expect(b.welcome.features.checks).toEqual([]);
    expect(c.welcome.features).toEqual({ facts: true });

    // A check of node A alone: A's set changes, B's does not.
    const own = await defineCheck({ name: 'a only', command: 'echo', args: ['OK'], scope: { kind: 'node', nodeId: nodeA } });
    const set1 = await a.agent.next('checks.set');
    expect(ids(set1.checks)).toEqual([web.id, own.id].sort());

    // B gets the tag: its set changes (a trigger on the node's tags tells the gateway).
    expect((await api('operator', 'PATCH', `/nodes/${nodeB}`, { tags: ['deliver-web'] })).statusCode).toBe(200);
    expect(ids((await b.agent.next('checks.set')).checks)).toEqual([web.id]);

    // A server role's check reaches A once A is given the role.
    const role = await api('operator', 'POST', '/server-roles', {
      name: 'checked', providerId, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12', runList: ['role[web]'],
      ssh: { username: 'root', privateKey: 'unused-in-pull-mode-'.repeat(3) }, configMode: 'pull',
    });
    expect(role.statusCode, role.body).toBe(201);
    const byRole = await defineCheck({ name: 'role check', scope: { kind: 'role', serverRoleId: role.json().id } });
    expect((await api('operator', 'PUT', `/nodes/${nodeA}/role`, { serverRoleId: role.json().id })).statusCode).toBe(200);
    await eventually(async () => (a.agent.all('checks.set').some((m) => ids(m.checks).includes(byRole.id)) ? true : undefined), 15_000, 'the role check to reach A');

    // Deleting a check takes it off.
    expect((await api('operator', 'DELETE', `/checks/${own.id}`)).statusCode).toBe(204);
    await eventually(async () => (ids(a.agent.all('checks.set').at(-1)!.checks).join() === [web.id, byRole.id].sort().join() ? true : undefined), 15_000, 'A to lose its own check');

    // B never had a reason for another set, C cannot run checks at all.
    expect(b.agent.all('checks.set')).toHaveLength(1);
    expect(c.agent.all('checks.set')).toEqual([]);
    for (const x of [a, b, c]) x.agent.close();
    for (const id of [web.id, byRole.id]) await api('operator', 'DELETE', `/checks/${id}`);
  });
});

describe('a node with very large checks', () => {
  it('gets a welcome within the message limit: the set is cut to fit, never the connection', async () => {
    const nodeId = await newNode('big-checks', ['big']);
    const made = [];
    for (let i = 0; i < 6; i++) made.push(await defineCheck({ name: `big ${i}`, command: 'echo', args: Array.from({ length: 64 }, () => 'a'.repeat(4096)), scope: { kind: 'tag', tag: 'big' } }));
    const { agent, welcome } = await connect(nodeId);
    const checks = welcome.features.checks as { id: string }[];
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.length).toBeLessThan(6);
    expect(Buffer.byteLength(JSON.stringify(welcome))).toBeLessThan(MAX_MESSAGE_BYTES);
    agent.close();
    for (const c of made) await api('operator', 'DELETE', `/checks/${c.id}`);
  });
});

describe('checks for agents, many changes at once', () => {
  it('leave each agent with the latest set, whatever order the changes are sent in', async () => {
    const nodes = await Promise.all(['burst-a', 'burst-b', 'burst-c'].map((n) => newNode(n, ['burst'])));
    const agents = await Promise.all(nodes.map((n) => connect(n)));
    for (let round = 0; round < 3; round++) {
      const made = await Promise.all(Array.from({ length: 8 }, (_, i) => defineCheck({ name: `burst ${round}-${i}`, scope: { kind: 'tag', tag: 'burst' } })));
      const removed = made.slice(0, 4);
      await Promise.all(removed.map((c) => api('operator', 'DELETE', `/checks/${c.id}`)));
      const want = (await api('observer', 'GET', `/nodes/${nodes[0]}/checks`)).json().items.map((i: { checkId: string }) => i.checkId).sort();
      expect(want).toHaveLength(4 * (round + 1));
      for (const { agent } of agents) {
        await eventually(async () => (ids(agent.all('checks.set').at(-1)?.checks ?? []).join() === want.join() ? true : undefined), 15_000, 'the latest set');
      }
    }
    // Settled: nothing later undoes it.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const want = (await api('observer', 'GET', `/nodes/${nodes[0]}/checks`)).json().items.map((i: { checkId: string }) => i.checkId).sort();
    for (const { agent } of agents) expect(ids(agent.all('checks.set').at(-1)!.checks)).toEqual(want);
    for (const { agent } of agents) agent.close();
  });
});

describe('check results', () => {
  it('keep the latest state per check, give the node its health, record and announce state changes, and go stale', async () => {
    const nodeId = await newNode('results-1', ['results']);
    const load = await defineCheck({ name: 'load', scope: { kind: 'tag', tag: 'results' } });
    const disk = await defineCheck({ name: 'disk', scope: { kind: 'node', nodeId } });
    const elsewhere = await defineCheck({ name: 'elsewhere', scope: { kind: 'tag', tag: 'not-this-node' } });
    const { agent } = await connect(nodeId);
    // The scripted agent keeps its connection the way the real one does.
    let seq = 0;
    const heartbeats = setInterval(() => agent.send({ type: 'heartbeat', seq: ++seq, uptimeSeconds: seq, running: [] }), 1000);
    const stream = await openEventStream(baseUrl, t.tokens.observer);
    try {
      expect((await getNode(t, nodeId)).health).toBeNull();
      expect((await nodeChecks(nodeId)).items.map((i: { name: string; result: unknown }) => [i.name, i.result])).toEqual([
        ['disk', null],
        ['load', null],
      ]);

      const t0 = Date.now();
      const at = (s: number) => new Date(t0 + s * 1000).toISOString();
      agent.send({ type: 'check.results', results: [result(load.id, 0, { at: at(0) }), result(disk.id, 1, { at: at(0), longOutput: 'sda1 90%' }), result(elsewhere.id, 2), result(randomUUID(), 2)] });
      await eventually(async () => ((await getNode(t, nodeId)).health === 'warning' ? true : undefined), 15_000, 'health warning');
      const first = await nodeChecks(nodeId);
      expect(first).toMatchObject({ nodeId, health: 'warning' });
      expect(first.items).toEqual([
        expect.objectContaining({ checkId: disk.id, name: 'disk', intervalSeconds: 5, result: expect.objectContaining({ state: 'warning', output: 'STATE 1', longOutput: 'sda1 90%', durationMs: 12, checkedAt: at(0), stateSince: at(0) }) }),
        expect.objectContaining({ checkId: load.id, result: expect.objectContaining({ state: 'ok', perfdata: [{ label: 'load1', value: 0, uom: '', warn: '1', crit: '2', min: 0, max: null }] }) }),
      ]);
      await stream.waitFor((e) => e.event === 'check' && e.data.checkId === disk.id && e.data.state === 'warning' && e.data.previous === null, 'the first disk result event');
      await stream.waitFor((e) => e.event === 'health' && e.data.nodeId === nodeId && e.data.health === 'warning' && e.data.previous === null, 'the health event');

      // Critical wins; the same state again is no change; an older result is ignored.
      agent.send({ type: 'check.results', results: [result(load.id, 2, { at: at(1) }), result(disk.id, 1, { at: at(1) })] });
      await eventually(async () => ((await getNode(t, nodeId)).health === 'critical' ? true : undefined), 15_000, 'health critical');
      agent.send({ type: 'check.results', results: [result(load.id, 0, { at: at(-5) })] });
      agent.send({ type: 'check.results', results: [result(disk.id, 3, { at: at(2) })] });
      await eventually(async () => ((await nodeChecks(nodeId)).items[0].result.state === 'unknown' ? true : undefined), 15_000, 'disk unknown');
      const now = await nodeChecks(nodeId);
      expect(now.health).toBe('critical'); // critical over unknown
      expect(now.items[1].result).toMatchObject({ state: 'critical', checkedAt: at(1), stateSince: at(1) });
      await stream.waitFor((e) => e.event === 'check' && e.data.checkId === load.id && e.data.state === 'critical' && e.data.previous === 'ok', 'load ok -> critical');
      await stream.waitFor((e) => e.event === 'health' && e.data.health === 'critical' && e.data.previous === 'warning', 'health warning -> critical');

      const history = (await api('observer', 'GET', `/nodes/${nodeId}/check-history`)).json();
      expect(history.total).toBe(4);
      expect(history.items.map((h: { name: string; state: string; previousState: string | null }) => [h.name, h.previousState, h.state])).toEqual([
        ['disk', 'warning', 'unknown'],
        ['load', 'ok', 'critical'],
        ['disk', null, 'warning'],
        ['load', null, 'ok'],
      ]);
      expect((await api('observer', 'GET', `/nodes/${nodeId}/check-history?checkId=${load.id}&limit=1`)).json()).toMatchObject({ total: 2, limit: 1, items: [{ checkId: load.id, state: 'critical' }] });

      // The node list shows it and filters and sorts by it.
      const listed = (await api('observer', 'GET', '/nodes?health=critical&limit=200')).json();
      expect(listed.items.map((n: { id: string }) => n.id)).toEqual([nodeId]);
      expect(listed.items[0]).toMatchObject({ health: 'critical', healthSince: expect.any(String) });
      const sorted = (await api('observer', 'GET', '/nodes?sort=health&order=desc&limit=200')).json();
      expect(sorted.items[0].id).toBe(nodeId);

      // Silence: stale after the stale time (here: 2 x 5 s interval + 1 s timeout, over the 5 s setting),
      // though the agent stays connected (its heartbeats go on; its checks' results do not come).
      await eventually(async () => ((await getNode(t, nodeId)).health === 'stale' ? true : undefined), 40_000, 'health stale');
      const [{ silent }] = await t.app.db.query(
        'SELECT extract(epoch FROM n.health_since - max(nc.received_at))::float AS silent FROM nodes n JOIN node_checks nc ON nc.node_id = n.id WHERE n.id = $1 GROUP BY n.health_since',
        [nodeId],
      );
      expect(silent).toBeGreaterThanOrEqual(11);
      await stream.waitFor((e) => e.event === 'health' && e.data.nodeId === nodeId && e.data.health === 'stale' && e.data.previous === 'critical', 'the stale event');
      expect((await getNode(t, nodeId)).agent?.state).toBe('connected');
      // A result brings it back.
      agent.send({ type: 'check.results', results: [result(load.id, 0), result(disk.id, 0)] });
      await eventually(async () => ((await getNode(t, nodeId)).health === 'ok' ? true : undefined), 15_000, 'health ok again');

      // A check that goes away leaves the health; its history stays.
      agent.send({ type: 'check.results', results: [result(disk.id, 2)] });
      await eventually(async () => ((await getNode(t, nodeId)).health === 'critical' ? true : undefined), 15_000, 'critical again');
      expect((await api('operator', 'DELETE', `/checks/${disk.id}`)).statusCode).toBe(204);
      expect((await getNode(t, nodeId)).health).toBe('ok');
      expect((await nodeChecks(nodeId)).items.map((i: { name: string }) => i.name)).toEqual(['load']);
      expect((await api('observer', 'GET', `/nodes/${nodeId}/check-history?checkId=${disk.id}`)).json().total).toBeGreaterThan(0);
    } finally {
      clearInterval(heartbeats);
      await stream.close();
      agent.close();
    }
    expect((await api('observer', 'GET', `/nodes/${randomUUID()}/checks`)).statusCode).toBe(404);
  }, 120_000);

  it('drops the results of a check the node lost, when its tags change', async () => {
    const nodeId = await newNode('results-2', ['lose-me']);
    const check = await defineCheck({ name: 'tagged', scope: { kind: 'tag', tag: 'lose-me' } });
    const { agent } = await connect(nodeId);
    agent.send({ type: 'check.results', results: [result(check.id, 2)] });
    await eventually(async () => ((await getNode(t, nodeId)).health === 'critical' ? true : undefined), 15_000, 'critical');
    expect((await api('operator', 'PATCH', `/nodes/${nodeId}`, { tags: [] })).statusCode).toBe(200);
    expect((await agent.next('checks.set')).checks).toEqual([]);
    // The agent's last word about it is dropped, and its result leaves the health.
    agent.send({ type: 'check.results', results: [result(check.id, 2)] });
    await eventually(async () => ((await getNode(t, nodeId)).health === null ? true : undefined), 15_000, 'no health');
    expect((await nodeChecks(nodeId)).items).toEqual([]);
    agent.close();
    await api('operator', 'DELETE', `/checks/${check.id}`);
  });

  it('takes an agent clock far ahead as at most 5 minutes ahead', async () => {
    const nodeId = await newNode('results-3');
    const check = await defineCheck({ name: 'ahead', scope: { kind: 'node', nodeId } });
    const { agent } = await connect(nodeId);
    agent.send({ type: 'check.results', results: [result(check.id, 1, { at: new Date(Date.now() + 3600_000).toISOString() })] });
    const stored = await eventually(async () => (await nodeChecks(nodeId)).items[0]?.result ?? undefined, 15_000, 'the result');
    expect(Date.parse(stored.checkedAt)).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
    expect(Date.parse(stored.checkedAt)).toBeGreaterThan(Date.now() + 4 * 60_000);
    agent.close();
    await api('operator', 'DELETE', `/checks/${check.id}`);
  });

  it('leaves no health on a node whose checks went with their server role', async () => {
    const nodeId = await newNode('results-4');
    const role = await api('operator', 'POST', '/server-roles', {
      name: 'short-lived', providerId, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12', runList: ['role[web]'],
      ssh: { username: 'root', privateKey: 'unused-in-pull-mode-'.repeat(3) },
    });
    expect(role.statusCode, role.body).toBe(201);
    const check = await defineCheck({ name: 'of the role', scope: { kind: 'role', serverRoleId: role.json().id } });
    expect((await api('operator', 'PUT', `/nodes/${nodeId}/role`, { serverRoleId: role.json().id })).statusCode).toBe(200);
    const { agent } = await connect(nodeId);
    expect(ids(((await agent.next('welcome')).features.checks as { id: string }[]) ?? [])).toEqual([check.id]);
    agent.send({ type: 'check.results', results: [result(check.id, 2)] });
    await eventually(async () => ((await getNode(t, nodeId)).health === 'critical' ? true : undefined), 15_000, 'critical');
    // Deleting the role deletes its checks (and their results) by cascade; the sweep clears the health.
    expect((await api('operator', 'DELETE', `/server-roles/${role.json().id}`)).statusCode).toBe(204);
    expect((await api('observer', 'GET', `/checks/${check.id}`)).statusCode).toBe(404);
    expect((await agent.next('checks.set')).checks).toEqual([]);
    await eventually(async () => ((await getNode(t, nodeId)).health === null ? true : undefined), 20_000, 'no health');
    agent.close();
  });
});

describe('check performance data history', () => {
  it('stores numeric perfdata as series check.<checkId>.<label> that list and graph like readings', async () => {
    const nodeId = await newNode('perfdata-1');
    const check = await defineCheck({ name: 'disk and time', scope: { kind: 'node', nodeId } });
    const { agent } = await connect(nodeId);
    const perf = (free: number) => [
      { label: 'free /var', value: free, uom: 'MB', warn: '100', crit: '50', min: 0, max: 2000 },
      { label: 'time.total', value: 0.25, uom: 's', warn: null, crit: null, min: null, max: null },
      { label: 'unknowable', value: null, uom: '', warn: null, crit: null, min: null, max: null },
    ];
    agent.send({ type: 'check.results', results: [result(check.id, 0, { perfdata: perf(1500) })] });
    const names = await eventually(async () => {
      const res = (await api('observer', 'GET', `/nodes/${nodeId}/metrics/series`)).json() as { names: string[] };
      return res.names.length > 0 ? res.names : undefined;
    }, 15_000, 'the perfdata series');
    expect(names).toEqual([`check.${check.id}.free /var`, `check.${check.id}.time.total`]);

    const name = `check.${check.id}.free /var`;
    const graph = await api('observer', 'GET', `/nodes/${nodeId}/metrics?name=${encodeURIComponent(name)}&name=${encodeURIComponent(`check.${check.id}.time.total`)}`);
    expect(graph.statusCode, graph.body).toBe(200);
    const series = graph.json().series as { name: string; t: number[]; v: number[] }[];
    expect(series.map((s) => [s.name, s.v])).toEqual([
      [name, [1500]],
      [`check.${check.id}.time.total`, [0.25]],
    ]);
    agent.close();
    await api('operator', 'DELETE', `/checks/${check.id}`);
  });
});

describe('check history retention', () => {
  it('deletes state changes older than the retention, in batches, and only those', async () => {
    const nodeId = await newNode('retention-1');
    const days = (n: number) => new Date(Date.now() - n * 86400_000);
    const ages = [800, 500, 400, 396, 396, 394, 30, 0];
    for (const age of ages) {
      await t.app.db.query(
        `INSERT INTO check_state_changes (node_id, check_id, check_name, state, previous_state, output, at) VALUES ($1, $2, 'old check', 2, 0, 'x', $3)`,
        [nodeId, randomUUID(), days(age)],
      );
    }
    expect(t.config.checks.historyDays).toBe(395);
    // The server's own purge, and one in batches of 2 (five old rows: three batches).
    const small = createCheckHistoryRetention({ db: t.app.db, retentionDays: 395, batchSize: 2 });
    expect(await small.purge()).toBe(5);
    expect(await t.app.services.checkHistory.purge()).toBe(0);
    const left = (await api('observer', 'GET', `/nodes/${nodeId}/check-history?limit=100`)).json();
    expect(left.total).toBe(3);
    expect(left.items.map((i: { at: string }) => Math.round((Date.now() - Date.parse(i.at)) / 86400_000))).toEqual([0, 30, 394]);
    // A batch limit bounds one run; the next run goes on.
    for (const age of [500, 501, 502]) {
      await t.app.db.query(
        `INSERT INTO check_state_changes (node_id, check_id, check_name, state, previous_state, output, at) VALUES ($1, $2, 'old check', 2, 0, 'x', $3)`,
        [nodeId, randomUUID(), days(age)],
      );
    }
    const bounded = createCheckHistoryRetention({ db: t.app.db, retentionDays: 395, batchSize: 1, maxBatches: 2 });
    expect(await bounded.purge()).toBe(2);
    expect(await bounded.purge()).toBe(1);
    expect((await api('observer', 'GET', `/nodes/${nodeId}/check-history`)).json().total).toBe(3);
  });

  it('forgets the series of deleted checks and gone nodes once nothing of them is left, and only those', async () => {
    const live = await newNode('series-live');
    const gone = await newNode('series-gone');
    await t.app.db.query('UPDATE nodes SET destroyed_at = now() WHERE id = $1', [gone]);
    const check = await defineCheck({ name: 'kept', scope: { kind: 'node', nodeId: live } });
    const deleted = randomUUID();
    await t.app.services.metrics.partitions.maintain();
    const series = async (nodeId: string, name: string, createdDaysAgo = 400) => {
      const [{ id }] = await t.app.db.query(`INSERT INTO metric_series (node_id, name, created_at) VALUES ($1, $2, now() - make_interval(days => $3)) RETURNING id`, [nodeId, name, createdDaysAgo]);
      return id as number;
    };
    const expired = [await series(live, `check.${deleted}.time`), await series(gone, 'cpu.total')];
    const withPoints = await series(live, `check.${deleted}.size`);
    await t.app.db.query(`INSERT INTO metric_1h (series_id, start, v) VALUES ($1, now(), '{1}')`, [withPoints]);
    const kept = [withPoints, await series(live, `check.${check.id}.time`), await series(live, 'fs./old.used_pct'), await series(gone, 'load.1', 0)];

    expect(await t.app.services.metrics.series.purge()).toBe(2);
    const left: number[] = (await t.app.db.query('SELECT id FROM metric_series WHERE node_id = ANY($1::uuid[]) ORDER BY id', [[live, gone]])).map((r: { id: number }) => r.id);
    expect(left).toEqual(kept.sort((a, b) => a - b));
    expect(left).not.toContain(expired[0]);
    await api('operator', 'DELETE', `/checks/${check.id}`);
  });
});
