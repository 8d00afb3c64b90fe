/**
 * What the API and scaling benchmarks share: HTTP load on one or more API processes with the CPU
 * each side used, the latest readings of every node, 1,000 no-op jobs through Overmind's queue, and
 * the same jobs through raw pg-boss (the jobs' ceiling).
 */
import autocannon from 'autocannon';
import PgBoss from 'pg-boss';
import { cpuSecondsBetween, cpuSecondsEach } from './agent-load/process-meter.js';
import { waitFor } from './bench-support.js';

type Db = { query(sql: string, values?: unknown[]): Promise<any> };

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Requests of the warm-up before. */
  warmup: number;
  /** CPU milliseconds per request: the server processes, Postgres (Overmind only), and the load generator. */
  cpuMs: { server: number; postgres: number; client: number };
  /**
   * The load generator's CPU time over the run's time (autocannon runs on this process's one
   * JavaScript thread): near 1, the figure is the load generator's limit rather than the server's.
   */
  clientBusy: number;
}

/**
 * A warm-up, then `duration` seconds of `connections` connections spread evenly over `urls` (one
 * per server process), with the CPU the servers (and Postgres) used per request. Latencies are the
 * worst of the servers'. `postgres` says how much CPU Postgres has used so far (0 for a ceiling).
 */
export async function hammer(urls: string[], connections: number, duration: number, token: string, servers: number[], postgres: () => Promise<number>): Promise<Load> {
  const headers = { authorization: `Bearer ${token}` };
  const each = Math.max(1, Math.round(connections / urls.length));
  const warm = await Promise.all(urls.map((url) => autocannon({ url, connections: each, duration: 3, headers })));
  const before = await cpuSecondsEach(servers);
  const pg0 = await postgres();
  const client0 = process.cpuUsage();
  const started = performance.now();
  const results = await Promise.all(urls.map((url) => autocannon({ url, connections: each, duration, headers })));
  const clientCpu = process.cpuUsage(client0);
  const clientMs = (clientCpu.user + clientCpu.system) / 1000;
  const wallMs = performance.now() - started;
  const after = await cpuSecondsEach(servers);
  const pg1 = await postgres();
  for (const [i, r] of results.entries()) if (r.non2xx > 0 || r.errors > 0) throw new Error(`${urls[i]}: ${r.non2xx} non-2xx and ${r.errors} errors`);
  const requests = results.reduce((sum, r) => sum + r.requests.total, 0);
  return {
    rps: results.reduce((sum, r) => sum + r.requests.average, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    requests,
    warmup: warm.reduce((sum, r) => sum + r.requests.total, 0),
    cpuMs: {
      server: (cpuSecondsBetween(before, after) * 1000) / requests,
      postgres: ((pg1 - pg0) * 1000) / requests,
      client: clientMs / requests,
    },
    clientBusy: clientMs / wallMs,
  };
}

/** Headers a server sets for each answer or connection itself; the ceiling sends the rest of the API's as they were. */
const PER_ANSWER = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'content-type']);

/** An API answer's headers for the bare ceiling to send with the same body (bare-fastify.ts `BODIES`). */
export function answerHeaders(res: Response): Record<string, string> {
  return Object.fromEntries([...res.headers].filter(([name]) => !PER_ANSWER.has(name)));
}

/** Latest readings for every node, as with agents reporting (the node page joins them). */
export async function storeLatestReadings(db: Db): Promise<void> {
  await db.query(
    `INSERT INTO node_readings (node_id, at, cpu, memory, disk, load1, json)
     SELECT id, now(), c, m, d, l, json_build_object('at', now(), 'intervalSeconds', 15, 'cpu', c, 'memory', m, 'disk', d, 'diskMount', '/', 'load', json_build_array(l, l, l))::text
       FROM (SELECT id, round((random() * 100)::numeric, 2)::real AS c, round((random() * 100)::numeric, 2)::real AS m,
                    round((random() * 100)::numeric, 2)::real AS d, round((random() * 4)::numeric, 2)::real AS l FROM nodes) n`,
  );
  await db.query('VACUUM ANALYZE node_readings');
}

/** `count` jobs sent 50 at a time through `enqueue`, until all succeeded: from the first send to the last finish, and the sending alone. */
export async function runJobs(db: Db, enqueue: () => Promise<{ id: string }>, count: number): Promise<{ ms: number; sentMs: number }> {
  const started = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < count; i += 50) ids.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, enqueue))).map((j) => j.id));
  const sentMs = Date.now() - started;
  await waitFor(async () => {
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM jobs WHERE id = ANY($1) AND state IN ('succeeded', 'failed')`, [ids]);
    return n === ids.length ? true : undefined;
  }, `${count} jobs`, 600_000);
  const [{ failed }] = await db.query(`SELECT count(*)::int AS failed FROM jobs WHERE id = ANY($1) AND state = 'failed'`, [ids]);
  if (failed > 0) throw new Error(`${failed} of ${count} no-op jobs failed`);
  return { ms: Date.now() - started, sentMs };
}

/**
 * The jobs' ceiling: pg-boss alone on the same database, sending 1,000 no-op jobs 50 at a time (as
 * the benchmark enqueues Overmind's) and working them in this process with the same number in
 * flight (one worker fetching up to `inFlight` per poll, fetching again at once after each batch and
 * woken after each send, so that no polling interval is waited).
 */
export async function rawPgBoss(url: string, db: Db, jobs: number, inFlight: number, log: { error(e: unknown): void }): Promise<{ ms: number; sentMs: number }> {
  const queue = `bench-ceiling-${Date.now()}`;
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 10, supervise: false, schedule: false, migrate: false });
  boss.on('error', (e) => log.error(e));
  await boss.start();
  try {
    await boss.createQueue(queue);
    let worker = '';
    worker = await boss.work(queue, { batchSize: inFlight, pollingIntervalSeconds: 0.5 }, async () => {
      boss.notifyWorker(worker);
    });
    const started = Date.now();
    for (let i = 0; i < jobs; i += 50) {
      await Promise.all(Array.from({ length: 50 }, () => boss.send(queue, { noop: true })));
      boss.notifyWorker(worker);
    }
    const sentMs = Date.now() - started;
    await waitFor(async () => {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [queue]);
      return n === jobs ? true : undefined;
    }, 'raw pg-boss jobs');
    return { ms: Date.now() - started, sentMs };
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
