import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeAgentMessage, encodeMessage, MAX_CHECK_RESULTS_PER_MESSAGE, MAX_MESSAGE_BYTES, type AgentMessage, type CheckDefinition, type CheckResult } from '@overmind/agent-protocol';
import { CheckResultOutbox } from '../src/checks/check-result-outbox.js';
import { CheckScheduler } from '../src/checks/check-scheduler.js';
import { isAlive } from './support/processes.js';

const result = (checkId: string, extra: Partial<CheckResult> = {}): CheckResult => ({ checkId, state: 0, output: 'OK', longOutput: '', perfdata: [], durationMs: 1, at: new Date().toISOString(), ...extra });

describe('check result outbox', () => {
  it('keeps only the latest result of each check while it cannot send', () => {
    const sent: AgentMessage[] = [];
    let connected = false;
    const outbox = new CheckResultOutbox({ send: (m) => (connected ? (sent.push(m), true) : false), canSend: () => connected, flushMs: 60_000 });
    outbox.add(result('a', { output: 'first' }));
    outbox.add(result('b'));
    outbox.add(result('a', { output: 'second' }));
    outbox.flush();
    expect(sent).toEqual([]);
    expect(outbox.waiting).toBe(2);
    connected = true;
    outbox.flush();
    expect(sent).toHaveLength(1);
    expect((sent[0] as Extract<AgentMessage, { type: 'check.results' }>).results.map((r) => [r.checkId, r.output])).toEqual([
      ['b', 'OK'],
      ['a', 'second'],
    ]);
    expect(outbox.waiting).toBe(0);
    outbox.stop();
  });

  it('splits into messages within the count and size limits, each valid on the wire', () => {
    const sent: AgentMessage[] = [];
    const outbox = new CheckResultOutbox({ send: (m) => (sent.push(m), true), canSend: () => true, flushMs: 60_000 });
    for (let i = 0; i < MAX_CHECK_RESULTS_PER_MESSAGE + 10; i++) outbox.add(result(`small-${i}`));
    // Each big result is ~100 KB of JSON (escaped control characters): ten do not fit in one message.
    for (let i = 0; i < 20; i++) outbox.add(result(`big-${i}`, { longOutput: '\u0001'.repeat(16 * 1024) }));
    outbox.flush();
    outbox.stop();
    expect(sent.length).toBeGreaterThanOrEqual(4);
    let total = 0;
    for (const message of sent) {
      const text = encodeMessage(message);
      expect(Buffer.byteLength(text)).toBeLessThan(MAX_MESSAGE_BYTES);
      expect(decodeAgentMessage(text).ok).toBe(true);
      total += (message as Extract<AgentMessage, { type: 'check.results' }>).results.length;
    }
    expect(total).toBe(MAX_CHECK_RESULTS_PER_MESSAGE + 30);
  });

  it('drops what waits for checks no longer defined', () => {
    const outbox = new CheckResultOutbox({ send: () => false, canSend: () => false, flushMs: 60_000 });
    outbox.add(result('a'));
    outbox.add(result('b'));
    outbox.keepOnly(new Set(['b']));
    expect(outbox.waiting).toBe(1);
    outbox.stop();
  });
});

describe('check scheduler', () => {
  let scheduler: CheckScheduler | null = null;
  afterEach(() => scheduler?.stop());
  const def = (id: string, extra: Partial<CheckDefinition> = {}): CheckDefinition => ({ id, name: id, command: 'x', args: [], shell: false, intervalSeconds: 1, timeoutSeconds: 5, ...extra });
  const log = { info: () => {}, warn: () => {}, error: () => {} };

  it('keeps the schedule of unchanged checks, restarts changed ones and stops removed ones', async () => {
    const runs: string[] = [];
    scheduler = new CheckScheduler({
      log,
      onResult: () => {},
      firstDelayMs: () => 0,
      run: async (check) => {
        runs.push(`${check.id}:${check.command}`);
        return result(check.id);
      },
    });
    scheduler.set([def('a'), def('b')]);
    await expect.poll(() => runs.length).toBeGreaterThanOrEqual(2);
    const before = runs.length;
    // The same set again: nothing runs at once.
    scheduler.set([def('a'), def('b')]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runs.length).toBe(before);
    scheduler.set([def('a', { command: 'y' })]);
    await expect.poll(() => runs.includes('a:y')).toBe(true);
    const bRuns = runs.filter((r) => r.startsWith('b:')).length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(runs.filter((r) => r.startsWith('b:')).length).toBe(bRuns);
    expect(runs.filter((r) => r === 'a:y').length).toBeGreaterThanOrEqual(2);
  });

  it('runs at most 8 plugins at once and never two runs of one check', async () => {
    let active = 0;
    let most = 0;
    const perCheck = new Map<string, number>();
    let overlap = false;
    scheduler = new CheckScheduler({
      log,
      onResult: () => {},
      firstDelayMs: () => 0,
      run: async (check) => {
        active++;
        most = Math.max(most, active);
        perCheck.set(check.id, (perCheck.get(check.id) ?? 0) + 1);
        if (perCheck.get(check.id)! > 1) overlap = true;
        await new Promise((resolve) => setTimeout(resolve, 1500));
        perCheck.set(check.id, perCheck.get(check.id)! - 1);
        active--;
        return result(check.id);
      },
    });
    scheduler.set(Array.from({ length: 20 }, (_, i) => def(`c${i}`)));
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(most).toBe(8);
    expect(overlap).toBe(false);
  });

  it('stops with the agent: a running plugin, even one ignoring SIGTERM, is killed before stop() resolves', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'overmind-check-stop-'));
    const pidFile = join(dir, 'pid');
    const results: unknown[] = [];
    scheduler = new CheckScheduler({ log, onResult: (r) => results.push(r), firstDelayMs: () => 0 });
    scheduler.set([def('stubborn', { command: `trap '' TERM; echo $$ > ${pidFile}; sleep 60`, shell: true, intervalSeconds: 60, timeoutSeconds: 120 })]);
    await expect.poll(() => readFile(pidFile, 'utf8').catch(() => ''), { timeout: 10_000 }).toMatch(/^\d+/);
    const pid = Number(await readFile(pidFile, 'utf8'));
    await scheduler.stop();
    expect(isAlive(pid)).toBe(false);
    expect(results).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });
});
