import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseCode, MAX_MESSAGE_BYTES } from '@overmind/agent-protocol';
import { killAgents, makeAgentHome, type AgentHome } from './support/agent-process.js';
import { ProtocolServer } from './support/protocol-server.js';

let server: ProtocolServer;
let agent: AgentHome;

beforeEach(async () => {
  server = await ProtocolServer.start({ heartbeatSeconds: 1 });
  agent = await makeAgentHome();
  await agent.enroll(server.url, server.token('node-1'));
});
afterEach(async () => {
  await killAgents();
  expect(server.protocolErrors).toEqual([]);
  await server.close();
  await agent.remove();
});

/** Sorted keys at every level, written independently of the agent's own canonical JSON. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
}

describe('the agent connection', () => {
  it('answers the challenge with a signed hello, heartbeats, sends facts and reports connected', async () => {
    server.options.features = { facts: true };
    const running = agent.start();
    await expect.poll(() => server.welcomedSessions().length).toBe(1);
    const session = server.welcomedSessions()[0]!;
    // The test server welcomed it only after checking the signature with the key from enrolment.
    expect(session.hello).toMatchObject({ version: 1, agentVersion: '0.1.0', capabilities: ['facts', 'readings', 'checks'], runs: [], lastRunId: null });

    await expect.poll(() => server.received('heartbeat').length).toBeGreaterThanOrEqual(3);
    const beats = server.received('heartbeat');
    expect(beats.map((b) => b.seq)).toEqual(beats.map((_, i) => i + 1));
    expect(beats.at(-1)).toMatchObject({ running: [] });

    const [facts] = server.received('facts');
    expect(facts!.facts).toMatchObject({ kernel: expect.any(String), arch: expect.any(String), agentVersion: '0.1.0', cpu: { count: expect.any(Number) } });
    expect(facts!.hash).toBe(createHash('sha256').update(sortedJson(facts!.facts)).digest('hex'));
    expect(beats.at(-1)!.factsHash).toBe(facts!.hash);

    const status = await agent.cli(['status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ enrolled: true, running: true, connected: true, nodeId: 'node-1', url: server.url, version: '0.1.0', lastRun: null, agentId: session.hello!.agentId });
    const text = await agent.cli(['status']);
    expect(text.stdout).toMatch(/^connected since \d{4}-\d\d-\d\dT/);

    // SIGTERM: a normal close, exit 0, and status says it is not running.
    const exit = await running.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    await expect.poll(() => session.closed?.code).toBe(1000);
    const after = await agent.cli(['status', '--json']);
    expect(after.code).toBe(1);
    expect(JSON.parse(after.stdout)).toMatchObject({ running: false, connected: false });
  });

  it('closes with 4400 on a malformed server message and reconnects without crashing', async () => {
    const running = agent.start();
    await expect.poll(() => server.welcomedSessions().length).toBe(1);
    server.sendRaw('{"type":"run.explode"}');
    await expect.poll(() => server.welcomedSessions()[0]!.closed).toMatchObject({ code: CloseCode.malformed, reason: expect.stringMatching(/unknown message type/) });
    await expect.poll(() => server.welcomedSessions().length).toBe(2);
    server.sendRaw('not json at all');
    await expect.poll(() => server.welcomedSessions()[1]!.closed).toMatchObject({ code: CloseCode.malformed, reason: 'message is not JSON' });
    await expect.poll(() => server.welcomedSessions().length).toBe(3);
    // A known type with a bad field names the field.
    server.sendRaw(JSON.stringify({ type: 'run.ack', runId: 'r', logSeq: -1, finished: false }));
    await expect.poll(() => server.welcomedSessions()[2]!.closed?.reason).toMatch(/^run\.ack: \/logSeq /);
    expect(running.child.exitCode).toBeNull();
    expect(running.output()).toMatch(/closing the connection \(4400 malformed: unknown message type/);
  });

  it('closes with 1009 on a message over 1 MiB and reconnects', async () => {
    const running = agent.start();
    await expect.poll(() => server.welcomedSessions().length).toBe(1);
    server.sendRaw(JSON.stringify({ type: 'run.cancel', runId: 'r', reason: 'x'.repeat(MAX_MESSAGE_BYTES) }));
    await expect.poll(() => server.welcomedSessions()[0]!.closed?.code).toBe(CloseCode.tooLarge);
    await expect.poll(() => server.welcomedSessions().length).toBe(2);
    expect(running.child.exitCode).toBeNull();
  });

  it("heartbeats at agent.json's interval when it is shorter than the server's", async () => {
    server.options.heartbeatSeconds = 600;
    const config = join(agent.configDir, 'agent.json');
    await writeFile(config, JSON.stringify({ ...JSON.parse(await readFile(config, 'utf8')), heartbeatSeconds: 1 }));
    agent.start();
    await expect.poll(() => server.received('heartbeat').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses to run with a broken agent.json: one line, exit 78', async () => {
    await writeFile(join(agent.configDir, 'agent.json'), JSON.stringify({ url: server.url, heartbeatSecond: 5 }));
    const running = agent.start();
    expect((await running.exited).code).toBe(78);
    expect(running.output()).toBe(`overmind-agent: ${join(agent.configDir, 'agent.json')}: unknown setting "heartbeatSecond" (known: url, heartbeatSeconds, caFile, user)\n`);
    expect(server.sessions).toHaveLength(0);
  });

  it('drops a connection that stopped answering and reconnects', async () => {
    const running = agent.start();
    await expect.poll(() => server.welcomedSessions().length).toBe(1);
    // The server stops reading: no pong, no message, as a hung API.
    (server.welcomedSessions()[0]!.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await expect.poll(() => server.welcomedSessions().length, { timeout: 60_000 }).toBe(2);
    expect(running.output()).toMatch(/nothing heard from the server for \d+ s: reconnecting/);
  });

  it.each([
    [CloseCode.forbidden, /revoked or rejected/],
    [CloseCode.unsupportedVersion, /upgrade the agent/],
  ])('stops with exit code 78 when the server closes with the final code %i', async (code, advice) => {
    server.options.onHello = () => code;
    const running = agent.start();
    const exit = await running.exited;
    expect(exit.code).toBe(78);
    expect(running.output()).toMatch(advice);
    expect(server.sessions).toHaveLength(1);
    const status = await agent.cli(['status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: false, lastError: expect.stringMatching(`refused by the server \\(${code}`) });
  });

  it('stops with 78 when the server does not know its key (4401), and when no version is common', async () => {
    server.agents.clear();
    const refused = agent.start();
    expect((await refused.exited).code).toBe(78);
    expect(refused.output()).toMatch(/4401 unauthorized: bad signature\): the server does not know this agent or its key: enrol again/);

    const other = await ProtocolServer.start({ versions: [7, 8] });
    const home = await makeAgentHome();
    try {
      await home.enroll(other.url, other.token());
      const tooNew = home.start();
      expect((await tooNew.exited).code).toBe(78);
      expect(tooNew.output()).toMatch(/the server speaks protocol versions 7, 8, this agent 1: upgrade the agent/);
      await expect.poll(() => other.sessions[0]?.closed?.code).toBe(CloseCode.unsupportedVersion);
    } finally {
      await other.close();
      await home.remove();
    }
  });

  it('waits for approval (4423) without giving up', async () => {
    server.options.onHello = () => CloseCode.pendingApproval;
    const running = agent.start();
    await expect.poll(() => running.output()).toMatch(/waiting for an operator to approve this agent; asking again in (3\d|4\d|5\d|60) s/);
    expect(running.child.exitCode).toBeNull();
  });
});
