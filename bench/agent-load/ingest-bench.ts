/**
 * Readings ingest with its roll-ups (docs/benchmarks.md, "Ingest"): AGENTS agents (the load process
 * of the agent benchmark) send readings every 15 s to one `overmind api`, which stores them in
 * batches, while `overmind worker` runs its history roll-ups on its own schedule. Measured over a
 * window that lasts at least MEASURE_SECONDS and until the worker's 1-minute roll-up has run over
 * readings of the window: the CPU of the API, the worker and Postgres; Postgres's time per statement
 * (pg_stat_statements) for the readings' writes and the roll-ups. Then the agents stop and the
 * benchmark checks that every reading sent was stored (rows and values in `metric_raw`) and that
 * the 1-minute tier holds the average of every minute of them; a mismatch fails the run (exit 1).
 * Ceilings, in the same run and database: the same readings written with COPY into a plain table
 * shaped like `metric_raw`, in batches of the size Overmind's flushes had; the same minutes averaged
 * by one plain INSERT … SELECT … GROUP BY (a row per point).
 *
 * Run: npm run bench -- ingest. Env: AGENTS (10000), MEASURE_SECONDS (60), SETTLE_SECONDS (20),
 * ROLLUP_TIMEOUT_SECONDS (480: the 1-minute tier runs once 5 minutes of new buckets are complete),
 * CONNECT_TIMEOUT_SECONDS (240), LOG_DIR, CPU_PROFILE_DIR (the API process's --cpu-prof).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { AGENT_CONNECT_PATH, RECONNECT_BACKOFF } from '@overmind/agent-protocol';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { envInt, load1, machineLine, printTable, ratio, statementTimes, stopped, topStatements, type Measure } from '../bench-support.js';
import { startFleet } from './fleet-setup.js';
import { LoadProcess } from './load-control.js';
import { cpuSeconds, cpuSecondsBetween, cpuSecondsEach, postgresCpuSeconds } from './process-meter.js';

const int = (name: string, fallback: number) => envInt(name, fallback, 1);
const AGENTS = int('AGENTS', 10_000);
const MEASURE_SECONDS = int('MEASURE_SECONDS', 60);
const SETTLE_SECONDS = int('SETTLE_SECONDS', 20);
const ROLLUP_TIMEOUT_SECONDS = int('ROLLUP_TIMEOUT_SECONDS', 480);
const CONNECT_TIMEOUT_SECONDS = int('CONNECT_TIMEOUT_SECONDS', 240);
const PORT = 18491;
const PG_PORT = 18492;
const LOCAL_ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);

const children: ChildProcess[] = [];
const say = (msg: string) => console.log(`[ingest-bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const n = (v: number) => Math.round(v).toLocaleString('en');
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

type Db = pg.Pool;

async function doneUntil(db: Db, tier: string): Promise<number> {
  const { rows } = await db.query(`SELECT done_until FROM metric_rollups WHERE tier = $1`, [tier]);
  return rows[0] ? new Date(rows[0].done_until).getTime() : 0;
}

/** Every reading sent is a row of `metric_raw` with a value for each of its node's series; the nodes are all there. */
async function checkStored(db: Db, sent: number): Promise<{ problems: string[]; rows: number; points: number }> {
  const problems: string[] = [];
  const [r] = (await db.query(
    `SELECT count(*)::int AS rows, coalesce(sum(cardinality(vals)), 0)::int AS points, count(DISTINCT node_id)::int AS nodes,
            count(*) FILTER (WHERE cardinality(vals) <> (SELECT count(*) FROM metric_series s WHERE s.node_id = r.node_id))::int AS partial
       FROM metric_raw r`,
  )).rows;
  if (r.rows !== sent) problems.push(`the agents sent ${n(sent)} readings; metric_raw holds ${n(r.rows)} (${n(sent - r.rows)} missing)`);
  if (r.partial > 0) problems.push(`${n(r.partial)} stored readings lack values of some of their node's series`);
  if (r.nodes !== AGENTS) problems.push(`readings of ${n(r.nodes)} nodes stored; ${n(AGENTS)} agents sent them`);
  return { problems, rows: r.rows, points: r.points };
}

/** The 1-minute tier below `until` holds, for every series and minute with raw readings, their average. */
async function checkRolledUp(db: Db, until: number): Promise<{ problems: string[]; buckets: number }> {
  const { rows } = await db.query(
    `WITH r AS (
       SELECT u.sid, date_bin('60 seconds', r.at, TIMESTAMPTZ 'epoch') AS b, avg(u.v) AS v
         FROM metric_raw r CROSS JOIN LATERAL unnest(r.series, r.vals) AS u(sid, v) WHERE r.at < $1 GROUP BY 1, 2
     ), m AS (
       SELECT c.series_id AS sid, c.start + (u.i - 1) * interval '60 seconds' AS b, u.v
         FROM metric_1m c CROSS JOIN LATERAL unnest(c.v) WITH ORDINALITY AS u(v, i) WHERE u.v IS NOT NULL
     )
     SELECT count(*)::int AS buckets, count(*) FILTER (WHERE m.v IS NULL)::int AS missing,
            count(*) FILTER (WHERE abs(m.v - r.v) > 1e-4 * greatest(1, abs(r.v)))::int AS wrong
       FROM r LEFT JOIN m USING (sid, b)`,
    [new Date(until)],
  );
  const [c] = rows;
  const problems: string[] = [];
  if (c.buckets === 0) problems.push('no minute of readings was old enough to be rolled up: nothing to check');
  if (c.missing > 0) problems.push(`${n(c.missing)} of ${n(c.buckets)} minutes of readings are missing from the 1-minute tier`);
  if (c.wrong > 0) problems.push(`${n(c.wrong)} of ${n(c.buckets)} minutes in the 1-minute tier are not the average of their readings`);
  return { problems, buckets: c.buckets };
}

interface Ceiling {
  rows: number;
  copyPgMs: number;
  copyCpuMs: number;
  /** Postgres's part of copyCpuMs. */
  copyPgCpuMs: number;
  aggregatePgMs: number;
  aggregatePoints: number;
}

/** The same readings COPYed into a plain table in batches of `batch`, then the same minutes averaged into another. */
async function ceiling(db: Db, pgDir: string, batch: number, from: number, to: number, rollFrom: number, rollTo: number): Promise<Ceiling> {
  await db.query(`CREATE TABLE bench_raw (LIKE metric_raw INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
  await db.query(`CREATE INDEX ON bench_raw (node_id, at)`);
  await db.query(`CREATE TABLE bench_1m (series_id integer NOT NULL, at timestamptz NOT NULL, v real NOT NULL, PRIMARY KEY (series_id, at))`);
  const { rows } = await db.query(`SELECT node_id, at, series, vals FROM metric_raw WHERE at >= $1 AND at < $2 ORDER BY at`, [new Date(from), new Date(to)]);
  const lines = rows.map((r) => `${r.node_id}\t${(r.at as Date).toISOString()}\t{${(r.series as number[]).join(',')}}\t{${(r.vals as number[]).join(',')}}\n`);
  const client = await db.connect();
  try {
    await client.query('SELECT pg_stat_statements_reset()');
    const cpu0 = [await cpuSeconds(process.pid), await postgresCpuSeconds(pgDir)];
    for (let i = 0; i < lines.length; i += batch) {
      await pipeline(Readable.from(lines.slice(i, i + batch)), client.query(copyFrom('COPY bench_raw (node_id, at, series, vals) FROM STDIN')));
    }
    const cpu1 = [await cpuSeconds(process.pid), await postgresCpuSeconds(pgDir)];
    const copy = await statementTimes(client, 'COPY bench_raw%');
    if (copy.rows !== lines.length) throw new Error(`ceiling: COPY wrote ${copy.rows} rows of ${lines.length}`);
    // The raw readings of the minutes the worker rolled up in the window, from the ceiling's own table.
    await client.query(`INSERT INTO bench_raw SELECT * FROM metric_raw WHERE at >= $1 AND at < $2 AND NOT (at >= $3 AND at < $4)`, [new Date(rollFrom), new Date(rollTo), new Date(from), new Date(to)]);
    await client.query('SELECT pg_stat_statements_reset()');
    await client.query(
      `INSERT INTO bench_1m (series_id, at, v)
       SELECT u.sid, date_bin('60 seconds', r.at, TIMESTAMPTZ 'epoch'), avg(u.v)
         FROM bench_raw r CROSS JOIN LATERAL unnest(r.series, r.vals) AS u(sid, v) WHERE r.at >= $1 AND r.at < $2 GROUP BY 1, 2`,
      [new Date(rollFrom), new Date(rollTo)],
    );
    const aggregate = await statementTimes(client, 'INSERT INTO bench_1m%');
    const [{ points }] = (await client.query(`SELECT coalesce(sum(cardinality(vals)), 0)::int AS points FROM bench_raw WHERE at >= $1 AND at < $2`, [new Date(rollFrom), new Date(rollTo)])).rows;
    return { rows: lines.length, copyPgMs: copy.totalMs, copyCpuMs: cpuSecondsBetween(cpu0, cpu1) * 1000, copyPgCpuMs: (cpu1[1]! - cpu0[1]!) * 1000, aggregatePgMs: aggregate.totalMs, aggregatePoints: points };
  } finally {
    client.release();
    await db.query('DROP TABLE IF EXISTS bench_raw, bench_1m');
  }
}

async function main() {
  const home = await mkdtemp(join(tmpdir(), 'overmind-ingest-bench-'));
  const apiNodeArgs = process.env.CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROFILE_DIR}`] : [];
  const fleet = await startFleet({ home, port: PORT, pgPort: PG_PORT, agents: AGENTS, enrol: Math.min(20, AGENTS), heartbeatSeconds: 15, children, say, apiNodeArgs, logDir: process.env.LOG_DIR, statements: true });
  const { db } = fleet;
  const problems: string[] = [];
  const rows: Measure[] = [];
  try {
    say(`${AGENTS} agents connecting, readings every 15 s`);
    const load = LoadProcess.start(children);
    await load.connect({ url: `ws://127.0.0.1:${PORT}${AGENT_CONNECT_PATH}`, identities: fleet.identitiesFile, localAddresses: LOCAL_ADDRESSES, rampMs: 10_000, backoffMaxMs: RECONNECT_BACKOFF.maxMs, readings: true });
    const connectBy = Date.now() + CONNECT_TIMEOUT_SECONDS * 1000;
    while ((await load.stats()).connected < AGENTS) {
      if (Date.now() > connectBy) throw new Error(`only ${(await load.stats()).connected} of ${AGENTS} agents connected within ${CONNECT_TIMEOUT_SECONDS} s`);
      await sleep(500);
    }
    say(`all connected; settling ${SETTLE_SECONDS} s`);
    await sleep(SETTLE_SECONDS * 1000);

    // The window: at least MEASURE_SECONDS, and until the worker's 1-minute roll-up has passed its start.
    const pids = [fleet.apiProcess.pid!, fleet.worker.pid!, load.pid];
    await db.query('SELECT pg_stat_statements_reset()');
    const rolledBefore = await doneUntil(db, '1m');
    const sent0 = (await load.stats()).readings;
    const cpu0 = { each: await cpuSecondsEach(pids), pg: await postgresCpuSeconds(fleet.pgDir) };
    const start = Date.now();
    const t0 = performance.now();
    const loadAtStart = load1();
    let rolledAfter = rolledBefore;
    let lastSay = Date.now();
    while (performance.now() - t0 < MEASURE_SECONDS * 1000 || rolledAfter <= start) {
      if (performance.now() - t0 > ROLLUP_TIMEOUT_SECONDS * 1000) {
        problems.push(`the worker's 1-minute roll-up did not pass the window's start within ${ROLLUP_TIMEOUT_SECONDS} s`);
        break;
      }
      await sleep(1000);
      rolledAfter = await doneUntil(db, '1m');
      if (Date.now() - lastSay > 30_000) {
        lastSay = Date.now();
        say(`  ${((performance.now() - t0) / 1000).toFixed(0)} s; 1-minute tier done until ${rolledAfter ? new Date(rolledAfter).toISOString().slice(11, 19) : 'never'}`);
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const sentInWindow = (await load.stats()).readings - sent0;
    const cpu1 = { each: await cpuSecondsEach(pids), pg: await postgresCpuSeconds(fleet.pgDir) };
    const cpuOf = (i: number) => cpuSecondsBetween([cpu0.each[i]!], [cpu1.each[i]!]);
    const [apiCpu, workerCpu, loadCpu] = [cpuOf(0), cpuOf(1), cpuOf(2)];
    const pgCpu = cpu1.pg - cpu0.pg;
    const writes = await statementTimes(db, '%INSERT INTO metric_raw%');
    const rollups = await statementTimes(db, '%INSERT INTO metric_1m%');
    const top = await topStatements(db, Math.max(1, sentInWindow));
    say(`window ${seconds.toFixed(0)} s: ${n(sentInWindow)} readings sent; CPU s: API ${apiCpu.toFixed(1)}, worker ${workerCpu.toFixed(1)}, Postgres ${pgCpu.toFixed(1)}, load ${loadCpu.toFixed(1)}`);

    say('stopping the agents; then counting what was stored');
    const last = await load.stop();
    if (!last) throw new Error('the load process did not say how many readings it sent');
    let stored = -1;
    for (let i = 0; i < 20; i++) {
      await sleep(1500);
      const now = (await db.query('SELECT count(*)::int AS n FROM metric_raw')).rows[0].n as number;
      if (now === stored) break;
      stored = now;
    }
    const kept = await checkStored(db, last.readings);
    problems.push(...kept.problems);
    const rolledTo = await doneUntil(db, '1m');
    const rolled = await checkRolledUp(db, rolledTo);
    problems.push(...rolled.problems);

    // Overmind's roll-up runs in the window covered [rolledBefore - 1 min, rolledAfter) (each run computes its last bucket again).
    const rollFrom = rolledBefore ? rolledBefore - 60_000 : 0;
    const [{ points: rolledPoints }] = (await db.query(
      `SELECT coalesce(sum(cardinality(vals)), 0)::int AS points FROM metric_raw WHERE at >= $1 AND at < $2`,
      [new Date(rollFrom), new Date(rolledAfter)],
    )).rows;
    // What the window's statements wrote (their `rows` counts the events they sent, not the readings).
    const [{ inWindow, valuesInWindow }] = (await db.query(`SELECT count(*)::int AS "inWindow", coalesce(sum(cardinality(vals)), 0)::int AS "valuesInWindow" FROM metric_raw WHERE at >= $1 AND at < $2`, [new Date(start), new Date(start + seconds * 1000)])).rows;
    const batch = Math.max(1, Math.round(inWindow / Math.max(1, writes.calls)));
    say(`ceiling: COPY of the window's readings in batches of ${batch}, then the same minutes averaged`);
    const c = await ceiling(db, fleet.pgDir, batch, start, start + seconds * 1000, rollFrom, rolledAfter);

    const perReading = (ms: number) => ms / Math.max(1, inWindow);
    const copyRows = c.rows;
    rows.push(
      { measure: `Readings stored in the window (${AGENTS.toLocaleString('en')} agents, every 15 s, ${seconds.toFixed(0)} s)`, overmind: `${n(inWindow)} in ${n(writes.calls)} statements (${(inWindow / seconds).toFixed(0)}/s); ${n(sentInWindow)} sent`, load: loadAtStart },
      {
        measure: '— Postgres CPU per reading (every statement in the window: the writes, the agents\' last-seen updates, the roll-ups) vs COPY\'s',
        overmind: `${us(pgCpu * 1000 / Math.max(1, inWindow))}; the writes alone ${us(perReading(writes.totalMs))} of statement time in ${n(writes.calls)} statements`,
        ceiling: `${us(c.copyPgCpuMs / Math.max(1, copyRows))} (COPY, batches of ${batch}; ${us(c.copyPgMs / Math.max(1, copyRows))} of statement time, the client's sending included)`,
        ratio: ratio(pgCpu / Math.max(1, inWindow), c.copyPgCpuMs / 1000 / Math.max(1, copyRows), '×'),
      },
      {
        measure: '— CPU per reading: API process + Postgres (receiving over WebSocket, validating, storing) vs COPY client + Postgres',
        overmind: `${us((apiCpu + pgCpu) * 1000 / Math.max(1, sentInWindow))} (${us(apiCpu * 1000 / Math.max(1, sentInWindow))} + ${us(pgCpu * 1000 / Math.max(1, sentInWindow))})`,
        ceiling: us(c.copyCpuMs / Math.max(1, copyRows)),
        ratio: ratio((apiCpu + pgCpu) / Math.max(1, sentInWindow), c.copyCpuMs / 1000 / Math.max(1, copyRows), '×'),
      },
      {
        measure: '— API process CPU, % of one core (heartbeats and readings of all agents)',
        overmind: `${((apiCpu / seconds) * 100).toFixed(1)} %`,
        ceiling: `${(((c.copyCpuMs / 1000 / Math.max(1, copyRows)) * sentInWindow / seconds) * 100).toFixed(1)} % (COPY client + Postgres at the same rate)`,
        target: '< 50 %',
        met: apiCpu / seconds < 0.5,
      },
      { measure: '— worker / Postgres / load process CPU, % of one core (roll-ups included)', overmind: `${((workerCpu / seconds) * 100).toFixed(1)} % / ${((pgCpu / seconds) * 100).toFixed(1)} % / ${((loadCpu / seconds) * 100).toFixed(1)} %` },
      {
        measure: `Worker's 1-minute roll-ups in the window (${rollups.calls} run${rollups.calls === 1 ? '' : 's'}, ${n(rolledPoints)} raw values), Postgres time per value`,
        overmind: rollups.calls ? `${us(rollups.totalMs / Math.max(1, rolledPoints))} (${(rollups.totalMs / 1000).toFixed(2)} s)` : 'did not run',
        ceiling: `${us(c.aggregatePgMs / Math.max(1, c.aggregatePoints))} (${(c.aggregatePgMs / 1000).toFixed(2)} s; GROUP BY into a row per point)`,
        ratio: ratio(rollups.totalMs / Math.max(1, rolledPoints), c.aggregatePgMs / Math.max(1, c.aggregatePoints), '×'),
      },
      {
        measure: '— its cost at this rate (it runs once 5 minutes of buckets are complete), % of one core',
        // Values per second stored, times Postgres's time per value rolled up.
        overmind: rolledPoints ? `${(((rollups.totalMs / rolledPoints) * (valuesInWindow / seconds)) / 10).toFixed(2)} %` : '—',
        ceiling: `${(((c.aggregatePgMs / Math.max(1, c.aggregatePoints)) * (valuesInWindow / seconds)) / 10).toFixed(2)} %`,
      },
      {
        measure: 'Every reading sent stored (rows and values), and every minute of them in the 1-minute tier',
        overmind: `${n(kept.rows)} of ${n(last.readings)} readings, ${n(kept.points)} values; ${n(rolled.buckets)} minutes checked`,
        target: 'all',
        met: problems.length === 0,
      },
    );
    console.log(`\nWhere Postgres's time went in the window (pg_stat_statements, the 8 longest in all), per reading sent:\n`);
    for (const line of top) console.log(line);
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.all(children.map(stopped));
    await db.end().catch(() => {});
    await fleet.stopPostgres();
    await rm(home, { recursive: true, force: true });
  }
  printTable(`${machineLine()}\nRatio: Overmind ÷ ceiling (lower is better). Ceilings: the same readings COPYed into a plain table shaped like metric_raw; the same minutes averaged by one INSERT … SELECT … GROUP BY.`, rows);
  if (problems.length > 0) {
    console.error(`\n!!! INGEST CHECK FAILED !!!\n${problems.map((p) => `- ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log('\nChecks: every reading sent was stored with all its values; every minute of them is in the 1-minute tier with its average.');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
});
