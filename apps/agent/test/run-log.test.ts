import { describe, expect, it } from 'vitest';
import { MAX_LOG_LINE_CHARS, MAX_LOG_LINES_PER_MESSAGE, MAX_MESSAGE_BYTES } from '@overmind/agent-protocol';
import { RunLog } from '../src/runs/run-log.js';

const texts = (log: RunLog) => log.takeBatches().flatMap((b) => b.lines.map((l) => l.text));

describe('RunLog', () => {
  it('numbers lines from 1 and sends each once per connection until acked', () => {
    const log = new RunLog('r');
    for (const t of ['a', 'b', 'c']) log.append('stdout', t);
    expect(log.takeBatches()).toEqual([{ type: 'run.log', runId: 'r', seq: 1, lines: ['a', 'b', 'c'].map((text) => ({ stream: 'stdout', text })) }]);
    expect(log.takeBatches()).toEqual([]);
    log.append('stderr', 'd');
    expect(log.takeBatches()).toEqual([{ type: 'run.log', runId: 'r', seq: 4, lines: [{ stream: 'stderr', text: 'd' }] }]);

    log.ack(2);
    log.resend();
    expect(log.takeBatches().map((b) => b.seq)).toEqual([3]);
    expect(log.allAcked).toBe(false);
    log.ack(4);
    log.resend();
    expect(log.takeBatches()).toEqual([]);
    expect(log.allAcked).toBe(true);
  });

  it('cuts batches at the line count and at the message size', () => {
    const log = new RunLog('r');
    for (let i = 0; i < MAX_LOG_LINES_PER_MESSAGE * 2 + 1; i++) log.append('stdout', String(i));
    expect(log.takeBatches().map((b) => [b.seq, b.lines.length])).toEqual([
      [1, MAX_LOG_LINES_PER_MESSAGE],
      [MAX_LOG_LINES_PER_MESSAGE + 1, MAX_LOG_LINES_PER_MESSAGE],
      [MAX_LOG_LINES_PER_MESSAGE * 2 + 1, 1],
    ]);

    // Control characters take six bytes each in JSON: 100 such lines would be ~9.8 MB in one message.
    const wide = new RunLog('r');
    for (let i = 0; i < 100; i++) wide.append('stdout', '\u0001'.repeat(MAX_LOG_LINE_CHARS));
    const batches = wide.takeBatches();
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(batches.reduce((n, b) => n + b.lines.length, 0)).toBe(100);
  });

  it('splits an over-long line into pieces the protocol takes, never inside a surrogate pair', () => {
    const log = new RunLog('r');
    const long = `${'x'.repeat(MAX_LOG_LINE_CHARS - 1)}😀${'y'.repeat(10)}`;
    log.append('stdout', long);
    const pieces = texts(log);
    expect(pieces.map((p) => p.length)).toEqual([MAX_LOG_LINE_CHARS - 1, 12]);
    expect(pieces.join('')).toBe(long);
  });

  it('masks before buffering', () => {
    const log = new RunLog('r', (t) => t.replaceAll('hunter2', '***'));
    log.append('stdout', 'password is hunter2');
    expect(texts(log)).toEqual(['password is ***']);
  });

  it('keeps memory bounded: drops the oldest unacked lines and says how many', () => {
    const log = new RunLog('r', undefined, { maxLines: 100, maxBytes: 1024 * 1024 });
    for (let i = 1; i <= 250; i++) log.append('stdout', `line ${i}`);
    expect(log.waiting).toBe(100);
    const batches = log.takeBatches();
    const sent = batches.flatMap((b) => b.lines);
    expect(batches[0]!.seq).toBe(151);
    expect(sent[0]!.text).toBe('line 151');
    expect(sent.at(-1)).toEqual({ stream: 'agent', text: expect.stringMatching(/^\[overmind-agent\] 150 earlier log line\(s\) of this run were dropped/) });
    expect(log.lastSeq).toBe(251);

    // By bytes too.
    const bytes = new RunLog('r', undefined, { maxLines: 1_000_000, maxBytes: 10_000 });
    for (let i = 0; i < 100; i++) bytes.append('stdout', 'z'.repeat(1000));
    expect(bytes.waiting).toBeLessThan(11);
  });
});
