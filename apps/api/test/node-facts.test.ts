/**
 * Facts on the node: the agent's facts shown as the node's where it has no registration facts (in the
 * node list's stored JSON and in GET /nodes/:id), and the node list's `os` and `fact` filters, with
 * the GIN index answering `fact` at 10,000 nodes.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrol, ScriptedAgent } from './support/agent-client.js';
import { createNode, registerProvider } from './support/provider-steps.js';
import { createTestApp, eventually, type TestApp } from './support/test-app.js';

let t: TestApp;
let baseUrl: string;
let providerId: string;
const agents: ScriptedAgent[] = [];

const debian = { os: { id: 'debian', version_id: '12', pretty_name: 'Debian GNU/Linux 12 (bookworm)' }, cpu: { count: 4 }, virtualization: { role: 'guest', type: 'kvm' } };
const ubuntu = { os: { id: 'ubuntu', version_id: '24.04', pretty_name: 'Ubuntu 24.04.1 LTS' }, cpu: { count: 2 }, virtualization: { role: 'none' } };

async function nodeWithAgentFacts(name: string, facts: Record<string, unknown>): Promise<string> {
  const { node } = await createNode(t, { providerId, name, imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' });
  const res = await t.request('operator', { method: 'POST', url: '/api/v1/agent-tokens', payload: { ttlSeconds: 600, nodeId: node.id } });
  expect(res.statusCode, res.body).toBe(201);
  const identity = await enrol(baseUrl, res.json().token);
  const agent = await ScriptedAgent.open(baseUrl);
  agents.push(agent);
  await agent.hello(identity, { capabilities: ['facts'] });
  await agent.next('welcome');
  agent.send({ type: 'facts', hash: createHash('sha256').update(JSON.stringify(facts)).digest('hex'), facts });
  return node.id;
}

async function list(query: string) {
  const res = await t.request('observer', { method: 'GET', url: `/api/v1/nodes?limit=100&${query}` });
  return res;
}
const names = async (query: string) => {
  const res = await list(query);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { name: string }[]).map((n) => n.name).sort();
};

let deb: string;
let ubu: string;
let registered: string;

beforeAll(async () => {
  t = await createTestApp();
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  ({ provider: { id: providerId } } = await registerProvider(t, { name: 'lab', type: 'dummy', credentials: { apiKey: 'k-lab' } }));
  deb = await nodeWithAgentFacts('deb-1', debian);
  ubu = await nodeWithAgentFacts('ubu-1', ubuntu);
  // Registration facts (gathered over SSH by the dedicated driver) win over the agent's.
  registered = await nodeWithAgentFacts('reg-1', ubuntu);
  await t.app.db.query(`UPDATE nodes SET facts = $2 WHERE id = $1`, [registered, { gatheredAt: '2026-01-01T00:00:00Z', os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' } }]);
  await eventually(async () => ((await list('')).json().items as { facts: unknown }[]).every((n) => n.facts) || undefined, 30_000, 'facts on every node');
}, 120_000);

afterAll(async () => {
  for (const a of agents) a.close();
  await t?.close();
});

describe('node facts', () => {
  it('shows the agent\'s facts as the node\'s, and registration facts where the node has them', async () => {
    const byName = Object.fromEntries(((await list('')).json().items as { name: string; facts: any }[]).map((n) => [n.name, n.facts]));
    expect(byName['deb-1']).toEqual(debian);
    expect(byName['ubu-1']).toEqual(ubuntu);
    expect(byName['reg-1'].os.versionId).toBe('12');
    const one = await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${deb}` });
    expect(one.json().facts).toEqual(debian);
    expect(one.json()).not.toHaveProperty('agentFacts');
    // New facts from the agent reach the node's view.
    agents[0]!.send({ type: 'facts', hash: 'c'.repeat(64), facts: { ...debian, cpu: { count: 8 } } });
    await eventually(async () => (await t.request('observer', { method: 'GET', url: `/api/v1/nodes?fact=cpu.count=8` })).json().items[0]?.id === deb || undefined, 30_000, 'new facts shown');
    expect(ubu).toBeDefined();
  });

  it('filters by OS name or id and version, in either facts shape, and by any fact path', async () => {
    expect(await names('os=debian%2012')).toEqual(['deb-1', 'reg-1']);
    expect(await names('os=bookworm')).toEqual(['deb-1', 'reg-1']);
    expect(await names('os=ubuntu')).toEqual(['ubu-1']);
    expect(await names('fact=os.version_id=24.04')).toEqual(['ubu-1']);
    expect(await names('fact=virtualization.type=kvm')).toEqual(['deb-1']);
    expect(await names('fact=cpu.count=2')).toEqual(['ubu-1']);
    expect(await names('fact=os.id=windows')).toEqual([]);
    // Both filters at once: the registration's facts spell it versionId, so only the agent's match.
    expect(await names('os=bookworm&fact=os.version_id=12')).toEqual(['deb-1']);
  });

  it('answers a bad fact filter with a 400 that names the problem', async () => {
    for (const [q, says] of [['fact=os.version_id', 'path=value'], ['fact=os..id=1', 'invalid key'], ['fact=os.id%3D', 'no value'], ['fact=os%20x=1', 'invalid key']] as const) {
      const res = await list(q);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail, q).toContain(says);
    }
  });

  it('answers fact filters from the GIN index at 10,000 nodes', async () => {
    const db = t.app.db;
    await db.query(`INSERT INTO nodes (provider_id, name, state, public_ips, private_ips, extra, tags, facts)
      SELECT $1, 'bulk-' || i, 'running', '{}', '{}', '{}', '{}',
             jsonb_build_object('os', jsonb_build_object('id', 'debian', 'versionId', (10 + i % 3)::text), 'cpu', jsonb_build_object('count', i % 64))
      FROM generate_series(1, 10000) i`, [providerId]);
    await db.query('ANALYZE nodes');
    const plan = (await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) SELECT n.id FROM nodes n WHERE coalesce(n.facts, n.agent_facts) @> '{"cpu":{"count":7}}'::jsonb`))[0]['QUERY PLAN'][0];
    expect(JSON.stringify(plan.Plan)).toContain('nodes_shown_facts_idx');
    expect(plan['Execution Time']).toBeLessThan(200);
    const res = await t.request('observer', { method: 'GET', url: '/api/v1/nodes?fact=cpu.count=7&limit=5' });
    const sevens = Array.from({ length: 10000 }, (_, i) => (i + 1) % 64).filter((c) => c === 7).length;
    expect(res.json().total).toBe(sevens);
    expect(res.json().items).toHaveLength(5);
  });
});
