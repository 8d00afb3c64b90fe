/**
 * API benchmarks on this machine, end to end through real processes, each next to its ceiling
 * measured in the same run (the same work with nothing of Overmind's in the way), and the ratio:
 *  1. a provider sync that imports 10,000 nodes, then one of the same 10,000 unchanged (worker
 *     process); ceiling: one bulk INSERT … ON CONFLICT of the same 10,000 rows into a table shaped
 *     like `nodes` (its columns, defaults, constraints and indexes; no triggers);
 *  2. GET /api/v1/nodes (page of 50, filtered; every node with latest readings) at 50 concurrent
 *     connections (API process), the same with each connection's query string in an order of its
 *     own (the same query, nothing shared between requests), the same sorted by CPU, and the dashboard's GET /api/v1/nodes/summary
 *     at 10; ceiling: a bare Fastify process (ceilings/bare-fastify.ts) answering the same bytes at the
 *     same URLs, same connections and duration (autocannon); with the CPU each side used per request,
 *     and the load generator's (it shares the two cores: when its thread is busy all the time, the
 *     figure is its limit, not the server's);
 *  3. 1,000 no-op jobs through the queue; ceiling: raw pg-boss sending and working the same 1,000
 *     no-op jobs on the same database (as many in flight as Overmind's workers); then the
 *     enqueue-to-start latency of single jobs.
 * Run: npm run bench -- api (from the repository root). Prints a Markdown table.
 * Env: CPU_PROFILE_DIR (the API process's --cpu-prof output, off by default), DURATION (seconds of
 * each node-page load, 15).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus, createAuditService, createDataSource, createJobService, migrateDatabase, createLogger, loadConfig, startBoss, startEmbeddedPostgres } from '@overmind/api';
import { postgresCpuSeconds } from './agent-load/process-meter.js';
import { answerHeaders, hammer, rawPgBoss, runJobs, storeLatestReadings, type Load } from './api-load.js';
import { apiCaller, load1, machineLine, printTable, ratio, startOvermind, startScript, stopped, waitFor, type Measure } from './bench-support.js';

const PORT = 18471;
const PG_PORT = 18472;
const BARE_PORT = 18473;
const SECRET = 'benchmark-secret-key-0123456789abcdefgh';
const NODES = 10_000;
const JOBS = 1000;
const DURATION = Number(process.env.DURATION ?? 15);
const WORKERS = 10; // OVERMIND_WORKER_CONCURRENCY's default: jobs in flight at once

const log = createLogger(loadConfig({ LOG_LEVEL: 'warn' }));
const base = (port: number) => `http://127.0.0.1:${port}`;
const api = apiCaller(base(PORT));
const n = (v: number) => Math.round(v).toLocaleString('en');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const home = await mkdtemp(join(tmpdir(), 'overmind-bench-'));
  const pg = await startEmbeddedPostgres(home, PG_PORT, log);
  const env = { DATABASE_URL: pg.url, OVERMIND_SECRET_KEY: SECRET, OVERMIND_ADMIN_PASSWORD: 'bench-admin-password', PORT: String(PORT) };
  const children: ChildProcess[] = [];
  const rows: Measure[] = [];
  let plans: [string, string][] = [];
  const cpuProfile = process.env.CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROFILE_DIR}`] : [];
  try {
    await migrateDatabase(pg.url, log);
    // Request logging off (LOG_LEVEL=warn) as in a production deployment behind a proxy that logs.
    const apiProcess = await startOvermind(['api'], env, { logLevel: 'warn', baseUrl: base(PORT), children, nodeArgs: cpuProfile });
    await startOvermind(['worker'], env, { logLevel: 'info', baseUrl: base(PORT), children });
    const { token } = await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }) });
    const db = createDataSource(pg.url, { poolSize: 20 });
    await db.initialize();

    // 1. Sync importing 10,000 nodes, then the same 10,000 unchanged.
    const provider = await api('/api/v1/providers', token, {
      method: 'POST',
      body: JSON.stringify({ name: 'bench', type: 'dummy', credentials: { apiKey: 'k' }, settings: { initialNodes: NODES } }),
    });
    const sync = await waitFor(async () => {
      const jobs = await api(`/api/v1/jobs?target=${provider.id}&type=provider.sync`, token);
      const j = jobs.items[0];
      return j?.state === 'succeeded' ? j : undefined;
    }, 'initial sync');
    const syncMs = Date.parse(sync.finishedAt) - Date.parse(sync.startedAt);
    const syncLoad = load1();
    const again = await api(`/api/v1/providers/${provider.id}/sync`, token, { method: 'POST' });
    const resync = await waitFor(async () => {
      const j = await api(`/api/v1/jobs/${again.id}`, token);
      return j.state === 'succeeded' ? j : undefined;
    }, 'second sync');
    const resyncMs = Date.parse(resync.finishedAt) - Date.parse(resync.startedAt);
    const upsert = await bulkUpsertCeiling(db, provider.id);

    rows.push(
      { measure: `Provider sync importing ${n(NODES)} nodes (job start to finish)`, overmind: sec(syncMs), ceiling: sec(upsert.importMs), ratio: ratio(syncMs, upsert.importMs, '×'), target: '≤ 3×; < 10 s', met: syncMs <= 3 * upsert.importMs && syncMs < 10_000, load: syncLoad },
      { measure: `Provider sync of ${n(NODES)} unchanged nodes`, overmind: sec(resyncMs), ceiling: sec(upsert.unchangedMs), ratio: ratio(resyncMs, upsert.unchangedMs, '×'), target: '≤ 3×; < 10 s', met: resyncMs <= 3 * upsert.unchangedMs && resyncMs < 10_000, load: load1() },
    );

    // Every node has its latest readings, as with agents reporting (the page joins them).
    await storeLatestReadings(db);

    // 2. The node page, the page by CPU and the summary; then a bare Fastify answering the same bytes.
    // Identical requests at the same moment share one query (the API's shared reads, keyed by the
    // filter as given), so the node page is also loaded with each connection asking for the same
    // page with its parameters in an order of its own: the same query and bytes, nothing shared.
    const filtered = `/api/v1/nodes?limit=50&state=running&providerId=${provider.id}&sort=name`;
    const params = ['limit=50', 'state=running', `providerId=${provider.id}`, 'sort=name', 'page=1'];
    const orders = permutations(params).slice(0, 50).map((ps) => `/api/v1/nodes?${ps.join('&')}`);
    const pages = [
      { what: `GET /api/v1/nodes (50 of ${n(NODES)}, filtered), 50 connections`, paths: [filtered], connections: 50, duration: DURATION },
      { what: `— the same, each connection's query string in another order (50 orders): nothing shared`, paths: orders, connections: 50, duration: 5 },
      { what: `GET /api/v1/nodes?sort=cpu&order=desc (50 of ${n(NODES)} by latest readings), 50 connections`, paths: ['/api/v1/nodes?limit=50&sort=cpu&order=desc'], connections: 50, duration: 5 },
      { what: `GET /api/v1/nodes/summary (${n(NODES)} nodes), 10 connections`, paths: ['/api/v1/nodes/summary'], connections: 10, duration: 5 },
    ];
    const bodies: Record<string, { type: string; file: string; headers: Record<string, string> }> = {};
    for (const [i, p] of pages.entries()) {
      for (const [k, path] of p.paths.entries()) {
        const res = await fetch(`${base(PORT)}${path}`, { headers: { authorization: `Bearer ${token}` } });
        const body = await res.text();
        if (!res.ok) throw new Error(`${path}: ${res.status} ${body}`);
        if (i === 0) {
          const page = JSON.parse(body);
          if (page.items.length !== 50 || page.total < 8000 || !page.items[0].readings) throw new Error(`unexpected node page: ${page.items.length} of ${page.total}`);
        }
        if (i === 1 && body !== (await readFile(bodies[filtered]!.file, 'utf8'))) throw new Error(`${path} answered other bytes than ${filtered}`);
        const file = join(home, `body-${i}-${k}.json`);
        await writeFile(file, body);
        bodies[path] = { type: res.headers.get('content-type')!, file, headers: answerHeaders(res) };
        if (k === 0) Object.assign(p, { bytes: Buffer.byteLength(body) });
      }
    }
    const pgPids = () => postgresCpuSeconds(join(home, 'pgdata'));
    const overmind: Load[] = [];
    const loads: string[] = [];
    for (const p of pages) {
      overmind.push(await hammer(p.paths.map((path) => `${base(PORT)}${path}`), p.connections, p.duration, token, [apiProcess.pid!], pgPids));
      loads.push(load1());
    }
    await writeFile(join(home, 'bodies.json'), JSON.stringify(bodies));
    const bare = await startScript('./ceilings/bare-fastify.ts', { PORT: String(BARE_PORT), BODIES: join(home, 'bodies.json') }, children);
    const ceiling: Load[] = [];
    for (const p of pages) ceiling.push(await hammer(p.paths.map((path) => `${base(BARE_PORT)}${path}`), p.connections, p.duration, token, [bare.pid!], async () => 0));
    bare.kill('SIGTERM');
    await stopped(bare);
    for (const [i, p] of pages.entries()) {
      const o = overmind[i]!;
      const c = ceiling[i]!;
      const main = i === 0;
      const kb = ((p as unknown as { bytes: number }).bytes / 1000).toFixed(1);
      rows.push({
        measure: `${p.what}, ${kb} kB`,
        overmind: `${n(o.rps)} req/s`,
        ceiling: `${n(c.rps)} req/s`,
        ratio: ratio(o.rps, c.rps),
        target: main ? '≥ 0.5; ≥ 3,000 req/s' : '',
        met: main ? o.rps / c.rps >= 0.5 && o.rps >= 3000 : undefined,
        load: loads[i],
      });
      rows.push({ measure: '— latency p50 / p99', overmind: `${o.p50} / ${o.p99} ms`, ceiling: `${c.p50} / ${c.p99} ms`, ratio: ratio(o.p99, c.p99, '×'), target: main ? 'p99 < 50 ms' : '', met: main ? o.p99 < 50 : undefined });
      rows.push({
        measure: '— CPU per request (API process + Postgres)',
        overmind: `${us(o.cpuMs.server + o.cpuMs.postgres)} (${us(o.cpuMs.server)} + ${us(o.cpuMs.postgres)})`,
        ceiling: us(c.cpuMs.server),
        ratio: ratio(o.cpuMs.server + o.cpuMs.postgres, c.cpuMs.server, '×'),
      });
      rows.push({ measure: '— the load generator (autocannon, in the benchmark process): CPU per request, and its share of a core', overmind: loadGenerator(o), ceiling: loadGenerator(c) });
    }

    plans = await explainNodeQueries(db, provider.id);

    // 3. Jobs: 1,000 no-op jobs end to end through Overmind, then through raw pg-boss; then single-job latency.
    const boss = await startBoss(pg.url, { retries: 0, timeoutSeconds: 60, maintenanceSeconds: 60, alertRetries: 0 }, (e) => log.error(e));
    const jobs = createJobService({ db, boss, events: new EventBus(db, pg.url, log), audit: createAuditService(db), retries: 0, runs: { cancelJob: async () => false } });
    const enqueue = () => db.transaction((m) => jobs.enqueue(m, { type: 'noop', targetType: 'system', targetId: provider.id }));
    const { ms: jobsMs, sentMs } = await runJobs(db, enqueue, JOBS);
    const jobsLoad = load1();
    const raw = await rawPgBoss(pg.url, db, JOBS, WORKERS, log);
    rows.push(
      { measure: `${n(JOBS)} no-op jobs, send of the first to finish of the last`, overmind: sec(jobsMs), ceiling: sec(raw.ms), ratio: ratio(jobsMs, raw.ms, '×'), target: '≤ 2×; < 5 s', met: jobsMs <= 2 * raw.ms && jobsMs < 5000, load: jobsLoad },
      { measure: '— of which sending them all (50 at a time)', overmind: sec(sentMs), ceiling: sec(raw.sentMs), ratio: ratio(sentMs, raw.sentMs, '×') },
    );

    const latencies: number[] = [];
    for (let i = 0; i < 100; i++) {
      const job = await enqueue();
      const row = await waitFor(async () => {
        const [r] = await db.query(`SELECT extract(epoch FROM started_at - created_at) * 1000 AS ms FROM jobs WHERE id = $1 AND state = 'succeeded'`, [job.id]);
        return r ? Number(r.ms) : undefined;
      }, 'single job');
      latencies.push(row);
    }
    latencies.sort((a, b) => a - b);
    rows.push({ measure: 'Enqueue-to-start latency, single jobs (median / p95)', overmind: `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 95).toFixed(1)} ms`, target: 'median < 100 ms', met: percentile(latencies, 50) < 100, load: load1() });
    await boss.stop({ graceful: false, wait: true });
    await db.destroy();
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map(stopped));
    await pg.stop();
    await rm(home, { recursive: true, force: true });
  }

  console.log('\nPostgres time of the queries behind the node page and the summary (EXPLAIN ANALYZE after the load, median of 5):\n');
  for (const [what, line] of plans) console.log(`- ${what}: ${line}`);
  printTable(`${machineLine()}\nRatio: Overmind ÷ ceiling (for req/s, higher is better; for times, lower). Load: the 1-minute load average when the Overmind figure was taken.`, rows);
}

/**
 * The load generator's side of a run. A figure whose load generator was busy nearly all the time
 * measures the load generator: on two cores it shares the machine with the server, and a server
 * answering in fewer microseconds than autocannon needs per answer is never saturated.
 */
function loadGenerator(l: Load): string {
  return `${us(l.cpuMs.client)}, ${Math.round(l.clientBusy * 100)} % of a core${l.clientBusy >= 0.9 ? ' (the limit)' : ''}`;
}

/** Where the node page's and the summary's time goes in Postgres: each query's plan and execution time. */
async function explainNodeQueries(db: { query(sql: string, values?: unknown[]): Promise<any> }, providerId: string): Promise<[string, string][]> {
  const live = 'n.decommissioned_at IS NULL AND n.destroyed_at IS NULL';
  const filtered = `${live} AND n.provider_id = $1 AND n.state = 'running'`;
  const queries: [string, string, unknown[]][] = [
    ['node page (filtered, by name)', `SELECT n.list_json AS j, r.json AS r FROM nodes n LEFT JOIN node_readings r ON r.node_id = n.id WHERE ${filtered} ORDER BY n.name ASC, n.id ASC LIMIT 50 OFFSET 0`, [providerId]],
    ['its count, stopping at 1,000 (reused for 2 s above that)', `SELECT count(*)::int AS n FROM (SELECT 1 FROM nodes n WHERE ${filtered} LIMIT 1001) c`, [providerId]],
    ['its exact count (above 1,000, once per 2 s)', `SELECT count(*)::int AS n FROM nodes n WHERE ${filtered}`, [providerId]],
    ['node page by CPU', `SELECT n.list_json AS j, r.json AS r FROM nodes n LEFT JOIN node_readings r ON r.node_id = n.id WHERE ${live} ORDER BY r.cpu DESC NULLS LAST, n.id DESC LIMIT 50 OFFSET 0`, []],
    ['summary', `SELECT provider_id, state, count(*)::int AS n FROM nodes WHERE decommissioned_at IS NULL AND destroyed_at IS NULL GROUP BY provider_id, state ORDER BY provider_id`, []],
  ];
  const out: [string, string][] = [];
  for (const [what, sql, values] of queries) {
    const times: number[] = [];
    let top = '';
    for (let i = 0; i < 5; i++) {
      const rows: { 'QUERY PLAN': string }[] = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values);
      const lines = rows.map((r) => r['QUERY PLAN']);
      times.push(Number(/Execution Time: ([\d.]+)/.exec(lines.at(-1)!)?.[1]));
      top = lines.filter((l) => /Scan|Sort|Aggregate|Limit|Join|Loop/.test(l)).map((l) => l.trim().replace(/\s*\(cost=[^)]*\)/, '').replace(/\(actual /, '(')).join(' ← ');
    }
    times.sort((a, b) => a - b);
    out.push([what, `${times[2]!.toFixed(2)} ms — ${top}`]);
  }
  return out;
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const us = (ms: number) => `${Math.round(ms * 1000)} µs`;

/**
 * The sync's ceiling: the same rows the sync wrote (what the provider listed), upserted with one
 * INSERT … SELECT FROM jsonb_to_recordset … ON CONFLICT into an empty table shaped like `nodes`
 * (columns, defaults, constraints, indexes; not the trigger keeping `list_json`), then again unchanged (a row is written only when it differs).
 */
async function bulkUpsertCeiling(db: { query(sql: string, values?: unknown[]): Promise<any> }, providerId: string) {
  const listed = await db.query(
    `SELECT provider_node_id AS pid, name, state, public_ips AS pub, private_ips AS priv, image_id AS image, size_id AS size, location_id AS location, extra
       FROM nodes WHERE provider_id = $1`,
    [providerId],
  );
  await db.query('CREATE TABLE bench_upsert (LIKE nodes INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)');
  // Overmind's trigger fills the stored JSON view; the ceiling has no trigger, so no view to fill.
  await db.query('ALTER TABLE bench_upsert ALTER COLUMN list_json DROP NOT NULL');
  const upsert = async () => {
    const t0 = performance.now();
    await db.query(
      `INSERT INTO bench_upsert AS n (provider_id, provider_node_id, name, state, public_ips, private_ips, image_id, size_id, location_id, extra)
       SELECT $1, r.pid, r.name, r.state, r.pub, r.priv, r.image, r.size, r.location, r.extra
         FROM jsonb_to_recordset($2::jsonb) AS r(pid text, name text, state text, pub text[], priv text[], image text, size text, location text, extra jsonb)
       ON CONFLICT (provider_id, provider_node_id) DO UPDATE
          SET name = excluded.name, state = excluded.state, public_ips = excluded.public_ips, private_ips = excluded.private_ips,
              image_id = excluded.image_id, size_id = excluded.size_id, location_id = excluded.location_id, extra = excluded.extra, updated_at = now()
        WHERE (n.name, n.state, n.public_ips, n.private_ips, n.image_id, n.size_id, n.location_id, n.extra)
              IS DISTINCT FROM (excluded.name, excluded.state, excluded.public_ips, excluded.private_ips, excluded.image_id, excluded.size_id, excluded.location_id, excluded.extra)`,
      [providerId, JSON.stringify(listed)],
    );
    return performance.now() - t0;
  };
  try {
    const importMs = await upsert();
    const unchangedMs = await upsert();
    return { importMs, unchangedMs };
  } finally {
    await db.query('DROP TABLE bench_upsert');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}
