/**
 * What the agent benchmarks set up before measuring (not measured): an embedded Postgres, `overmind
 * api` and `overmind worker` (the real CLI), a dummy provider's nodes, and one active agent per node:
 * most written in bulk, `enrol` of them enrolled through the API. The load process then speaks for
 * them with the identities in `identitiesFile`.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger, loadConfig, migrateDatabase } from '@overmind/api';
import pg from 'pg';
import { apiCaller, startBenchPostgres, startOvermind, waitFor } from '../bench-support.js';
import { enrolThroughApi, generateKeys, insertAgents } from './fleet.js';
import type { AgentIdentity } from './load-messages.js';

const SECRET = 'benchmark-secret-key-0123456789abcdefgh';

export interface FleetOptions {
  home: string;
  port: number;
  pgPort: number;
  agents: number;
  enrol: number;
  heartbeatSeconds: number;
  children: ChildProcess[];
  say: (msg: string) => void;
  /** Node's own options for the API process (--cpu-prof). */
  apiNodeArgs?: string[];
  /** Sees the API process's standard output as it comes (after each restart too). */
  apiOutput?: (chunk: Buffer) => void;
  /** Keep the API's and the worker's logs in this folder. */
  logDir?: string;
  /** Load pg_stat_statements (a restart of the fresh Postgres), to see where Postgres's time goes. */
  statements?: boolean;
}

export interface Fleet {
  pgUrl: string;
  pgDir: string;
  stopPostgres: () => Promise<void>;
  db: pg.Pool;
  baseUrl: string;
  token: string;
  providerId: string;
  apiProcess: ChildProcess;
  worker: ChildProcess;
  startApi: () => Promise<ChildProcess>;
  identities: AgentIdentity[];
  identitiesFile: string;
}

/** The processes' logs, with LOG_DIR: warnings and errors of the API; the worker's info lines. */
const logFile = (o: FleetOptions, name: string) => (o.logDir ? { logFile: join(o.logDir, `${name}.log`) } : {});

export async function startFleet(o: FleetOptions): Promise<Fleet> {
  const log = createLogger(loadConfig({ LOG_LEVEL: 'warn' }));
  const pgServer = await startBenchPostgres(o.home, o.pgPort, log, { statements: o.statements ?? false });
  const db = new pg.Pool({ connectionString: pgServer.url, max: 4 });
  const api = apiCaller(`http://127.0.0.1:${o.port}`);
  const env: Record<string, string> = {
    DATABASE_URL: pgServer.url,
    OVERMIND_SECRET_KEY: SECRET,
    OVERMIND_ADMIN_PASSWORD: 'bench-admin-password',
    PORT: String(o.port),
    OVERMIND_AGENT_HEARTBEAT_SECONDS: String(o.heartbeatSeconds),
  };
  const startApi = () => startOvermind(['api'], env, { logLevel: 'warn', baseUrl: `http://127.0.0.1:${o.port}`, children: o.children, nodeArgs: o.apiNodeArgs ?? [], onOutput: o.apiOutput, ...logFile(o, 'api') });

  try {
    return await setUp(o, pgServer, db, api, env, startApi, log);
  } catch (err) {
    // The caller cleans up what it knows of; Postgres and the pool are known here only.
    for (const c of o.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 2000));
    await db.end().catch(() => {});
    await pgServer.stop();
    throw err;
  }
}

async function setUp(
  o: FleetOptions,
  pgServer: { url: string; stop: () => Promise<void> },
  db: pg.Pool,
  api: ReturnType<typeof apiCaller>,
  env: Record<string, string>,
  startApi: () => Promise<ChildProcess>,
  log: ReturnType<typeof createLogger>,
): Promise<Fleet> {
  const baseUrl = `http://127.0.0.1:${o.port}`;
  await migrateDatabase(pgServer.url, log);
  const apiProcess = await startApi();
  const worker = await startOvermind(['worker'], env, { logLevel: 'info', baseUrl, children: o.children, ...logFile(o, 'worker') });
  const { token } = await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }) });

  o.say(`syncing ${o.agents} dummy nodes`);
  const provider = await api('/api/v1/providers', token, {
    method: 'POST',
    body: JSON.stringify({ name: 'bench', type: 'dummy', credentials: { apiKey: 'k' }, settings: { initialNodes: o.agents } }),
  });
  await waitFor(async () => {
    const jobs = await api(`/api/v1/jobs?target=${provider.id}&type=provider.sync`, token);
    if (jobs.items[0]?.state === 'failed') throw new Error(`sync failed: ${jobs.items[0].error}`);
    return jobs.items[0]?.state === 'succeeded' ? true : undefined;
  }, 'initial sync', 180_000, 200);
  const nodeIds = (await db.query(`SELECT id FROM nodes WHERE provider_id = $1 AND destroyed_at IS NULL ORDER BY name`, [provider.id])).rows.map((r) => r.id as string);
  if (nodeIds.length !== o.agents) throw new Error(`expected ${o.agents} nodes, found ${nodeIds.length}`);

  let t = performance.now();
  const keys = generateKeys(o.agents);
  o.say(`${o.agents} Ed25519 key pairs in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const identities = await insertAgents(db, nodeIds.slice(o.enrol), keys.slice(o.enrol));
  o.say(`${identities.length} agents inserted in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  identities.push(...(await enrolThroughApi(api, token, nodeIds.slice(0, o.enrol), keys.slice(0, o.enrol))));
  o.say(`${o.enrol} agents enrolled through the API in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const active = (await db.query(`SELECT count(*)::int AS n FROM agents WHERE status = 'active'`)).rows[0].n;
  if (active !== o.agents) throw new Error(`expected ${o.agents} active agents, found ${active}`);
  const identitiesFile = join(o.home, 'identities.json');
  await writeFile(identitiesFile, JSON.stringify(identities));
  return {
    pgUrl: pgServer.url,
    pgDir: join(o.home, 'pgdata'),
    stopPostgres: () => pgServer.stop(),
    db,
    baseUrl,
    token,
    providerId: provider.id,
    apiProcess,
    worker,
    startApi,
    identities,
    identitiesFile,
  };
}
