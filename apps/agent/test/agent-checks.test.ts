/**
 * The real agent process runs the checks a server gives it (welcome.features.checks, then checks.set)
 * and reports check.results, batched, within the protocol's schemas.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CheckDefinition, CheckResult } from '@overmind/agent-protocol';
import { killAgents, makeAgentHome, type AgentHome, type AgentProcess } from './support/agent-process.js';
import { ProtocolServer } from './support/protocol-server.js';

const PLUGINS = '/usr/lib/nagios/plugins';
const def = (id: string, extra: Partial<CheckDefinition>): CheckDefinition => ({ id, name: id, command: '/bin/true', args: [], shell: false, intervalSeconds: 2, timeoutSeconds: 20, ...extra });

const load = def('load', { command: `${PLUGINS}/check_load`, args: ['-w', '1000,1000,1000', '-c', '2000,2000,2000'] });
const script = def('script', { command: 'printf "SCRIPT WARN|x=1\\n"; exit 1', shell: true });

let server: ProtocolServer;
let agent: AgentHome;
let running: AgentProcess;

const results = (): CheckResult[] => server.received('check.results').flatMap((m) => m.results);
const resultsOf = (id: string) => results().filter((r) => r.checkId === id);

beforeAll(async () => {
  server = await ProtocolServer.start({ heartbeatSeconds: 2, features: { facts: true, checks: [load, script] } });
  agent = await makeAgentHome();
  await agent.enroll(server.url, server.token());
  running = agent.start();
  await vi.waitFor(() => expect(server.welcomedSessions()).toHaveLength(1), { timeout: 30_000, interval: 100 });
});
afterAll(async () => {
  await killAgents();
  await server.close();
  await agent.remove();
});

describe('checks in the agent', () => {
  it('announces the checks capability', () => {
    expect(server.welcomedSessions()[0]!.hello!.capabilities).toEqual(expect.arrayContaining(['facts', 'checks']));
  });

  it('runs the welcome\'s checks on their interval and sends their results in batches', async () => {
    await expect.poll(() => resultsOf('load').length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => resultsOf('script').length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    expect(resultsOf('load')[0]).toMatchObject({ state: 0, output: expect.stringMatching(/^LOAD OK/), perfdata: expect.arrayContaining([expect.objectContaining({ label: 'load1', min: 0 })]) });
    expect(resultsOf('script')[0]).toMatchObject({ state: 1, output: 'SCRIPT WARN', perfdata: [{ label: 'x', value: 1, uom: '', warn: null, crit: null, min: null, max: null }] });
    // Every 2 s: successive runs of a check are about an interval apart.
    const [first, second] = resultsOf('load');
    expect(Date.parse(second!.at) - Date.parse(first!.at)).toBeGreaterThanOrEqual(1900);
    // Batched: some message carried results of both checks.
    expect(server.received('check.results').some((m) => new Set(m.results.map((r) => r.checkId)).size === 2)).toBe(true);
    expect(server.protocolErrors).toEqual([]);
  });

  it('replaces its checks with checks.set: new ones start, changed ones change, removed ones stop', async () => {
    const tcpCheck = def('tcp', { command: `${PLUGINS}/check_tcp`, args: ['-H', '127.0.0.1', '-p', new URL(server.url).port] });
    server.send({ type: 'checks.set', checks: [{ ...script, command: 'echo "SCRIPT CRIT"; exit 2' }, tcpCheck] });
    await expect.poll(() => resultsOf('tcp').length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => resultsOf('script').at(-1)?.state, { timeout: 30_000 }).toBe(2);
    expect(resultsOf('tcp')[0]).toMatchObject({ state: 0, output: expect.stringMatching(/^TCP OK/) });
    const loadCount = resultsOf('load').length;
    await expect.poll(() => resultsOf('tcp').length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    expect(resultsOf('load').length).toBe(loadCount);
    expect(running.output()).toMatch(/checks: 2 defined \(2 new or changed, 1 removed\)/);
  });

  it('runs no checks and sends no results for a server that does not ask for them', async () => {
    server.options.features = { facts: true };
    server.drop();
    await vi.waitFor(() => expect(server.welcomedSessions()).toHaveLength(2), { timeout: 60_000, interval: 100 });
    const session = server.welcomedSessions()[1]!;
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(session.messages.filter((m) => m.type === 'check.results')).toEqual([]);
  });

  it('ignores definitions off their schema, saying so', async () => {
    server.options.features = { facts: true, checks: [{ ...load, args: 'not an array' }] };
    server.drop();
    await vi.waitFor(() => expect(server.welcomedSessions()).toHaveLength(3), { timeout: 60_000, interval: 100 });
    await expect.poll(() => running.output(), { timeout: 10_000 }).toMatch(/ignoring the server's check definitions: features\.checks\/0\/args /);
    expect(server.protocolErrors).toEqual([]);
  });
});
