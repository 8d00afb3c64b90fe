import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobPump } from '../src/modules/jobs/job-pump.js';
import { createTestDatabase, eventually } from './support/test-app.js';

// The pump on real pg-boss in its own database: what it fetches per query, how many run at once,
// what the queue records, and that stopping waits for the jobs running.
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let boss: PgBoss;

beforeAll(async () => {
  db = await createTestDatabase();
  boss = new PgBoss({ connectionString: db.url, schema: 'pgboss', max: 4, supervise: false, schedule: false });
  await boss.start();
});
afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  await db?.drop();
});

/** The real queue, with the sizes of the batches its fetches returned. */
function spied() {
  const batches: number[] = [];
  const completions: number[] = [];
  return {
    batches,
    completions,
    boss: {
      fetch: async <T>(name: string, options: PgBoss.FetchOptions) => {
        const jobs = await boss.fetch<T>(name, options);
        if (jobs.length) batches.push(jobs.length);
        return jobs;
      },
      complete: async (name: string, ids: string[]) => {
        completions.push(ids.length);
        await boss.complete(name, ids);
      },
      fail: boss.fail.bind(boss),
    } as Pick<PgBoss, 'fetch' | 'complete' | 'fail'>,
  };
}

async function states(queue: string): Promise<Record<string, number>> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM pgboss.job WHERE name = $1 GROUP BY state`, [queue]);
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  } finally {
    await c.end();
  }
}

describe('job pump', () => {
  it('fetches as many jobs as it has free slots in one query, runs no more than its concurrency, and completes them', async () => {
    const queue = 'pump-batch';
    await boss.createQueue(queue);
    for (let i = 0; i < 12; i++) await boss.send(queue, { i });
    const spy = spied();
    let inFlight = 0;
    let most = 0;
    const ran: number[] = [];
    const pump = startJobPump<{ i: number }>({
      boss: spy.boss,
      queue,
      concurrency: 4,
      pollingIntervalSeconds: 30, // only the first look and the freed slots fetch: no poll in this test
      onError: (err) => { throw err; },
      run: async ({ i }) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 20));
        ran.push(i);
        inFlight--;
      },
    });
    await eventually(async () => ((await states(queue)).completed === 12 ? true : undefined), 20_000, 'all 12 completed');
    await pump.stop(5_000);
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(most).toBe(4);
    expect(spy.batches[0]).toBe(4); // the first look took four jobs in one query
    expect(spy.batches.reduce((a, b) => a + b, 0)).toBe(12);
    expect(spy.completions.reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('fetches the slots freed in one turn in one query', async () => {
    const queue = 'pump-turn';
    await boss.createQueue(queue);
    for (let i = 0; i < 12; i++) await boss.send(queue, { i });
    const spy = spied();
    let started = 0;
    let release!: () => void;
    let gate = new Promise<void>((r) => (release = r));
    const pump = startJobPump<{ i: number }>({
      boss: spy.boss,
      queue,
      concurrency: 4,
      pollingIntervalSeconds: 30,
      onError: (err) => { throw err; },
      run: async () => {
        started++;
        await gate;
      },
    });
    for (let round = 1; round <= 3; round++) {
      await eventually(async () => (started === 4 * round ? true : undefined), 20_000, `${4 * round} runs started`);
      const open = release;
      gate = new Promise<void>((r) => (release = r));
      open(); // the four running end together
    }
    await eventually(async () => ((await states(queue)).completed === 12 ? true : undefined), 20_000, 'all 12 completed');
    await pump.stop(5_000);
    // A fetch as each one ended would take one job, then the rest.
    expect(spy.batches).toEqual([4, 4, 4]);
    expect(spy.completions).toEqual([4, 4, 4]);
  });

  it('leaves the queue entry of a run that completed it itself alone', async () => {
    const queue = 'pump-self';
    await boss.createQueue(queue);
    await boss.send(queue, { n: 1 });
    const spy = spied();
    const ran: string[] = [];
    const pump = startJobPump<{ n: number }>({
      boss: spy.boss,
      queue,
      concurrency: 2,
      pollingIntervalSeconds: 30,
      onError: (err) => { throw err; },
      run: async (_data, queueJobId) => {
        ran.push(queueJobId);
        await boss.complete(queue, queueJobId);
        return true;
      },
    });
    await eventually(async () => ((await states(queue)).completed === 1 ? true : undefined), 20_000, 'completed by the run');
    await pump.stop(5_000);
    expect(ran).toHaveLength(1);
    expect(spy.completions).toEqual([]);
  });

  it('records a job whose run throws as failed in the queue, and goes on with the next', async () => {
    const queue = 'pump-fail';
    await boss.createQueue(queue, { name: queue, retryLimit: 0 });
    await boss.send(queue, { bad: true });
    await boss.send(queue, { bad: false });
    const pump = startJobPump<{ bad: boolean }>({
      boss,
      queue,
      concurrency: 1,
      pollingIntervalSeconds: 30,
      onError: (err) => { throw err; },
      run: async ({ bad }) => {
        if (bad) throw new Error('handler broke');
      },
    });
    await eventually(async () => {
      const s = await states(queue);
      return s.failed === 1 && s.completed === 1 ? true : undefined;
    }, 20_000, 'one failed, one completed');
    await pump.stop(5_000);
  });

  it('gives the slot of a run still going when its job expires back, and fails the job', async () => {
    const queue = 'pump-expire';
    await boss.createQueue(queue, { name: queue, retryLimit: 0, expireInSeconds: 1 });
    await boss.send(queue, { hang: true });
    await boss.send(queue, { hang: false });
    const finished: boolean[] = [];
    const pump = startJobPump<{ hang: boolean }>({
      boss,
      queue,
      concurrency: 1,
      pollingIntervalSeconds: 30,
      onError: (err) => { throw err; },
      run: async ({ hang }) => {
        if (hang) await new Promise(() => {}); // never settles
        finished.push(hang);
      },
    });
    await eventually(async () => {
      const s = await states(queue);
      return s.failed === 1 && s.completed === 1 ? true : undefined;
    }, 20_000, 'the hung job failed, the next completed');
    expect(finished).toEqual([false]);
    await pump.stop(5_000);
  });

  it('stops fetching when stopped, and waits for the job running to end and be completed', async () => {
    const queue = 'pump-stop';
    await boss.createQueue(queue);
    await boss.send(queue, { n: 1 });
    let release!: () => void;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const pump = startJobPump<{ n: number }>({
      boss,
      queue,
      concurrency: 2,
      pollingIntervalSeconds: 30,
      onError: (err) => { throw err; },
      run: () => {
        started();
        return new Promise<void>((r) => (release = r));
      },
    });
    await running;
    const stopping = pump.stop(10_000);
    await boss.send(queue, { n: 2 });
    pump.wake(); // a stopped pump takes no more
    setTimeout(() => release(), 200);
    await stopping;
    expect(await states(queue)).toEqual({ completed: 1, created: 1 });
  });
});
