import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_QUEUE, captureQueueInsert, foldable } from '../src/modules/jobs/job-queue.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// The enqueue on every action's path: the job row and its pg-boss entry written by one statement in
// the caller's transaction, both or neither.
let t: TestApp;
const statements: { name?: string; text: string }[] = [];

beforeAll(async () => {
  t = await createTestApp({ worker: false });
});
afterAll(async () => {
  await t?.close();
});

type Query = (config: string | { name?: string; text: string }, values?: unknown[]) => Promise<unknown>;
const enqueue = (retries = 3) =>
  t.app.db.transaction(async (m) => {
    // Every statement the enqueue sends on the transaction's connection, as Postgres receives it.
    const client = (await m.queryRunner!.connect()) as { query: Query };
    const query = client.query;
    client.query = (config, values) => {
      statements.push(typeof config === 'string' ? { text: config } : config);
      return query.call(client, config, values);
    };
    try {
      return await t.app.services.jobs.enqueue(m, { type: 'noop', targetType: 'system', targetId: randomUUID(), retries });
    } finally {
      client.query = query; // the connection goes back to the pool
    }
  });

const queueEntry = async (id: string) =>
  (await t.app.db.query(`SELECT id, name, state, retry_limit, data FROM pgboss.job WHERE id = $1`, [id]))[0];

describe('enqueue', () => {
  it('writes the job row and its queue entry in one statement, with the retries asked for', async () => {
    statements.length = 0;
    const job = await enqueue(5);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.text).toMatch(/pgboss\.job/);
    // A named prepared statement, the same for every enqueue: planned once per connection.
    expect(statements[0]!.name).toMatch(/^om_/);
    await enqueue();
    expect(statements.map((s) => s.name)).toEqual([statements[0]!.name, statements[0]!.name]);
    expect(job).toMatchObject({ state: 'queued', maxAttempts: 6, queueJobId: expect.any(String) });
    expect(await queueEntry(job.queueJobId!)).toMatchObject({ name: JOB_QUEUE, state: 'created', retry_limit: 5, data: { jobId: job.id } });
    const [row] = await t.app.db.query(`SELECT state, queue_job_id FROM jobs WHERE id = $1`, [job.id]);
    expect(row).toEqual({ state: 'queued', queue_job_id: job.queueJobId });
  });

  it('leaves neither when the caller rolls back', async () => {
    let queueJobId = '';
    let jobId = '';
    await expect(
      t.app.db.transaction(async (m) => {
        const job = await t.app.services.jobs.enqueue(m, { type: 'noop', targetType: 'system', targetId: randomUUID() });
        [queueJobId, jobId] = [job.queueJobId!, job.id];
        throw new Error('the action failed after queueing');
      }),
    ).rejects.toThrow('the action failed after queueing');
    expect(await queueEntry(queueJobId)).toBeUndefined();
    expect(await t.app.db.query(`SELECT id FROM jobs WHERE id = $1`, [jobId])).toEqual([]);
  });

  it('captures what pg-boss would run rather than running it, and folds only a single INSERT … RETURNING', async () => {
    const id = randomUUID();
    const captured = await captureQueueInsert(t.app.boss, JOB_QUEUE, { jobId: randomUUID() }, { id, retryLimit: 1 });
    expect(captured).toHaveLength(1);
    expect(foldable(captured)).toBe(true);
    expect(await queueEntry(id)).toBeUndefined();
    expect(foldable([{ text: 'WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x RETURNING id', values: [] }])).toBe(false);
    expect(foldable([{ text: 'INSERT INTO t VALUES (1) RETURNING id; SELECT 1', values: [] }])).toBe(false);
    expect(foldable([...captured, ...captured])).toBe(false);
  });
});
