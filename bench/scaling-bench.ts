/**
 * Scaling out on one Postgres (docs/benchmarks.md, "Scaling"): the node page (GET /api/v1/nodes, 50
 * of 10,000, filtered) and 1,000 no-op jobs, with 1, 2 and 4 `overmind api` and `overmind worker`
 * processes sharing one embedded Postgres. On a machine with few cores the cores are the limit, so
 * next to the throughput it prints the CPU seconds per request and per job (from /proc/<pid>/stat of
 * every process: the API or worker processes, Postgres's, and the benchmark's own, which generates
 * the HTTP load and sends the jobs), the figure that carries to a bigger machine.
 * Ceilings, in the same run: as many bare Fastify processes answering the same bytes
 * (ceilings/bare-fastify.ts) under the same connections; raw pg-boss sending the same 1,000 no-op
 * jobs and working them with as many in flight as the Overmind workers together.
 *
 * Run: npm run bench -- scaling. Env: PROCESSES (1,2,4), DURATION (seconds of node-page load, 10),
 * NODES (10000), JOBS (1000), CONNECTIONS (50).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditService, createDataSource, createJobService, createLogger, EventBus, loadConfig, migrateDatabase, startBoss } from '@overmind/api';
import { cpuSeconds, cpuSecondsBetween, cpuSecondsEach, postgresCpuSeconds } from './agent-load/process-meter.js';
import { answerHeaders, hammer, rawPgBoss, runJobs, storeLatestReadings } from './api-load.js';
import { apiCaller, load1, machineLine, printTable, ratio, startBenchPostgres, startOvermind, startScript, stopped, topStatements, waitFor, type Measure } from './bench-support.js';

const PROCESSES = (process.env.PROCESSES ?? '1,2,4').split(',').map(Number);
if (PROCESSES.some((p) => !Number.isInteger(p) || p < 1 || p > 16)) throw new Error(`PROCESSES must be whole numbers from 1 to 16, comma-separated, not ${process.env.PROCESSES}`);
const DURATION = Number(process.env.DURATION ?? 10);
const NODES = Number(process.env.NODES ?? 10_000);
const JOBS = Number(process.env.JOBS ?? 1000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const CONCURRENCY = 10; // OVERMIND_WORKER_CONCURRENCY's default, per worker process
const PG_PORT = 18510;
const API_PORT = 18511; // and the next ones, one per API process
const BARE_PORT = 18531; // and the next ones
const SECRET = 'benchmark-secret-key-0123456789abcdefgh';

const log = createLogger(loadConfig({ LOG_LEVEL: 'warn' }));
const base = (port: number) => `http://127.0.0.1:${port}`;
const n = (v: number) => Math.round(v).toLocaleString('en');
const us = (ms: number) => `${Math.round(ms * 1000)} µs`;
const say = (msg: string) => console.log(`[scaling-bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function stopAll(list: ChildProcess[]): Promise<void> {
  for (const c of list) c.kill('SIGTERM');
  await Promise.all(list.map(stopped));
}

async function main() {
  const home = await mkdtemp(join(tmpdir(), 'overmind-scaling-bench-'));
  const pg = await startBenchPostgres(home, PG_PORT, log, { statements: true });
  const pgDir = join(home, 'pgdata');
  const env = (port: number) => ({ DATABASE_URL: pg.url, OVERMIND_SECRET_KEY: SECRET, OVERMIND_ADMIN_PASSWORD: 'bench-admin-password', PORT: String(port) });
  const children: ChildProcess[] = [];
  const rows: Measure[] = [];
  const statements: string[] = [];
  const db = createDataSource(pg.url, { poolSize: 10 });
  try {
    await migrateDatabase(pg.url, log);
    await db.initialize();
    // The nodes, through a provider sync (one API and one worker), and their latest readings.
    const first = [await startOvermind(['api'], env(API_PORT), { logLevel: 'warn', baseUrl: base(API_PORT), children })];
    first.push(await startOvermind(['worker'], env(API_PORT), { logLevel: 'info', baseUrl: base(API_PORT), children }));
    const api = apiCaller(base(API_PORT));
    const { token } = await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }) });
    const provider = await api('/api/v1/providers', token, {
      method: 'POST',
      body: JSON.stringify({ name: 'bench', type: 'dummy', credentials: { apiKey: 'k' }, settings: { initialNodes: NODES } }),
    });
    await waitFor(async () => {
      const jobs = await api(`/api/v1/jobs?target=${provider.id}&type=provider.sync`, token);
      if (jobs.items[0]?.state === 'failed') throw new Error(`sync failed: ${jobs.items[0].error}`);
      return jobs.items[0]?.state === 'succeeded' ? true : undefined;
    }, 'initial sync', 300_000, 200);
    await storeLatestReadings(db);
    const path = `/api/v1/nodes?limit=50&state=running&providerId=${provider.id}&sort=name`;
    const res = await fetch(`${base(API_PORT)}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    if (!res.ok || JSON.parse(body).items.length !== 50) throw new Error(`unexpected node page: ${res.status} ${body.slice(0, 300)}`);
    await writeFile(join(home, 'body.json'), body);
    await writeFile(join(home, 'bodies.json'), JSON.stringify({ [path]: { type: res.headers.get('content-type'), file: join(home, 'body.json'), headers: answerHeaders(res) } }));
    await stopAll(first);

    const boss = await startBoss(pg.url, { retries: 0, timeoutSeconds: 60, maintenanceSeconds: 60, alertRetries: 0 }, (e) => log.error(e));
    const jobs = createJobService({ db, boss, events: new EventBus(db, pg.url, log), audit: createAuditService(db), retries: 0, runs: { cancelJob: async () => false } });
    const enqueue = () => db.transaction((m) => jobs.enqueue(m, { type: 'noop', targetType: 'system', targetId: provider.id }));

    for (const p of PROCESSES) {
      say(`${p} API and ${p} worker processes`);
      const ports = Array.from({ length: p }, (_, i) => API_PORT + i);
      const apis = await Promise.all(ports.map((port) => startOvermind(['api'], env(port), { logLevel: 'warn', baseUrl: base(port), children })));
      const workers = await Promise.all(ports.map((port) => startOvermind(['worker'], env(port), { logLevel: 'info', baseUrl: base(port), children })));

      await db.query('SELECT pg_stat_statements_reset()');
      const page = await hammer(ports.map((port) => `${base(port)}${path}`), CONNECTIONS, DURATION, token, apis.map((c) => c.pid!), () => postgresCpuSeconds(pgDir));
      const pageLoad = load1();
      const pageStatements = await topStatements(db, page.requests + page.warmup);
      const bares = await Promise.all(Array.from({ length: p }, (_, i) => startScript('./ceilings/bare-fastify.ts', { PORT: String(BARE_PORT + i), BODIES: join(home, 'bodies.json') }, children)));
      const bare = await hammer(bares.map((_, i) => `${base(BARE_PORT + i)}${path}`), CONNECTIONS, DURATION, token, bares.map((c) => c.pid!), async () => 0);
      await stopAll(bares);

      // The jobs: the workers', Postgres's and this process's CPU (it sends them, as an API process would).
      await db.query('SELECT pg_stat_statements_reset()');
      const before = [await cpuSeconds(process.pid), ...(await cpuSecondsEach(workers.map((w) => w.pid!))), await postgresCpuSeconds(pgDir)];
      const run = await runJobs(db, enqueue, JOBS);
      const after = [await cpuSeconds(process.pid), ...(await cpuSecondsEach(workers.map((w) => w.pid!))), await postgresCpuSeconds(pgDir)];
      const jobsLoad = load1();
      const jobStatements = await topStatements(db, JOBS, 14);
      const perJob = (from: number, to: number) => (cpuSecondsBetween(before.slice(from, to), after.slice(from, to)) * 1000) / JOBS;
      const [sender, working, postgres] = [perJob(0, 1), perJob(1, 1 + p), perJob(1 + p, before.length)];
      const rawBefore = (await cpuSeconds(process.pid)) + (await postgresCpuSeconds(pgDir));
      const raw = await rawPgBoss(pg.url, db, JOBS, CONCURRENCY * p, log);
      const rawCpuMs = (((await cpuSeconds(process.pid)) + (await postgresCpuSeconds(pgDir)) - rawBefore) * 1000) / JOBS;
      await stopAll([...apis, ...workers]);

      const x = `${p}×`;
      rows.push(
        { measure: `${x} API: GET /api/v1/nodes (50 of ${n(NODES)}), ${CONNECTIONS} connections`, overmind: `${n(page.rps)} req/s`, ceiling: `${n(bare.rps)} req/s (${p} bare Fastify)`, ratio: ratio(page.rps, bare.rps), load: pageLoad },
        { measure: '— latency p50 / p99 (worst process)', overmind: `${page.p50} / ${page.p99} ms`, ceiling: `${bare.p50} / ${bare.p99} ms`, ratio: ratio(page.p99, bare.p99, '×') },
        {
          measure: '— CPU per request: API processes + Postgres',
          overmind: `${us(page.cpuMs.server + page.cpuMs.postgres)} (${us(page.cpuMs.server)} + ${us(page.cpuMs.postgres)})`,
          ceiling: us(bare.cpuMs.server),
          ratio: ratio(page.cpuMs.server + page.cpuMs.postgres, bare.cpuMs.server, '×'),
        },
        { measure: `${x} worker: ${n(JOBS)} no-op jobs, first send to last finish`, overmind: `${(run.ms / 1000).toFixed(2)} s (${n((JOBS * 1000) / run.ms)} jobs/s)`, ceiling: `${(raw.ms / 1000).toFixed(2)} s (raw pg-boss, ${CONCURRENCY * p} in flight)`, ratio: ratio(run.ms, raw.ms, '×'), load: jobsLoad },
        {
          measure: '— CPU per job: sender (this process) + workers + Postgres',
          overmind: `${us(sender + working + postgres)} (${us(sender)} + ${us(working)} + ${us(postgres)})`,
          ceiling: `${us(rawCpuMs)} (this process + Postgres)`,
          ratio: ratio(sender + working + postgres, rawCpuMs, '×'),
        },
      );
      if (p === PROCESSES[0]) {
        statements.push(`Node page, ${p} API process(es): Postgres statements per request (calls, ms), of ${n(page.requests + page.warmup)} requests with the warm-up`, ...pageStatements);
        statements.push(`${n(JOBS)} jobs, ${p} worker(s): Postgres statements per job (calls, ms)`, ...jobStatements);
      }
      say(`${p}×: node page ${n(page.rps)} req/s (bare ${n(bare.rps)}), ${us(page.cpuMs.server + page.cpuMs.postgres)} CPU per request; jobs ${(run.ms / 1000).toFixed(2)} s, ${us(sender + working + postgres)} CPU per job`);
    }
    await boss.stop({ graceful: false, wait: true });
  } finally {
    await stopAll(children);
    await db.destroy().catch(() => {});
    await pg.stop();
    await rm(home, { recursive: true, force: true });
  }
  console.log(`\nWhere Postgres's time goes (pg_stat_statements; the pg-boss maintenance and LISTEN connections included):\n`);
  for (const line of statements) console.log(line.startsWith('  ') ? line : `\n${line}:`);
  printTable(`${machineLine()}\nOne Postgres; N API and N worker processes. Ratio: Overmind ÷ ceiling (req/s: higher is better; times and CPU: lower). CPU from /proc/<pid>/stat (utime + stime).`, rows);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
