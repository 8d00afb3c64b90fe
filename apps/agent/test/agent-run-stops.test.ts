import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killAgents, makeAgentHome, type AgentHome } from './support/agent-process.js';
import { isAlive, killQuietly } from './support/processes.js';
import { deadlineIn, ProtocolServer } from './support/protocol-server.js';

let server: ProtocolServer;
let agent: AgentHome;
let work: string;
const pids: number[] = [];

beforeEach(async () => {
  server = await ProtocolServer.start({ heartbeatSeconds: 2 });
  agent = await makeAgentHome();
  work = await mkdtemp(join(tmpdir(), 'overmind-agent-work-'));
  await agent.enroll(server.url, server.token());
});
afterEach(async () => {
  await killAgents();
  pids.forEach(killQuietly);
  expect(server.protocolErrors).toEqual([]);
  await server.close();
  await agent.remove();
  await rm(work, { recursive: true, force: true });
});

const result = (id: string) => server.runs.get(id)?.result ?? null;
const readPid = async (file: string) => {
  const pid = Number((await readFile(file, 'utf8')).trim());
  pids.push(pid);
  return pid;
};
/** A shell that starts a long `sleep` in the background (its pid in `pidFile`), says so, and waits. */
const sleeper = (pidFile: string) => `sleep 300 & echo $! > ${pidFile}; echo started; wait`;

describe('stopping runs', () => {
  it('cancels a run: its whole process group is killed and the outcome is cancelled', async () => {
    const running = agent.start();
    await expect.poll(() => server.welcomedSessions().length).toBe(1);
    const pidFile = join(work, 'sleep.pid');
    server.offer({ id: 'cancel-me', kind: 'command', deadline: deadlineIn(600), spec: { command: sleeper(pidFile), timeoutSeconds: 600 } });
    await expect.poll(() => server.text('cancel-me')).toEqual(['started']);
    const sleepPid = await readPid(pidFile);
    expect(isAlive(sleepPid)).toBe(true);

    server.send({ type: 'run.cancel', runId: 'cancel-me', reason: 'an operator cancelled it' });
    await expect.poll(() => result('cancel-me')).toMatchObject({ outcome: 'cancelled', error: 'cancelled: an operator cancelled it', exitCode: null, signal: 'SIGTERM' });
    expect(isAlive(sleepPid)).toBe(false);
    expect(running.child.exitCode).toBeNull();
  });

  it('kills a run at its timeout: timed-out, the process group gone', async () => {
    agent.start();
    await expect.poll(() => server.welcomedSessions().length).toBe(1);
    const pidFile = join(work, 'sleep.pid');
    const started = Date.now();
    server.offer({ id: 'too-slow', kind: 'command', deadline: deadlineIn(600), spec: { command: sleeper(pidFile), timeoutSeconds: 2 } });
    await expect.poll(() => result('too-slow')).toMatchObject({ outcome: 'timed-out', error: 'the run did not finish within 2 s and was killed' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(isAlive(await readPid(pidFile))).toBe(false);
  });

  it('reports a run it was killed during (SIGKILL) as failed once at the next start, never running it again', async () => {
    const first = agent.start();
    await expect.poll(() => server.welcomedSessions().length).toBe(1);
    const ran = join(work, 'ran');
    const pidFile = join(work, 'sleep.pid');
    const spec = { command: `echo ran >> ${ran}; ${sleeper(pidFile)}`, timeoutSeconds: 600 };
    server.offer({ id: 'orphaned', kind: 'command', deadline: deadlineIn(600), spec });
    await expect.poll(() => server.text('orphaned')).toEqual(['started']);
    await readPid(pidFile);
    await first.kill();

    const second = agent.start();
    await expect.poll(() => server.welcomedSessions().length).toBe(2);
    expect(server.welcomedSessions()[1]!.hello!.runs).toEqual([{ id: 'orphaned', state: 'finished' }]);
    await expect.poll(() => result('orphaned')).toMatchObject({ outcome: 'failed', error: 'the agent restarted during the run', exitCode: null });
    // Offered again (the server had not heard of the end): the result again, not a second execution.
    server.offer({ id: 'orphaned', kind: 'command', deadline: deadlineIn(600), spec });
    await expect.poll(() => server.runs.get('orphaned')!.resultReceipts).toBe(2);
    expect(server.runs.get('orphaned')!.accepted).toBe(1);

    // Acked: the next start has nothing to report.
    expect((await second.stop()).code).toBe(0);
    agent.start();
    await expect.poll(() => server.welcomedSessions().length).toBe(3);
    expect(server.welcomedSessions()[2]!.hello!.runs).toEqual([]);
    expect(server.welcomedSessions()[2]!.hello!.lastRunId).toBe('orphaned');
    expect(server.runs.get('orphaned')!.resultReceipts).toBe(2);
    expect((await readFile(ran, 'utf8')).trim().split('\n')).toEqual(['ran']);
  });

  it('stops promptly on SIGTERM mid-run, kills the run, and reports it failed at the next start', async () => {
    const first = agent.start();
    await expect.poll(() => server.welcomedSessions().length).toBe(1);
    const pidFile = join(work, 'sleep.pid');
    server.offer({ id: 'interrupted', kind: 'command', deadline: deadlineIn(600), spec: { command: sleeper(pidFile), timeoutSeconds: 600 } });
    await expect.poll(() => server.text('interrupted')).toEqual(['started']);
    const sleepPid = await readPid(pidFile);
    const asked = Date.now();
    expect(await first.stop()).toEqual({ code: 0, signal: null });
    expect(Date.now() - asked).toBeLessThan(10_000);
    expect(server.welcomedSessions()[0]!.closed?.code).toBe(1000);
    await expect.poll(() => isAlive(sleepPid)).toBe(false);
    expect(result('interrupted')).toBeNull();

    agent.start();
    await expect.poll(() => result('interrupted')).toMatchObject({ outcome: 'failed', error: 'the agent stopped during the run' });
  });
});
