import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_LOG_LINE_CHARS, MAX_LOG_LINES_PER_MESSAGE } from '@overmind/agent-protocol';
import { killAgents, makeAgentHome, type AgentHome, type AgentProcess } from './support/agent-process.js';
import { deadlineIn, ProtocolServer } from './support/protocol-server.js';

let server: ProtocolServer;
let agent: AgentHome;
let running: AgentProcess;
let work: string;

beforeAll(async () => {
  server = await ProtocolServer.start({ heartbeatSeconds: 2 });
  agent = await makeAgentHome();
  await agent.enroll(server.url, server.token());
  running = agent.start();
  await vi.waitFor(() => expect(server.welcomedSessions()).toHaveLength(1), { timeout: 30_000, interval: 100 });
});
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'overmind-agent-work-'));
  server.options.autoAck = true;
});
afterEach(async () => {
  expect(server.protocolErrors).toEqual([]);
  await rm(work, { recursive: true, force: true });
});
afterAll(async () => {
  await killAgents();
  await server.close();
  await agent.remove();
});

const command = (id: string, cmd: string, extra: { timeoutSeconds?: number; env?: Record<string, string> } = {}) =>
  server.offer({ id, kind: 'command', deadline: deadlineIn(600), spec: { command: cmd, timeoutSeconds: extra.timeoutSeconds ?? 120, ...(extra.env ? { env: extra.env } : {}) } });
const result = (id: string) => server.runs.get(id)?.result ?? null;
const lines = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);

describe('command runs', () => {
  it('runs the command with its env, streams numbered lines and reports the result', async () => {
    const secret = 'env-secret-value-31337';
    command('cmd-1', 'echo one; echo two >&2; test "$RUN_TOKEN" = "env-secret-value-31337" && echo env-ok; printf "no newline"', { env: { RUN_TOKEN: secret } });
    await expect.poll(() => result('cmd-1')).toMatchObject({ outcome: 'succeeded', exitCode: 0, signal: null, error: null, logLines: 4 });
    const stored = server.lines('cmd-1');
    expect(stored.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual(['one', 'env-ok', 'no newline']);
    expect(stored.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual(['two']);
    expect(server.runs.get('cmd-1')).toMatchObject({ accepted: 1, resultReceipts: 1 });
    // Env values are the run's business: never in the agent's own log.
    expect(running.output()).not.toContain(secret);
    expect(running.output()).toMatch(/run cmd-1 \(command\) started/);

    const status = JSON.parse((await agent.cli(['status', '--json'])).stdout);
    expect(status.lastRun).toMatchObject({ id: 'cmd-1', kind: 'command', outcome: 'succeeded' });
  });

  it('batches many lines within the protocol limits and splits an over-long line', async () => {
    command('cmd-many', `seq 1 3000; head -c 40000 /dev/zero | tr '\\0' x; echo; echo end`);
    await expect.poll(() => result('cmd-many')).toMatchObject({ outcome: 'succeeded', logLines: 3004 });
    const texts = server.text('cmd-many');
    expect(texts.slice(0, 3000)).toEqual(Array.from({ length: 3000 }, (_, i) => String(i + 1)));
    expect(texts.slice(3000).map((t) => t.length)).toEqual([MAX_LOG_LINE_CHARS, MAX_LOG_LINE_CHARS, 40000 - 2 * MAX_LOG_LINE_CHARS, 3]);
    const batches = server.received('run.log').filter((m) => m.runId === 'cmd-many');
    expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(3004 / MAX_LOG_LINES_PER_MESSAGE));
    for (const batch of batches) expect(batch.lines.length).toBeLessThanOrEqual(MAX_LOG_LINES_PER_MESSAGE);
  });

  it('reports a failing command with its exit code', async () => {
    command('cmd-fail', 'echo oops >&2; exit 3');
    await expect.poll(() => result('cmd-fail')).toMatchObject({ outcome: 'failed', exitCode: 3, error: 'the command exited with code 3' });
  });

  it('rejects a run already past its deadline without running it', async () => {
    const marker = join(work, 'ran');
    server.offer({ id: 'cmd-late', kind: 'command', deadline: new Date(Date.now() - 1000).toISOString(), spec: { command: `touch ${marker}`, timeoutSeconds: 10 } });
    await expect.poll(() => server.runs.get('cmd-late')?.rejected).toEqual([expect.stringMatching(/deadline .* had passed/)]);
    expect(server.runs.get('cmd-late')).toMatchObject({ accepted: 0, result: null });
    await expect(readFile(marker)).rejects.toThrow();
  });

  it('answers a repeated offer of a running and of a finished run without running it again', async () => {
    const file = join(work, 'ran');
    command('cmd-again', `echo ran >> ${file}; sleep 2; echo slept`);
    await expect.poll(() => server.runs.get('cmd-again')?.accepted).toBe(1);
    command('cmd-again', `echo ran >> ${file}; sleep 2; echo slept`);
    await expect.poll(() => server.runs.get('cmd-again')?.accepted).toBe(2);
    await expect.poll(() => result('cmd-again')).toMatchObject({ outcome: 'succeeded' });
    command('cmd-again', `echo ran >> ${file}`);
    await expect.poll(() => server.runs.get('cmd-again')?.resultReceipts).toBe(2);
    expect(server.runs.get('cmd-again')!.accepted).toBe(2);
    expect(await lines(file)).toEqual(['ran']);
    expect(server.text('cmd-again')).toEqual(['slept']);
  });

  it('sends unacknowledged lines and the result again after the connection drops, stored once', async () => {
    server.options.autoAck = false;
    const file = join(work, 'ran');
    const sessions = server.welcomedSessions().length;
    command('cmd-drop', `echo ran >> ${file}; for i in $(seq 1 10); do echo line-$i; sleep 0.2; done; sleep 1; echo last`);
    await expect.poll(() => server.runs.get('cmd-drop')?.lines.size ?? 0).toBeGreaterThanOrEqual(3);
    server.drop();
    await expect.poll(() => server.welcomedSessions().length).toBe(sessions + 1);
    const reconnected = server.welcomedSessions().at(-1)!;
    expect(reconnected.hello!.runs).toContainEqual({ id: 'cmd-drop', state: 'running' });
    expect(reconnected.hello!.lastRunId).toBe('cmd-drop');

    await expect.poll(() => result('cmd-drop')).toMatchObject({ outcome: 'succeeded', logLines: 11 });
    // Nothing was acked: the result's connection drops too, and everything goes again.
    const receipts = server.runs.get('cmd-drop')!.lineReceipts;
    server.drop();
    await expect.poll(() => server.welcomedSessions().length).toBe(sessions + 2);
    expect(server.welcomedSessions().at(-1)!.hello!.runs).toContainEqual({ id: 'cmd-drop', state: 'finished' });
    await expect.poll(() => server.runs.get('cmd-drop')!.resultReceipts).toBe(2);
    expect(server.runs.get('cmd-drop')!.lineReceipts).toBeGreaterThanOrEqual(receipts + 11);

    // Stored once whatever the copies: every line in order, one result, one execution.
    expect(server.text('cmd-drop')).toEqual([...Array.from({ length: 10 }, (_, i) => `line-${i + 1}`), 'last']);
    expect(await lines(file)).toEqual(['ran']);
    server.ack('cmd-drop');
    server.drop();
    await expect.poll(() => server.welcomedSessions().length).toBe(sessions + 3);
    expect(server.welcomedSessions().at(-1)!.hello!.runs).toEqual([]);
  });
});
