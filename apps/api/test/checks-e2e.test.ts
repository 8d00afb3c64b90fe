/**
 * Checks end to end: definitions made through the API reach the real agent (the built bundle, a
 * separate process), which runs the real Debian monitoring-plugins against loopback; results are
 * stored, health computed, state changes recorded and announced on the event stream, and the node
 * goes stale once its agent stops.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNode, getNode, openEventStream, registerProvider } from './support/provider-steps.js';
import { makeRealAgent, stopAllAgents, type RealAgent } from './support/real-agent.js';
import { createTestApp, eventually, type TestApp } from './support/test-app.js';

const PLUGINS = '/usr/lib/nagios/plugins';

let t: TestApp;
let baseUrl: string;
let providerId: string;
let listener: Server;
let port: number;
const agents: RealAgent[] = [];

beforeAll(async () => {
  t = await createTestApp({ env: { OVERMIND_AGENT_HEARTBEAT_SECONDS: '2', OVERMIND_CHECK_STALE_SECONDS: '5' } });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  ({ provider: { id: providerId } } = await registerProvider(t, { name: 'lab', type: 'dummy', credentials: { apiKey: 'k-lab' } }));
  listener = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as AddressInfo).port;
}, 120_000);
afterEach(() => stopAllAgents());
afterAll(async () => {
  await stopAllAgents();
  listener?.close();
  await t?.close();
  await Promise.all(agents.map((a) => a.remove()));
});

async function defineCheck(body: Record<string, unknown>): Promise<string> {
  const res = await t.request('operator', { method: 'POST', url: '/api/v1/checks', payload: { intervalSeconds: 5, timeoutSeconds: 4, ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

interface NodeCheck {
  checkId: string;
  name: string;
  result: { state: string; output: string; perfdata: { label: string; uom: string; value: number | null }[] } | null;
}
const nodeChecks = async (nodeId: string): Promise<{ health: string | null; items: NodeCheck[] }> =>
  (await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${nodeId}/checks` })).json();
const stateOf = async (nodeId: string, name: string) => (await nodeChecks(nodeId)).items.find((i) => i.name === name)?.result?.state;

describe('checks with the real agent', () => {
  it('runs the Debian plugins from definitions made through the API; health, history, events, stale', async () => {
    const { node } = await createNode(t, { providerId, name: 'checked-1', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1', tags: ['e2e-checks'] });
    const nodeId = node.id;
    await defineCheck({ name: 'load', command: `${PLUGINS}/check_load`, args: ['-w', '1000,1000,1000', '-c', '2000,2000,2000'], scope: { kind: 'tag', tag: 'e2e-checks' } });
    await defineCheck({ name: 'disk /', command: `${PLUGINS}/check_disk`, args: ['-w', '1%', '-c', '1%', '-p', '/'], scope: { kind: 'tag', tag: 'e2e-checks' } });
    const tcp = await defineCheck({ name: 'tcp', command: `${PLUGINS}/check_tcp`, args: ['-H', '127.0.0.1', '-p', String(port)], scope: { kind: 'node', nodeId } });

    const stream = await openEventStream(baseUrl, t.tokens.observer);
    const agent = await makeRealAgent();
    agents.push(agent);
    const token = await t.request('operator', { method: 'POST', url: '/api/v1/agent-tokens', payload: { nodeId, ttlSeconds: 600 } });
    await agent.enroll(baseUrl, token.json().token);
    const proc = agent.start();
    try {
      await eventually(async () => ((await getNode(t, nodeId)).agent?.state === 'connected' ? true : undefined), 30_000, `the agent to connect; it said: ${proc.output()}`);

      // Every check reports, all OK, with the plugins' own status text and performance data.
      const first = await eventually(async () => {
        const c = await nodeChecks(nodeId);
        return c.items.length === 3 && c.items.every((i) => i.result) ? c : undefined;
      }, 60_000, `results of the three checks; the agent said: ${proc.output()}`);
      expect(first.health).toBe('ok');
      const byName = Object.fromEntries(first.items.map((i) => [i.name, i.result!]));
      expect(byName.load).toMatchObject({ state: 'ok', output: expect.stringMatching(/^LOAD OK - total load average: /) });
      expect(byName.load!.perfdata.map((p) => p.label)).toEqual(['load1', 'load5', 'load15']);
      expect(byName['disk /']).toMatchObject({ state: 'ok', output: expect.stringMatching(/^DISK OK/), perfdata: [expect.objectContaining({ label: '/', uom: 'B' })] });
      expect(byName.tcp).toMatchObject({ state: 'ok', output: expect.stringMatching(new RegExp(`^TCP OK - .* port ${port}$`)), perfdata: [expect.objectContaining({ label: 'time', uom: 's' })] });
      expect((await getNode(t, nodeId)).health).toBe('ok');

      // The service goes away: check_tcp turns CRITICAL, and so does the node.
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      await eventually(async () => ((await stateOf(nodeId, 'tcp')) === 'critical' ? true : undefined), 60_000, 'tcp critical');
      expect((await nodeChecks(nodeId)).items.find((i) => i.name === 'tcp')!.result!.output).toMatch(/Connection refused/);
      await stream.waitFor((e) => e.event === 'check' && e.data.checkId === tcp && e.data.state === 'critical' && e.data.previous === 'ok', 'the tcp state change event');
      await stream.waitFor((e) => e.event === 'health' && e.data.nodeId === nodeId && e.data.health === 'critical' && e.data.previous === 'ok', 'the health event');
      const history = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${nodeId}/check-history?checkId=${tcp}` })).json();
      expect(history.items.map((h: { state: string; previousState: string | null }) => [h.previousState, h.state])).toEqual([
        ['ok', 'critical'],
        [null, 'ok'],
      ]);

      // A check added now reaches the running agent (checks.set); a script's exit code is its state.
      await defineCheck({ name: 'script', command: 'echo "SCRIPT WARNING - $1 | files=3;2;5;0"; exit 1', args: ['disk is filling'], shell: true, scope: { kind: 'node', nodeId } });
      const script = await eventually(async () => (await nodeChecks(nodeId)).items.find((i) => i.name === 'script' && i.result)?.result ?? undefined, 60_000, 'the script result');
      expect(script).toMatchObject({ state: 'warning', output: 'SCRIPT WARNING - disk is filling', perfdata: [{ label: 'files', value: 3, uom: '', warn: '2', crit: '5', min: 0, max: null }] });
      expect((await getNode(t, nodeId)).health).toBe('critical');

      // The agent stops: no more results, and the node is stale (after 2 x 5 s + 4 s, the checks' own bound).
      await proc.kill('SIGTERM');
      await eventually(async () => ((await getNode(t, nodeId)).health === 'stale' ? true : undefined), 60_000, 'health stale');
      await stream.waitFor((e) => e.event === 'health' && e.data.nodeId === nodeId && e.data.health === 'stale' && e.data.previous === 'critical', 'the stale event');
      const listed = (await t.request('observer', { method: 'GET', url: '/api/v1/nodes?health=stale' })).json();
      expect(listed.items.map((n: { id: string }) => n.id)).toEqual([nodeId]);
    } finally {
      await stream.close();
    }
  }, 240_000);
});
