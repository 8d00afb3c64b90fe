/**
 * The claims of jobs started together, and the successes of jobs ending together, each go to
 * Postgres in one statement, and each job still gets its own row, log line and events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createJobClaims } from '../src/modules/jobs/job-claims.js';
import { JOB_QUEUE, captureQueueCompletion, captureQueueFetch } from '../src/modules/jobs/job-queue.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('batched job claims and successes', () => {
  it('claims the jobs of one tick in one statement: a new attempt logs its start, a continuation does not, a cancelled job is not claimed', async () => {
    const insert = async (state: string, attempts: number) =>
      (await t.app.db.query(`INSERT INTO jobs (type, target_type, target_id, state, attempts, max_attempts) VALUES ('noop', 'system', gen_random_uuid(), $1, $2, 2) RETURNING id`, [state, attempts]))[0].id as string;
    const [fresh, continuing, cancelled] = [await insert('queued', 0), await insert('running', 1), await insert('cancelled', 0)];
    const statements: string[] = [];
    const notified: string[] = [];
    const db = { query: (sql: string, params?: unknown[]) => (statements.push(sql), t.app.db.query(sql, params)) };
    const claims = createJobClaims(db, { notify: (_m, payloads) => void notified.push(...payloads.filter((p): p is string => !!p)) });

    const [a, b, c] = await Promise.all([
      claims.claim({ jobId: fresh, continued: false }),
      claims.claim({ jobId: continuing, continued: true }),
      claims.claim({ jobId: cancelled, continued: false }),
    ]);
    expect(statements).toHaveLength(1);
    expect(a).toMatchObject({ id: fresh, state: 'running', attempts: 1 });
    expect(b).toMatchObject({ id: continuing, state: 'running', attempts: 1 });
    expect(c).toBeNull();
    const lines = await t.app.db.query(`SELECT job_id, line FROM job_logs WHERE job_id = ANY($1) ORDER BY id`, [[fresh, continuing, cancelled]]);
    expect(lines).toEqual([{ job_id: fresh, line: 'attempt 1 of 2 started' }]);
    const events = notified.map((p) => JSON.parse(p));
    expect(events.filter((e) => e.type === 'job').map((e) => [e.id, e.state]).sort()).toEqual([[fresh, 'running'], [continuing, 'running']].sort());
    expect(events.filter((e) => e.type === 'job.log')).toEqual([expect.objectContaining({ id: fresh, count: 1 })]);

    statements.length = 0;
    const [done1, done2] = await Promise.all([claims.succeed({ jobId: fresh, result: { answer: 42 } }), claims.succeed({ jobId: continuing, result: null })]);
    expect(statements).toHaveLength(1);
    expect(done1).toMatchObject({ job: { id: fresh, state: 'succeeded', progress: 100, result: { answer: 42 }, error: null }, queueCompleted: false });
    expect(done1.job!.finishedAt).toBeInstanceOf(Date);
    expect(done2).toMatchObject({ job: { id: continuing, state: 'succeeded', result: null }, queueCompleted: false });
  });

  it("completes the succeeded jobs' queue entries in the statement that records their success", async () => {
    const queue = `claims-${randomUUID()}`;
    await t.app.boss.createQueue(queue);
    const jobIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      jobIds.push((await t.app.db.query(`INSERT INTO jobs (type, target_type, target_id, state, attempts, max_attempts) VALUES ('noop', 'system', gen_random_uuid(), 'running', 1, 1) RETURNING id`))[0].id);
      await t.app.boss.send(queue, { i });
    }
    const entries = await t.app.boss.fetch(queue, { batchSize: 2 }); // active, as a worker holds them
    expect(entries).toHaveLength(2);
    const statements: string[] = [];
    const db = { query: (sql: string, params: unknown[]) => (statements.push(sql), t.app.db.query(sql, params)) };
    const claims = createJobClaims(db, { notify: () => {} }, (ids) => captureQueueCompletion(t.app.boss, queue, ids));
    const done = await Promise.all(jobIds.map((jobId, i) => claims.succeed({ jobId, result: null, queueJobId: entries[i]!.id })));
    expect(statements).toHaveLength(1);
    expect(done.map((d) => [d.job?.state, d.queueCompleted])).toEqual([['succeeded', true], ['succeeded', true]]);
    const states = await t.app.db.query(`SELECT state FROM pgboss.job WHERE id = ANY($1)`, [entries.map((e) => e.id)]);
    expect(states).toEqual([{ state: 'completed' }, { state: 'completed' }]);
  });

  it('takes jobs from the queue and claims them in one statement: the fetch carries the claims', async () => {
    const queue = `fetch-${randomUUID()}`;
    await t.app.boss.createQueue(queue);
    const insert = async (state: string, attempts: number) =>
      (await t.app.db.query(`INSERT INTO jobs (type, target_type, target_id, state, attempts, max_attempts) VALUES ('noop', 'system', gen_random_uuid(), $1, $2, 3) RETURNING id`, [state, attempts]))[0].id as string;
    const [fresh, continuing, cancelled] = [await insert('queued', 0), await insert('running', 1), await insert('cancelled', 0)];
    await t.app.boss.send(queue, { jobId: fresh });
    await t.app.boss.send(queue, { jobId: continuing, continued: true });
    await t.app.boss.send(queue, { jobId: cancelled });
    const fetch = await captureQueueFetch(t.app.boss, queue, 10);
    expect(fetch, 'this pg-boss fetches in the shape the worker folds').not.toBeNull();
    const statements: string[] = [];
    const notified: string[] = [];
    const db = { query: (sql: string, params: unknown[]) => (statements.push(sql), t.app.db.query(sql, params)) };
    const claims = createJobClaims(db, { notify: (_m, payloads) => void notified.push(...payloads.filter((p): p is string => !!p)) });

    const taken = await claims.fetchAndClaim(fetch!);
    expect(statements).toHaveLength(1);
    const byJob = new Map(taken.map((e) => [e.data.jobId, e]));
    expect(byJob.get(fresh)!.data.claimed).toMatchObject({ id: fresh, state: 'running', attempts: 1 });
    expect(byJob.get(continuing)!.data).toMatchObject({ continued: true, claimed: { id: continuing, state: 'running', attempts: 1 } });
    expect(byJob.get(cancelled)!.data.claimed).toBeNull();
    expect(taken.every((e) => e.expireInSeconds > 0)).toBe(true);
    // The queue entries are the worker's now (active), and only a new attempt logs its start.
    const entries = await t.app.db.query(`SELECT state FROM pgboss.job WHERE id = ANY($1)`, [taken.map((e) => e.id)]);
    expect(entries.map((e: { state: string }) => e.state)).toEqual(['active', 'active', 'active']);
    const lines = await t.app.db.query(`SELECT job_id, line FROM job_logs WHERE job_id = ANY($1)`, [[fresh, continuing, cancelled]]);
    expect(lines).toEqual([{ job_id: fresh, line: 'attempt 1 of 3 started' }]);
    const events = notified.map((p) => JSON.parse(p));
    expect(events.filter((e) => e.type === 'job').map((e) => e.id).sort()).toEqual([fresh, continuing].sort());
    // Nothing left to take.
    expect(await claims.fetchAndClaim(fetch!)).toEqual([]);
  });

  it('captures pg-boss\'s completion as one UPDATE a statement can carry, and nothing else', async () => {
    const id = randomUUID();
    const captured = await captureQueueCompletion(t.app.boss, JOB_QUEUE, [id]);
    expect(captured?.text).toMatch(/^\s*UPDATE\b[\s\S]*RETURNING/);
    expect(captured?.text).not.toMatch(/^\s*WITH/i);
    expect(captured?.values).toEqual([JOB_QUEUE, [id], null]);
    // Another shape (a later pg-boss) is not folded: the caller completes as pg-boss would.
    const other = { complete: async (_q: string, _ids: string[], _data: null, opts: { db: { executeSql(t: string, v: unknown[]): Promise<unknown> } }) => void (await opts.db.executeSql('SELECT pgboss.complete_jobs($1, $2)', [JOB_QUEUE, [id]])) };
    expect(await captureQueueCompletion(other as never, JOB_QUEUE, [id])).toBeNull();
  });
});
