/**
 * 10,000 agents on one `overmind api` process (docs/benchmarks.md, "Agents: 10,000 connections").
 *
 * Setup (not measured): an embedded Postgres, `overmind api` and `overmind worker` (the real CLI), a
 * dummy provider's 10,000 nodes, and one active agent per node: most written in bulk, ENROL of them
 * enrolled through the API. A load process (load-agents.ts) then holds every agent's WebSocket.
 * Measured, each next to a ceiling measured in the same run (bare-server.ts: a bare `ws` server with
 * the same handshake, heartbeats and a NOTIFY-based delivery, and nothing else):
 *  (a) steady state with all connected: the API process's RSS and CPU over STEADY_SECONDS;
 *  (b) run delivery: RUNS runs requested one node at a time through POST /api/v1/nodes/actions/run,
 *      from request sent to `run.offer` received by the agent;
 *  (c) restart: SIGTERM the API, start it again, until every agent is connected again (the load
 *      process's count and `agents.connected` in Postgres), with no enrolment lost.
 * Every wait is bounded: a failure ends the benchmark with a message, or a phase with "not reached".
 *
 * Run: npm run bench -- agents (or npm run bench, which runs every benchmark).
 * Env: READINGS (1: agents send readings every 15 s; 0: heartbeats alone), AGENTS (10000), ENROL (200), STEADY_SECONDS (60), SETTLE_SECONDS (20), RUNS (200),
 * RUN_SPACING_MS (500), RAMP_SECONDS (10), BACKOFF_MAX_SECONDS (30, the real agent's), CONNECT_TIMEOUT_SECONDS (240), RESTART_TIMEOUT_SECONDS (180),
 * CPU_PROFILE_DIR (API process --cpu-prof output, off by default), CEILING=0 (skip the bare server: for
 * experiments, prints no table), LOG_DIR (keep the API's and the worker's logs there),
 * LOAD_CPU_PROFILE_DIR (the load process's --cpu-prof output), HEAP_SNAPSHOT_DIR (the API process's
 * heap snapshot after the steady state: it stops the process for a while, so the later phases suffer),
 * API_NODE_ARGS (more Node options for the API process, e.g. `--trace-gc` with LOG_DIR).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT_CONNECT_PATH, RECONNECT_BACKOFF } from '@overmind/agent-protocol';
import pg from 'pg';
import { envInt, waitFor } from '../bench-support.js';
import { startFleet } from './fleet-setup.js';
import { LoadProcess } from './load-control.js';
import type { LoadStats, RunLatencies, RunRequests } from './load-messages.js';
import { FullGcTrace, type LiveHeap } from './gc-trace.js';
import { cpuSecondsBetween, cpuSecondsEach, listenOverflows, machineTicks, measureUsage, postgresPids, type Usage } from './process-meter.js';

const int = (name: string, fallback: number) => envInt(name, fallback, 0);
const AGENTS = int('AGENTS', 10_000);
const ENROL = Math.min(int('ENROL', 200), AGENTS);
const STEADY_SECONDS = int('STEADY_SECONDS', 60);
const SETTLE_SECONDS = int('SETTLE_SECONDS', 20);
const RUNS = Math.min(int('RUNS', 200), AGENTS);
const RUN_SPACING_MS = int('RUN_SPACING_MS', 500);
const RAMP_SECONDS = int('RAMP_SECONDS', 10);
const CONNECT_TIMEOUT_SECONDS = int('CONNECT_TIMEOUT_SECONDS', 240);
const RESTART_TIMEOUT_SECONDS = int('RESTART_TIMEOUT_SECONDS', 180);
/** The agents' longest reconnect delay: the real agent's unless trying another. */
const BACKOFF_MAX_SECONDS = int('BACKOFF_MAX_SECONDS', RECONNECT_BACKOFF.maxMs / 1000);
const HEARTBEAT_SECONDS = 15;
/** Agents send readings (every 15 s, the default) unless READINGS=0: the steady state is then heartbeats alone. */
const READINGS = int('READINGS', 1) !== 0;
/** The API process's heap snapshot is written here after the steady state (off by default). */
const HEAP_SNAPSHOT_DIR = process.env.HEAP_SNAPSHOT_DIR;
/** The whole benchmark, whatever happens. */
const OVERALL_BOUND_MS = 45 * 60_000;

const PORT = 18481;
const PG_PORT = 18482;
const BARE_PORT = 18483;
/** Ephemeral ports are per client address: eight addresses leave room for reconnect storms and TIME_WAIT. */
const LOCAL_ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
const TSX = import.meta.resolve('tsx');

const baseUrl = `http://127.0.0.1:${PORT}`;
const children: ChildProcess[] = [];

const MiB = 2 ** 20;
const say = (msg: string) => console.log(`[agent-bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return Promise.race([new Promise<boolean>((r) => child.once('exit', () => r(true))), sleep(ms).then(() => false)]);
}

async function stopChild(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  if (!(await exited(child, 20_000))) {
    child.kill('SIGKILL');
    await exited(child, 5000);
  }
}

function startBare(env: Record<string, string>, gc: FullGcTrace): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--trace-gc', '--import', TSX, fileURLToPath(new URL('./bare-server.ts', import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bare server did not start within 30 s')), 30_000);
    child.stdout!.on('data', (d) => {
      gc.write(d);
      if (String(d).includes('listening')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

interface Connected {
  /** ms from `since` until the load process had every agent connected, or null when not within the bound. */
  loadMs: number | null;
  /** ms until `agents.connected` counted every agent, when the database is watched. */
  dbMs: number | null;
  stats: LoadStats;
  dbCount: number | null;
  /** Accept-queue overflows on the machine meanwhile (connections the server's kernel dropped). */
  overflows: number;
  /** Share of both cores busy meanwhile, all processes, %. */
  machineBusy: number;
  /** CPU the server process and the load process used meanwhile (the server's from when it answered). */
  serverCpuSeconds: number;
  loadCpuSeconds: number;
}

/** Waits, within `timeoutMs` of `since`, until all agents are connected (and Postgres says so, with `db`). */
async function allConnected(load: LoadProcess, server: number, since: number, timeoutMs: number, db?: pg.Pool): Promise<Connected> {
  let loadMs: number | null = null;
  let dbMs: number | null = null;
  let dbCount: number | null = null;
  const cpu0 = await cpuSecondsEach([server, load.pid]);
  let stats = await load.stats(true);
  const overflows0 = await listenOverflows();
  const machine0 = await machineTicks();
  let lastDb = 0;
  let lastSay = Date.now();
  while (performance.now() - since < timeoutMs) {
    stats = await load.stats();
    if (loadMs === null && stats.connected === AGENTS) loadMs = performance.now() - since;
    if (db && dbMs === null && performance.now() - lastDb > 500) {
      lastDb = performance.now();
      dbCount = (await db.query(`SELECT count(*)::int AS n FROM agents WHERE connected`)).rows[0].n as number;
      if (dbCount === AGENTS) dbMs = performance.now() - since;
    }
    if (loadMs !== null && (!db || dbMs !== null)) break;
    if (Date.now() - lastSay > 10_000) {
      lastSay = Date.now();
      say(`  ${stats.connected} connected, ${stats.connecting} connecting${dbCount === null ? '' : `, ${dbCount} in Postgres`}; closes ${JSON.stringify(stats.closes)}`);
    }
    await sleep(100);
  }
  if (db) dbCount = (await db.query(`SELECT count(*)::int AS n FROM agents WHERE connected`)).rows[0].n as number;
  const machine1 = await machineTicks();
  const cpu1 = await cpuSecondsEach([server, load.pid]);
  stats = await load.stats(true);
  return {
    loadMs,
    dbMs,
    stats,
    dbCount,
    overflows: (await listenOverflows()) - overflows0,
    machineBusy: ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * 100,
    serverCpuSeconds: cpuSecondsBetween([cpu0[0]!], [cpu1[0]!]),
    loadCpuSeconds: cpuSecondsBetween([cpu0[1]!], [cpu1[1]!]),
  };
}

interface Steady {
  usage: Record<string, Usage>;
  /** The server's live JavaScript heap after each full collection in the window (asked at the end: with none in it, the next one's). */
  liveHeap: () => LiveHeap | null;
  postgresCpuPercent: number;
  machineBusy: number;
  loadDelayMaxMs: number;
}

interface Side extends Steady {
  connect: Connected;
  delivery: RunLatencies;
  cpuMsPerRun: Record<string, number>;
  stages?: Record<string, number[]>;
  restart: Connected & { upMs: number; stoppedMs: number };
}

async function steadyState(load: LoadProcess, pids: Record<string, number>, pgDir: string, heap: { gc: FullGcTrace; pid: number }): Promise<Steady> {
  say(`settling ${SETTLE_SECONDS} s, then measuring ${STEADY_SECONDS} s`);
  await sleep(SETTLE_SECONDS * 1000);
  const pgPids = await postgresPids(pgDir);
  const pg0 = await cpuSecondsEach(pgPids);
  const machine0 = await machineTicks();
  await load.stats(true);
  const t0 = performance.now();
  const gcFrom = heap.gc.mark();
  const usage = await measureUsage({ ...pids, load: load.pid }, STEADY_SECONDS);
  const gcTo = heap.gc.mark();
  const liveHeap = () => heap.gc.liveHeap(heap.pid, gcFrom, gcTo);
  const postgresCpuPercent = (cpuSecondsBetween(pg0, await cpuSecondsEach(pgPids)) / ((performance.now() - t0) / 1000)) * 100;
  const machine1 = await machineTicks();
  const loadDelayMaxMs = (await load.stats(true)).loopDelayMaxMs;
  const machineBusy = ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * 100;
  say(`steady: ${Object.entries(usage).map(([n, u]) => `${n} ${(u.rssMeanBytes / MiB).toFixed(0)} MiB ${u.cpuPercent.toFixed(1)} % (${u.systemPercent.toFixed(1)} % system)`).join(', ')}; Postgres ${postgresCpuPercent.toFixed(1)} %; machine ${machineBusy.toFixed(0)} % busy`);
  say(`  live JavaScript heap after full collections: ${describeLiveHeap(liveHeap())}`);
  return { usage, postgresCpuPercent, machineBusy, loadDelayMaxMs, liveHeap };
}

function describeLiveHeap(h: LiveHeap | null): string {
  if (!h) return 'no full collection';
  const heap = `${h.minMiB === h.maxMiB ? h.maxMiB.toFixed(0) : `${h.minMiB.toFixed(0)}–${h.maxMiB.toFixed(0)}`} MiB (${h.committedMaxMiB.toFixed(0)})`;
  return `${heap}, ${h.collections === 0 ? 'none in the window: the next one' : `${h.collections} collection${h.collections === 1 ? '' : 's'}`}`;
}

/** Signals `pid` (started with --heapsnapshot-signal) and waits until its snapshot in `dir` has stopped growing. */
async function heapSnapshot(pid: number, dir: string): Promise<string> {
  const before = new Set(await readdir(dir));
  process.kill(pid, 'SIGUSR2');
  let size = -1;
  return waitFor(async () => {
    const file = (await readdir(dir)).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!file) return undefined;
    const now = (await stat(join(dir, file))).size;
    if (now === size && now > 0) return join(dir, file);
    size = now;
    return undefined;
  }, 'the heap snapshot', 300_000, 2000);
}

/**
 * Runs requested through the load process, with the CPU each process used meanwhile per run (the
 * steady-state heartbeat work included: compare with the steady figures).
 */
async function deliver(load: LoadProcess, pids: Record<string, number>, pgDir: string, requests: RunRequests): Promise<{ delivery: RunLatencies; cpuMsPerRun: Record<string, number> }> {
  const names = [...Object.keys(pids), 'load'];
  const all = [...Object.values(pids), load.pid];
  const pgPids = await postgresPids(pgDir);
  const [cpu0, pg0, t0] = [await cpuSecondsEach(all), await cpuSecondsEach(pgPids), performance.now()];
  const delivery = await load.requestRuns(requests);
  const [cpu1, pg1] = [await cpuSecondsEach(all), await cpuSecondsEach(pgPids)];
  const n = Math.max(1, delivery.latencies.length);
  const cpuMsPerRun: Record<string, number> = {};
  names.forEach((name, i) => (cpuMsPerRun[name] = (cpuSecondsBetween([cpu0[i]!], [cpu1[i]!]) * 1000) / n));
  cpuMsPerRun.postgres = (cpuSecondsBetween(pg0, pg1) * 1000) / n;
  cpuMsPerRun.seconds = (performance.now() - t0) / 1000;
  return { delivery, cpuMsPerRun };
}

/** Stages of each delivered run, from the rows' timestamps (Postgres' now(): the start of each transaction). */
async function deliveryStages(db: pg.Pool, d: RunLatencies): Promise<Record<string, number[]>> {
  const { rows } = await db.query(
    `SELECT r.id, extract(epoch FROM j.created_at) * 1000 AS job, extract(epoch FROM j.started_at) * 1000 AS started, extract(epoch FROM r.created_at) * 1000 AS run
       FROM agent_runs r JOIN jobs j ON j.id = r.job_id WHERE r.id = ANY($1::uuid[])`,
    [d.runs.map((r) => r.runId)],
  );
  const byId = new Map(rows.map((r) => [r.id as string, { job: Number(r.job), started: Number(r.started), run: Number(r.run) }]));
  const stages: Record<string, number[]> = { 'request → job row': [], 'job row → worker starts it': [], 'worker → run row': [], 'run row → offer received': [] };
  for (const r of d.runs) {
    const t = byId.get(r.runId);
    if (!t) continue;
    stages['request → job row']!.push(t.job - r.sentAt);
    stages['job row → worker starts it']!.push(t.started - t.job);
    stages['worker → run row']!.push(t.run - t.started);
    stages['run row → offer received']!.push(r.offeredAt - t.run);
  }
  for (const v of Object.values(stages)) v.sort((a, b) => a - b);
  return stages;
}

function describeStages(stages: Record<string, number[]>): string {
  return Object.entries(stages)
    .map(([what, v]) => (v.length ? `${what} ${percentile(v, 50).toFixed(0)} (${percentile(v, 95).toFixed(0)})` : `${what} —`))
    .join('; ');
}

function describeCpu(c: Record<string, number>): string {
  return Object.entries(c).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
}

function describePhase(c: Connected): string {
  const h = c.stats.handshakes;
  return `server CPU ${c.serverCpuSeconds.toFixed(1)} s (${((c.serverCpuSeconds * 1000) / AGENTS).toFixed(2)} ms per agent), load process CPU ${c.loadCpuSeconds.toFixed(1)} s; handshakes (open to welcome) ${h.count}: p50 ${h.p50Ms.toFixed(0)} / p95 ${h.p95Ms.toFixed(0)} / max ${h.maxMs.toFixed(0)} ms; closes ${JSON.stringify(c.stats.closes)}; socket errors ${JSON.stringify(c.stats.errors)}; accept-queue overflows ${c.overflows}; load process loop delay max ${c.stats.loopDelayMaxMs.toFixed(0)} ms; machine ${c.machineBusy.toFixed(0)} % busy`;
}

function describeDelivery(d: RunLatencies): string {
  const s = [...d.latencies].sort((a, b) => a - b);
  return s.length === 0 ? 'none arrived' : `p50 ${percentile(s, 50).toFixed(1)} / p95 ${percentile(s, 95).toFixed(1)} / p99 ${percentile(s, 99).toFixed(1)} ms (${s.length} of ${s.length + d.missing})`;
}

async function main() {
  const overall = setTimeout(() => {
    console.error(`agent benchmark: not finished within ${OVERALL_BOUND_MS / 60_000} minutes; stopping`);
    for (const c of children) c.kill('SIGKILL');
    process.exit(1);
  }, OVERALL_BOUND_MS);
  overall.unref();

  const home = await mkdtemp(join(tmpdir(), 'overmind-agent-bench-'));
  // --trace-gc: the live heap after each full collection, next to the RSS (gc-trace.ts).
  const nodeArgs = [
    '--trace-gc',
    ...(process.env.CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROFILE_DIR}`] : []),
    ...(HEAP_SNAPSHOT_DIR ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${HEAP_SNAPSHOT_DIR}`] : []),
    ...(process.env.API_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
  ];
  const apiGc = new FullGcTrace();
  const fleet = await startFleet({ home, port: PORT, pgPort: PG_PORT, agents: AGENTS, enrol: ENROL, heartbeatSeconds: HEARTBEAT_SECONDS, children, say, apiNodeArgs: nodeArgs, apiOutput: (d) => apiGc.write(d), logDir: process.env.LOG_DIR });
  const { db, pgDir, identities, identitiesFile, token, worker, startApi } = fleet;
  let apiProcess = fleet.apiProcess;
  const sides: Partial<Record<'overmind' | 'bare', Side>> = {};
  const enrolled = ENROL;
  const checks: string[] = [];
  try {
    // The same nodes get runs on both sides.
    const runNodes = [...identities].sort(() => Math.random() - 0.5).slice(0, RUNS).map((a) => a.nodeId);

    // ---- Overmind ----
    say(`Overmind: ${AGENTS} agents connecting (first connections spread over ${RAMP_SECONDS} s)`);
    let load = LoadProcess.start(children);
    await load.connect({ url: `ws://127.0.0.1:${PORT}${AGENT_CONNECT_PATH}`, identities: identitiesFile, localAddresses: LOCAL_ADDRESSES, rampMs: RAMP_SECONDS * 1000, backoffMaxMs: BACKOFF_MAX_SECONDS * 1000, readings: READINGS });
    let since = performance.now();
    const connect = await allConnected(load, apiProcess.pid!, since, CONNECT_TIMEOUT_SECONDS * 1000, db);
    if (connect.loadMs === null) throw new Error(`only ${connect.stats.connected} of ${AGENTS} agents connected within ${CONNECT_TIMEOUT_SECONDS} s: ${describePhase(connect)}`);
    say(`all connected in ${(connect.loadMs / 1000).toFixed(1)} s (Postgres: ${connect.dbMs === null ? `${connect.dbCount} only` : `${(connect.dbMs / 1000).toFixed(1)} s`}); ${describePhase(connect)}`);

    const steady = await steadyState(load, { api: apiProcess.pid!, worker: worker.pid! }, pgDir, { gc: apiGc, pid: apiProcess.pid! });
    if (HEAP_SNAPSHOT_DIR) say(`heap snapshot of the API: ${await heapSnapshot(apiProcess.pid!, HEAP_SNAPSHOT_DIR)}`);
    const after = await load.stats();
    if (after.connected !== AGENTS) checks.push(`during the steady state ${AGENTS - after.connected} agents dropped (closes: ${JSON.stringify(after.closes)})`);

    say(`requesting ${RUNS} runs through the API, one node each, every ~${RUN_SPACING_MS} ms`);
    const { delivery, cpuMsPerRun } = await deliver(load, { api: apiProcess.pid!, worker: worker.pid! }, pgDir, {
      url: `${baseUrl}/api/v1/nodes/actions/run`,
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ nodeIds: ['__NODE__'], command: 'true' }),
      nodeIds: runNodes,
      spacingMs: RUN_SPACING_MS,
      timeoutMs: 30_000,
    });
    say(`delivery: ${describeDelivery(delivery)}; CPU ms per run (heartbeats included) ${describeCpu(cpuMsPerRun)}${delivery.errors.length ? `; errors: ${delivery.errors.slice(0, 3).join(' | ')}` : ''}`);
    const stages = await deliveryStages(db, delivery);
    say(`  stages, ms p50 (p95): ${describeStages(stages)}`);
    const finished = await waitFor(async () => {
      const { rows } = await db.query(`SELECT count(*) FILTER (WHERE r.state = 'succeeded' AND j.state = 'succeeded')::int AS n FROM agent_runs r JOIN jobs j ON j.id = r.job_id`);
      return rows[0].n === RUNS ? true : undefined;
    }, 'runs and their jobs to succeed', 60_000, 250).catch(() => false);
    if (!finished) checks.push(`not every run's job succeeded within 60 s of the last request`);

    say('restart: SIGTERM to the API process');
    since = performance.now();
    await stopChild(apiProcess);
    const stoppedMs = performance.now() - since;
    const stillShown = (await db.query(`SELECT count(*)::int AS n FROM agents WHERE connected`)).rows[0].n as number;
    if (stillShown > 0) checks.push(`${stillShown} agents still shown connected after the API stopped`);
    apiProcess = await startApi();
    const upMs = performance.now() - since;
    const restart = { ...(await allConnected(load, apiProcess.pid!, since, RESTART_TIMEOUT_SECONDS * 1000, db)), upMs, stoppedMs };
    say(`restart: stopped in ${(stoppedMs / 1000).toFixed(1)} s, answering at ${(upMs / 1000).toFixed(1)} s, all connected at ${restart.loadMs === null ? 'never' : `${(restart.loadMs / 1000).toFixed(1)} s`} (Postgres ${restart.dbMs === null ? `${restart.dbCount} only` : `${(restart.dbMs / 1000).toFixed(1)} s`}); ${describePhase(restart)}`);
    const kept = (await db.query(
      `SELECT count(*) FILTER (WHERE a.status = 'active')::int AS active, count(*) FILTER (WHERE a.connected)::int AS connected,
              count(*) FILTER (WHERE n.agent_id = a.id AND n.agent_state = 'connected')::int AS shown
         FROM agents a LEFT JOIN nodes n ON n.id = a.node_id`,
    )).rows[0];
    if (kept.active !== AGENTS) checks.push(`after the restart ${kept.active} of ${AGENTS} agents are active`);
    if (restart.stats.gaveUp > 0) checks.push(`${restart.stats.gaveUp} agents were refused for good`);
    say(`after the restart: ${kept.active} active, ${kept.connected} connected, ${kept.shown} shown connected on their nodes`);
    sides.overmind = { connect, ...steady, delivery, cpuMsPerRun, stages, restart };
    await load.stop();
    await stopChild(apiProcess);
    await stopChild(worker);

    // ---- Ceiling: the bare server ----
    if (process.env.CEILING === '0') {
      say('CEILING=0: the ceiling is not measured, so no table (the lines above are the Overmind side)');
      return;
    }
    await db.query(`CREATE TABLE bench_runs (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), node_id uuid NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    const bareEnv = { PORT: String(BARE_PORT), DATABASE_URL: fleet.pgUrl, IDENTITIES: identitiesFile, HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS) };
    const bareGc = new FullGcTrace();
    let bare = await startBare(bareEnv, bareGc);
    say(`bare server: ${AGENTS} agents connecting`);
    load = LoadProcess.start(children);
    await load.connect({ url: `ws://127.0.0.1:${BARE_PORT}${AGENT_CONNECT_PATH}`, identities: identitiesFile, localAddresses: LOCAL_ADDRESSES, rampMs: RAMP_SECONDS * 1000, backoffMaxMs: BACKOFF_MAX_SECONDS * 1000, readings: READINGS });
    since = performance.now();
    const bareConnect = await allConnected(load, bare.pid!, since, CONNECT_TIMEOUT_SECONDS * 1000);
    if (bareConnect.loadMs === null) throw new Error(`bare server: only ${bareConnect.stats.connected} of ${AGENTS} connected within ${CONNECT_TIMEOUT_SECONDS} s: ${describePhase(bareConnect)}`);
    say(`bare: all connected in ${(bareConnect.loadMs / 1000).toFixed(1)} s; ${describePhase(bareConnect)}`);
    const bareSteady = await steadyState(load, { bare: bare.pid! }, pgDir, { gc: bareGc, pid: bare.pid! });
    const { delivery: bareDelivery, cpuMsPerRun: bareCpuMsPerRun } = await deliver(load, { bare: bare.pid! }, pgDir, {
      url: `http://127.0.0.1:${BARE_PORT}/run`,
      headers: {},
      body: JSON.stringify({ nodeId: '__NODE__' }),
      nodeIds: runNodes,
      spacingMs: RUN_SPACING_MS,
      timeoutMs: 30_000,
    });
    say(`bare delivery: ${describeDelivery(bareDelivery)}; CPU ms per run (heartbeats included) ${describeCpu(bareCpuMsPerRun)}`);
    since = performance.now();
    await stopChild(bare);
    const bareStopped = performance.now() - since;
    bare = await startBare(bareEnv, bareGc);
    const bareUp = performance.now() - since;
    const bareRestart = { ...(await allConnected(load, bare.pid!, since, RESTART_TIMEOUT_SECONDS * 1000)), upMs: bareUp, stoppedMs: bareStopped };
    say(`bare restart: stopped in ${(bareStopped / 1000).toFixed(1)} s, answering at ${(bareUp / 1000).toFixed(1)} s, all connected at ${bareRestart.loadMs === null ? 'never' : `${(bareRestart.loadMs / 1000).toFixed(1)} s`}; ${describePhase(bareRestart)}`);
    sides.bare = { connect: bareConnect, ...bareSteady, usage: { api: bareSteady.usage.bare!, load: bareSteady.usage.load! }, delivery: bareDelivery, cpuMsPerRun: bareCpuMsPerRun, restart: bareRestart };
    await load.stop();
    await stopChild(bare);
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await sleep(1000);
    await db.end().catch(() => {});
    await fleet.stopPostgres();
    await rm(home, { recursive: true, force: true });
  }
  report(sides.overmind!, sides.bare!, enrolled, checks);
}

function report(o: Side, b: Side, enrolled: number, checks: string[]): void {
  const ms = (v: number | null) => (v === null ? 'not reached' : `${(v / 1000).toFixed(1)} s`);
  const ratio = (a: number | null, c: number | null) => (a === null || c === null || c === 0 ? '—' : `${(a / c).toFixed(2)}×`);
  const met = (ok: boolean) => (ok ? 'yes' : '**no**');
  const sorted = (d: RunLatencies) => [...d.latencies].sort((x, y) => x - y);
  const od = sorted(o.delivery);
  const bd = sorted(b.delivery);
  const p = (s: number[], q: number) => (s.length ? percentile(s, q) : null);
  const rows: string[][] = [];
  const add = (what: string, ov: string, cv: string, r: string, target: string, ok: string) => rows.push([what, ov, cv, r, target, ok]);
  const oa = o.usage.api!;
  const ba = b.usage.api!;
  add(`API process RSS, steady, mean (max) over ${STEADY_SECONDS} s`, `${(oa.rssMeanBytes / MiB).toFixed(0)} MiB (${(oa.rssMaxBytes / MiB).toFixed(0)})`, `${(ba.rssMeanBytes / MiB).toFixed(0)} MiB (${(ba.rssMaxBytes / MiB).toFixed(0)})`, ratio(oa.rssMeanBytes, ba.rssMeanBytes), '< 1 GiB', met(oa.rssMaxBytes < 1024 * MiB));
  const ol = o.liveHeap();
  const bl = b.liveHeap();
  add(`— live JavaScript heap after each full collection in those ${STEADY_SECONDS} s, min–max (V8's reservation after one, max)`, describeLiveHeap(ol), describeLiveHeap(bl), ratio(ol?.maxMiB ?? null, bl?.maxMiB ?? null), '', '');
  add(`API process CPU, steady, % of one core over ${STEADY_SECONDS} s (of which kernel)`, `${oa.cpuPercent.toFixed(1)} % (${oa.systemPercent.toFixed(1)})`, `${ba.cpuPercent.toFixed(1)} % (${ba.systemPercent.toFixed(1)})`, ratio(oa.cpuPercent, ba.cpuPercent), '< 30 %', met(oa.cpuPercent < 30));
  add('— worker process CPU, steady', `${o.usage.worker!.cpuPercent.toFixed(1)} %`, '(none)', '', '', '');
  add('— Postgres CPU (all its processes), steady', `${o.postgresCpuPercent.toFixed(1)} %`, `${b.postgresCpuPercent.toFixed(1)} %`, '', '', '');
  add('— load process CPU (all the agents), steady; its event-loop delay max', `${o.usage.load!.cpuPercent.toFixed(1)} %; ${o.loadDelayMaxMs.toFixed(0)} ms`, `${b.usage.load!.cpuPercent.toFixed(1)} %; ${b.loadDelayMaxMs.toFixed(0)} ms`, '', '', '');
  add('— the whole machine busy (both cores, everything running), steady', `${o.machineBusy.toFixed(0)} %`, `${b.machineBusy.toFixed(0)} %`, '', '', '');
  const pOk = (s: number[], d: RunLatencies) => d.missing === 0 && d.errors.length === 0 && s.length > 0;
  add(`Run delivery, request to \`run.offer\`, p50 (${od.length}/${RUNS} delivered)`, `${p(od, 50)?.toFixed(1)} ms`, `${p(bd, 50)?.toFixed(1)} ms`, ratio(p(od, 50), p(bd, 50)), '', '');
  add('— p95', `${p(od, 95)?.toFixed(1)} ms`, `${p(bd, 95)?.toFixed(1)} ms`, ratio(p(od, 95), p(bd, 95)), '< 250 ms', met(pOk(od, o.delivery) && p(od, 95)! < 250));
  add('— p99', `${p(od, 99)?.toFixed(1)} ms`, `${p(bd, 99)?.toFixed(1)} ms`, ratio(p(od, 99), p(bd, 99)), '', '');
  if (o.stages) add('— where the time goes, ms p50 (p95)', describeStages(o.stages), 'request → row + NOTIFY → offer', '', '', '');
  // Per run, over what the same processes use in the steady state (heartbeats): what a run itself costs.
  const netPerRun = (side: Side) => {
    const n = Math.max(1, side.delivery.latencies.length);
    const seconds = side.cpuMsPerRun.seconds!;
    const steadyPct: Record<string, number> = { postgres: side.postgresCpuPercent };
    for (const [name, u] of Object.entries(side.usage)) steadyPct[name] = u.cpuPercent;
    // The server process is the first named (api, or bare); its steady figures are under "api".
    steadyPct[Object.keys(side.cpuMsPerRun)[0]!] = side.usage.api!.cpuPercent;
    const out: Record<string, number> = {};
    for (const [name, ms] of Object.entries(side.cpuMsPerRun)) {
      if (name === 'seconds' || name === 'load') continue;
      out[name] = Math.max(0, ms - ((steadyPct[name] ?? 0) / 100) * seconds * 1000 / n);
    }
    return out;
  };
  const [on, bn] = [netPerRun(o), netPerRun(b)];
  const show = (c: Record<string, number>) => Object.entries(c).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  const sum = (c: Record<string, number>) => Object.values(c).reduce((x, y) => x + y, 0);
  add('— CPU per run, ms, over the steady state (the same processes while requesting runs, less their heartbeat work)', show(on), show(bn), ratio(sum(on), sum(bn)), '', '');
  const oBack = o.restart.loadMs === null || o.restart.dbMs === null ? null : Math.max(o.restart.loadMs, o.restart.dbMs);
  add(`Restart: SIGTERM to all ${AGENTS.toLocaleString('en')} connected again (load process and \`agents.connected\`)`, ms(oBack), ms(b.restart.loadMs), ratio(oBack, b.restart.loadMs), '< 60 s', met(oBack !== null && oBack < 60_000 && checks.length === 0));
  add('— process stopped / answering again', `${ms(o.restart.stoppedMs)} / ${ms(o.restart.upMs)}`, `${ms(b.restart.stoppedMs)} / ${ms(b.restart.upMs)}`, '', '', '');
  add('— all back in the load process / in Postgres', `${ms(o.restart.loadMs)} / ${ms(o.restart.dbMs)}`, `${ms(b.restart.loadMs)} / —`, '', '', '');
  add('— connection attempts refused or failed during the restart', closesSummary(o.restart.stats, o.connect.stats), closesSummary(b.restart.stats, b.connect.stats), '', '', '');
  add('— during the restart: machine busy; load process loop delay max', `${o.restart.machineBusy.toFixed(0)} %; ${o.restart.stats.loopDelayMaxMs.toFixed(0)} ms`, `${b.restart.machineBusy.toFixed(0)} %; ${b.restart.stats.loopDelayMaxMs.toFixed(0)} ms`, '', '', '');
  add(`First connection of all (spread over ${RAMP_SECONDS} s)`, ms(o.connect.loadMs), ms(b.connect.loadMs), ratio(o.connect.loadMs, b.connect.loadMs), '', '');
  const perAgent = (c: Connected) => (c.serverCpuSeconds * 1000) / AGENTS;
  add('— server CPU per agent while all connect for the first time, ms', perAgent(o.connect).toFixed(2), perAgent(b.connect).toFixed(2), ratio(perAgent(o.connect), perAgent(b.connect)), '', '');
  const hs = (c: Connected) => `${c.stats.handshakes.p50Ms.toFixed(0)} / ${c.stats.handshakes.p95Ms.toFixed(0)} ms`;
  add('— handshake as the agents saw it (socket open to welcome), p50 / p95: first connection; restart', `${hs(o.connect)}; ${hs(o.restart)}`, `${hs(b.connect)}; ${hs(b.restart)}`, '', '', '');

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\n${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`${AGENTS.toLocaleString('en')} agents (${enrolled} enrolled through the API), heartbeats every ${HEARTBEAT_SECONDS} s, ${READINGS ? 'readings every 15 s (stored by Overmind; parsed and dropped by the ceiling)' : 'no readings'}, reconnect back-off 1 s doubling to ${BACKOFF_MAX_SECONDS} s with full jitter; ratio = Overmind ÷ ceiling (lower is better for all)\n`);
  console.log('| Measure | Overmind | Ceiling: bare ws server | Ratio | Target | Met |\n| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  if (o.delivery.errors.length) console.log(`\nRun request errors: ${o.delivery.errors.slice(0, 5).join(' | ')}`);
  console.log(checks.length ? `\nChecks failed:\n${checks.map((c) => `- ${c}`).join('\n')}` : '\nChecks: every run succeeded; no enrolment lost; all agents active and connected after the restart.');
}

/** Closes seen between two stats (the restart's), by code, e.g. "4429 ×812, 1006 ×2,100". */
function closesSummary(now: LoadStats, before: LoadStats): string {
  const parts = Object.entries(now.closes)
    .map(([code, n]) => [code, n - (before.closes[code] ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([code, n]) => `${code} ×${n.toLocaleString('en')}`);
  return parts.join(', ') || 'none';
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
});
