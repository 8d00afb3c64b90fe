/** What the benchmarks share: polling, starting `overmind` processes, and calling the API. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '@overmind/api';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(ROOT, 'apps/api/bin/overmind.js');

/**
 * Debian's Chromium as the browser benchmarks launch it: headless, no sandbox (root), no background
 * traffic, and without the omnibox pop-up this Chromium builds from hundreds of its own modules
 * after launch, which competes for the two cores with the pages measured.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup'];

export async function waitFor<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 120_000, pollMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Starts an `overmind` process and resolves once it is ready (the API answers health; a worker says so). */
export function startOvermind(
  args: string[],
  env: Record<string, string>,
  opts: {
    logLevel: string;
    baseUrl: string;
    /** Tracked at once, so a failed start is cleaned up too. */
    children: ChildProcess[];
    /** Node's own options, e.g. --cpu-prof. */
    nodeArgs?: string[];
    /** Keep the process's log (standard output) in this file. */
    logFile?: string;
    /** Sees the process's standard output as it comes. */
    onOutput?: (chunk: Buffer) => void;
  },
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], { env: { ...process.env, LOG_LEVEL: opts.logLevel, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  opts.children.push(child);
  let out = '';
  const log = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : null;
  child.stdout!.on('data', (d) => {
    out = (out + d).slice(-10_000);
    log?.write(d);
    opts.onOutput?.(d);
  });
  const failed = new Promise<never>((_, reject) => child.on('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${out}`))));
  const ready = waitFor(async () => {
    if (args[0] === 'api') return fetch(`${opts.baseUrl}/api/v1/health`).then((r) => (r.ok ? true : undefined), () => undefined);
    return out.includes('Overmind is running') ? true : undefined;
  }, `${args[0]} to start`, 180_000); // a busy machine compiles the sources slowly
  return Promise.race([ready, failed]).then(() => child);
}

/** A JSON API caller for one base URL; throws with the status and body on an error answer. */
export function apiCaller(baseUrl: string) {
  return async function api(path: string, token: string | null, init: RequestInit = {}) {
    const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const res = await fetch(`${baseUrl}${path}`, { ...init, headers });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
}

const TSX = import.meta.resolve('tsx');

/** Starts a TypeScript script of this directory with Node (through tsx); resolves once it prints "listening". */
export function startScript(path: string, env: Record<string, string>, children: ChildProcess[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', TSX, fileURLToPath(new URL(path, import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${path} did not start within 30 s`)), 30_000);
    child.stdout!.on('data', (d) => {
      if (String(d).includes('listening')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`${path} exited with ${code}`)));
  });
}

/** Resolves once a child has exited, killing it if SIGTERM was not enough within 10 s. */
export function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export { load1, machineLine, printTable, ratio, type Measure } from './bench-table.js';

/**
 * The benchmarks' embedded Postgres; with `statements`, pg_stat_statements loaded (it must be
 * preloaded, so a fresh server is restarted once) to show where Postgres's time goes per statement.
 */
export async function startBenchPostgres(home: string, port: number, log: Parameters<typeof startEmbeddedPostgres>[2], opts: { statements: boolean }) {
  let server = await startEmbeddedPostgres(home, port, log);
  if (!opts.statements) return server;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
  await admin.end();
  await server.stop();
  server = await startEmbeddedPostgres(home, port, log);
  const db = new pg.Client({ connectionString: server.url });
  await db.connect();
  await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await db.end();
  return server;
}

/** A TypeORM DataSource answers a query with its rows; a pg pool or client with a result holding them. */
const rowsOf = (result: any): any[] => (Array.isArray(result) ? result : result.rows);

/** Postgres's own time per statement since the last reset, the statements matching `like` (pg_stat_statements). */
export async function statementTimes(db: { query(sql: string, values?: unknown[]): Promise<any> }, like: string): Promise<{ calls: number; totalMs: number; rows: number }> {
  const rows = rowsOf(await db.query(
    `SELECT coalesce(sum(calls), 0)::float8 AS calls, coalesce(sum(total_exec_time), 0)::float8 AS ms, coalesce(sum(rows), 0)::float8 AS rows
       FROM pg_stat_statements WHERE query LIKE $1 AND query NOT LIKE '%pg_stat_statements%'`,
    [like],
  ));
  return { calls: rows[0].calls, totalMs: rows[0].ms, rows: rows[0].rows };
}

/**
 * The statements Postgres spent most time on since the last reset (top-level ones: each a round trip,
 * but for those inside a function), per unit of work (request or job); schema changes left out.
 */
export async function topStatements(db: { query(sql: string): Promise<any> }, units: number, limit = 8): Promise<string[]> {
  const rows: { calls: string; ms: number; q: string }[] = rowsOf(await db.query(
    `SELECT calls, total_exec_time AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS q FROM pg_stat_statements
      WHERE query NOT LIKE '%pg_stat_statements%' AND query !~* '^\\s*(CREATE|DROP|ALTER)' ORDER BY total_exec_time DESC LIMIT ${limit}`,
  ));
  const [{ calls }] = rowsOf(await db.query(`SELECT coalesce(sum(calls), 0)::float8 AS calls FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'`));
  return [
    `  - all statements: ${(calls / units).toFixed(2)} calls per unit`,
    ...rows.map((r) => `  - ${(Number(r.calls) / units).toFixed(2)} calls, ${(r.ms / units).toFixed(3)} ms: ${r.q}`),
  ];
}

/** A whole number from the environment, at least `min`; `fallback` when unset or empty. */
export function envInt(name: string, fallback: number, min: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, not ${v}`);
  return n;
}
