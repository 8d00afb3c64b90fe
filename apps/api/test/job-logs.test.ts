/**
 * A job's log on its way to Postgres and to the event stream: hostile text, a batch the database
 * refuses, an error too long for a notification, and a very long log. Jobs run through the real job
 * runner against the real database, with handlers written here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner, type JobHandler, type JobHandlers } from '../src/modules/jobs/job-runner.js';
import { MAX_LOG_LINE_CHARS } from '../src/modules/jobs/log-text.js';
import { openStream } from './support/event-stream-client.js';
import { createTestApp, eventually, type TestApp } from './support/test-app.js';

let t: TestApp;
let baseUrl: string;
beforeAll(async () => {
  t = await createTestApp();
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t?.close());

/** Runs `handler` as a job of its own (never queued, so the app's workers leave it alone); returns the job as the API shows it. */
async function runJob(handler: JobHandler) {
  const [{ id }] = await t.app.db.query(`INSERT INTO jobs (type, target_type, target_id, max_attempts) VALUES ('noop', 'system', gen_random_uuid(), 1) RETURNING id`);
  const runner = createJobRunner({
    db: t.app.db,
    boss: t.app.boss,
    events: t.app.events,
    handlers: { noop: handler } as JobHandlers,
    settings: { timeoutSeconds: 300, retryBaseMs: 10 },
    log: t.app.log,
  });
  await runner.run({ jobId: id });
  return (await t.request('observer', { method: 'GET', url: `/api/v1/jobs/${id}` })).json();
}

async function logOf(jobId: string): Promise<{ items: { id: string; level: string; line: string }[]; total: number }> {
  return (await t.request('observer', { method: 'GET', url: `/api/v1/jobs/${jobId}/logs?limit=1000` })).json();
}

describe('job log lines', () => {
  it('are stored with NUL and other control characters made visible and long lines cut with a marker, neighbours kept', async () => {
    const job = await runJob({
      async run(ctx) {
        ctx.log('before');
        ctx.log('a\0b');
        ctx.log('\x01'.repeat(1024 * 1024));
        ctx.log('tab\tkept, \x1b[31mred\x1b[0m, carriage\rreturn, bell\x07, del\x7f, c1\x9b, half \ud800 pair');
        ctx.log('exit code 0');
      },
    });
    expect(job.state, job.error).toBe('succeeded');
    const lines = (await logOf(job.id)).items.map((l) => l.line);
    expect(lines).toEqual([
      'attempt 1 of 1 started',
      'before',
      'a\u2400b',
      `${'\u2401'.repeat(MAX_LOG_LINE_CHARS)}… [${1024 * 1024 - MAX_LOG_LINE_CHARS} more characters not stored]`,
      'tab\tkept, \u241b[31mred\u241b[0m, carriage\u240dreturn, bell\u2407, del\u2421, c1\ufffd, half \ufffd pair',
      'exit code 0',
    ]);
  });

  it('that the database refuses fail the job with the reason; the lines around them and a marker are stored', async () => {
    // A rule this test adds: the database refuses one line, whatever the reason.
    await t.app.db.query(`ALTER TABLE job_logs ADD CONSTRAINT test_refuses_a_word CHECK (line NOT LIKE '%forbidden%')`);
    try {
      const job = await runJob({
        async run(ctx) {
          ctx.log('one');
          ctx.log('forbidden');
          ctx.log('exit code 0');
          return { ok: true };
        },
      });
      expect(job.state).toBe('failed');
      expect(job.error).toMatch(/^1 log line\(s\) could not be stored: new row for relation "job_logs" violates check constraint "test_refuses_a_word"/);
      const lines = (await logOf(job.id)).items.map((l) => l.line);
      expect(lines.slice(0, 4)).toEqual([
        'attempt 1 of 1 started',
        'one',
        expect.stringMatching(/^\[a info line of 9 characters could not be stored: new row for relation "job_logs" violates check constraint/),
        'exit code 0',
      ]);
      expect(lines.at(-1)).toMatch(/^failed: 1 log line\(s\) could not be stored/);
      expect(t.logs.some((l) => l.includes('could not store job log lines') && l.includes(job.id))).toBe(true);
    } finally {
      await t.app.db.query('ALTER TABLE job_logs DROP CONSTRAINT test_refuses_a_word');
    }
  });

  it('reach the event stream as small events naming the stored lines, however many there are', async () => {
    const stream = await openStream(baseUrl, t.tokens.observer);
    const job = await runJob({
      async run(ctx) {
        // 200,000 lines of 100 characters (20 MB), as a chatty command writes them.
        for (let i = 0; i < 200_000; i++) {
          ctx.log(`line ${i} `.padEnd(100, 'x'));
          if (i % 5000 === 0) await new Promise((r) => setTimeout(r, 10));
        }
      },
    });
    expect(job.state, job.error).toBe('succeeded');
    const { total } = await logOf(job.id);
    expect(total).toBe(200_001);
    const announced = await eventually(async () => {
      const events = stream.received.filter((e) => e.event === 'job.log' && e.data.id === job.id).map((e) => e.data);
      return events.reduce((n, e) => n + (e.count as number), 0) === total ? events : undefined;
    }, 30_000, 'events for every stored line');
    stream.close();
    // One per stored batch, never one per line, and never the text.
    expect(announced.length).toBeLessThan(1000);
    for (const event of announced) {
      expect(Object.keys(event).sort()).toEqual(['count', 'firstLineId', 'id', 'lastLineId', 'type']);
      expect(Number(event.lastLineId) - Number(event.firstLineId) + 1).toBe(event.count);
    }
    // What a console does with one: fetch the lines after the last one it holds.
    const last = announced.at(-1)!;
    const page = (await t.request('observer', { method: 'GET', url: `/api/v1/jobs/${job.id}/logs?after=${Number(last.firstLineId) - 1}&limit=1000` })).json();
    expect(page.items.map((l: { id: string }) => l.id)).toEqual(
      Array.from({ length: Math.min(last.count as number, 1000) }, (_, i) => String(Number(last.firstLineId) + i)),
    );
  }, 180_000);
});

describe('job errors', () => {
  it('too long for a notification, or with NUL in them, are stored cut and visible, and the job fails normally', async () => {
    const stream = await openStream(baseUrl, t.tokens.observer);
    const job = await runJob({
      async run() {
        throw new Error(`node said: ${'\0'.repeat(30_000)}`);
      },
    });
    expect(job.state).toBe('failed');
    expect(job.error).toBe(`node said: ${'\u2400'.repeat(4000 - 'node said: '.length)}… [${30_000 + 'node said: '.length - 4000} more characters not stored]`);
    const failed = await eventually(async () => stream.received.find((e) => e.event === 'job' && e.data.id === job.id && e.data.state === 'failed'), 10_000, 'the failed event');
    stream.close();
    expect(failed.data.error).toBe(job.error.slice(0, 1000));
  });
});
