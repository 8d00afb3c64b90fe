/**
 * API benchmarks on this machine, end to end through real processes:
 *  1. a provider sync that imports 10,000 nodes (worker process);
 *  2. GET /api/v1/nodes (page of 50, filtered) at 50 concurrent connections (API process), and the
 *     dashboard's GET /api/v1/nodes/summary at 10;
 *  3. 1,000 no-op jobs through the queue, and enqueue-to-start latency of single jobs.
 * Run: npm run bench (from the repository root). Prints a Markdown table.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { EventBus, createAuditService, createDataSource, createJobService, migrateDatabase, createLogger, loadConfig, startBoss, startEmbeddedPostgres } from '@overmind/api';
import autocannon from 'autocannon';
import { apiCaller, startOvermind, waitFor } from './bench-support.js';

const PORT = 18471;
const SECRET = 'benchmark-secret-key-0123456789abcdefgh';
const NODES = 10_000;

const log = createLogger(loadConfig({ LOG_LEVEL: 'warn' }));

const api = apiCaller(`http://127.0.0.1:${PORT}`);
const start = (args: string[], env: Record<string, string>, logLevel: string, children: ChildProcess[]) =>
  startOvermind(args, env, { logLevel, baseUrl: `http://127.0.0.1:${PORT}`, children });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const home = await mkdtemp(join(tmpdir(), 'overmind-bench-'));
  const pg = await startEmbeddedPostgres(home, 18472, log);
  const env = { DATABASE_URL: pg.url, OVERMIND_SECRET_KEY: SECRET, OVERMIND_ADMIN_PASSWORD: 'bench-admin-password', PORT: String(PORT) };
  const children: ChildProcess[] = [];
  const results: [string, string, string][] = [];
  try {
    await migrateDatabase(pg.url, log);
    // Request logging off (LOG_LEVEL=warn) as in a production deployment behind a proxy that logs.
    await start(['api'], env, 'warn', children);
    await start(['worker'], env, 'info', children);
    const { token } = await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }) });

    // 1. Sync importing 10,000 nodes.
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
    results.push(['Provider sync importing 10,000 nodes', `${(syncMs / 1000).toFixed(2)} s`, '< 10 s']);
    const again = await api(`/api/v1/providers/${provider.id}/sync`, token, { method: 'POST' });
    const resync = await waitFor(async () => {
      const j = await api(`/api/v1/jobs/${again.id}`, token);
      return j.state === 'succeeded' ? j : undefined;
    }, 'second sync');
    results.push(['Provider sync of 10,000 unchanged nodes', `${((Date.parse(resync.finishedAt) - Date.parse(resync.startedAt)) / 1000).toFixed(2)} s`, '< 10 s']);

    // 2. Node page of 50 with a filter, 50 connections.
    const url = `http://127.0.0.1:${PORT}/api/v1/nodes?limit=50&state=running&providerId=${provider.id}&sort=name`;
    const check = await api(url.slice(`http://127.0.0.1:${PORT}`.length), token);
    if (check.items.length !== 50 || check.total < 8000) throw new Error(`unexpected node page: ${check.items.length} of ${check.total}`);
    await autocannon({ url, connections: 50, duration: 3, headers: { authorization: `Bearer ${token}` } }); // warm-up
    const load = await autocannon({ url, connections: 50, duration: 15, headers: { authorization: `Bearer ${token}` } });
    if (load.non2xx > 0 || load.errors > 0) throw new Error(`node page load had ${load.non2xx} non-2xx and ${load.errors} errors`);
    results.push(['GET /api/v1/nodes (50 of 10,000, filtered), 50 connections', `${Math.round(load.requests.average)} req/s`, '>= 3,000 req/s']);
    results.push(['  latency p50 / p99', `${load.latency.p50} ms / ${load.latency.p99} ms`, 'p99 < 50 ms']);

    // The dashboard's counts over the same 10,000 nodes (no target: for the record).
    const summaryUrl = `http://127.0.0.1:${PORT}/api/v1/nodes/summary`;
    const summary = await autocannon({ url: summaryUrl, connections: 10, duration: 5, headers: { authorization: `Bearer ${token}` } });
    if (summary.non2xx > 0 || summary.errors > 0) throw new Error(`node summary load had ${summary.non2xx} non-2xx and ${summary.errors} errors`);
    results.push(['GET /api/v1/nodes/summary (10,000 nodes), 10 connections', `${Math.round(summary.requests.average)} req/s, p99 ${summary.latency.p99} ms`, '']);

    // 3. Jobs: 1,000 no-op jobs end to end, then single-job latency on an idle queue.
    const db = createDataSource(pg.url, { poolSize: 20 });
    await db.initialize();
    const boss = await startBoss(pg.url, { retries: 0, timeoutSeconds: 60, maintenanceSeconds: 60 }, (e) => log.error(e));
    const jobs = createJobService({ db, boss, events: new EventBus(db, pg.url, log), audit: createAuditService(db), retries: 0 });
    const enqueue = () => db.transaction((m) => jobs.enqueue(m, { type: 'noop', targetType: 'system', targetId: provider.id }));
    const started = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 1000; i += 50) ids.push(...(await Promise.all(Array.from({ length: 50 }, enqueue))).map((j) => j.id));
    await waitFor(async () => {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM jobs WHERE id = ANY($1) AND state = 'succeeded'`, [ids]);
      return n === ids.length ? true : undefined;
    }, '1,000 jobs');
    results.push(['1,000 no-op jobs, enqueue of the first to finish of the last', `${((Date.now() - started) / 1000).toFixed(2)} s`, '< 5 s']);

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
    results.push(['Enqueue-to-start latency, single jobs (median / p95)', `${percentile(latencies, 50).toFixed(1)} ms / ${percentile(latencies, 95).toFixed(1)} ms`, 'median < 100 ms']);
    await boss.stop({ graceful: false, wait: true });
    await db.destroy();
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await pg.stop();
    await rm(home, { recursive: true, force: true });
  }

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\n${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`);
  console.log('| Measure | Result | Target |\n| --- | --- | --- |');
  for (const [what, value, target] of results) console.log(`| ${what} | ${value} | ${target} |`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
