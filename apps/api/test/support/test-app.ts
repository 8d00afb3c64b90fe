import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { ProviderRegistry, dummyPlugin, type ProviderPlugin } from '@overmind/provider';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { pino } from 'pino';
import { inject } from 'vitest';
import { buildApp, loggerOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Role } from '../../src/db/entities/index.js';
import { migrateDatabase } from '../../src/runtime.js';

export { ADMIN_PASSWORD, PASSWORDS } from './fixture-passwords.js';

/** A fresh database in the run's Postgres, migrated. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestAppOptions {
  api?: boolean;
  worker?: boolean;
  env?: Record<string, string>;
  plugins?: ProviderPlugin<any, any>[];
  /** Worker timings over the fast test defaults. */
  workerTuning?: Partial<typeof TEST_TUNING> & { settleGraceMs?: number };
  /** Reuse an existing database (e.g. to run a second process-like app against it). */
  database?: { url: string; drop(): Promise<void> };
  masterKey?: Buffer;
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  databaseUrl: string;
  masterKey: Buffer;
  /** Every log line the app wrote, as text. */
  logs: string[];
  tokens: Record<Role, string>;
  userIds: Record<Role, string>;
  request(role: Role | null, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Fast timings for tests: short polls, tiny backoff. */
const TEST_TUNING = { retryBaseMs: 50, pollingIntervalSeconds: 0.5, settlePollMs: { first: 20, max: 100 }, stepPollMs: 100 };

/**
 * The real app on a real Postgres database of its own, with the dummy provider, an admin, an
 * operator and an observer logged in. The default is API and worker in one process.
 */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const database = opts.database ?? (await createTestDatabase());
  const config = loadConfig({
    OVERMIND_HOME: '/tmp/overmind-test-home-unused',
    LOG_LEVEL: 'info',
    OVERMIND_WORKER_CONCURRENCY: '4',
    OVERMIND_JOB_RETRIES: '2',
    OVERMIND_MAINTENANCE_SECONDS: '1',
    ...opts.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger = pino(loggerOptions(config.logLevel), sink);
  await migrateDatabase(database.url, logger);
  const masterKey = opts.masterKey ?? randomBytes(32);
  const registry = new ProviderRegistry(
    Object.fromEntries([dummyPlugin, ...(opts.plugins ?? [])].map((p) => [p.kind, async () => p])),
  );
  const app = await buildApp({
    config,
    databaseUrl: database.url,
    masterKey,
    api: opts.api ?? true,
    worker: opts.worker ?? true,
    logger,
    registry,
    workerTuning: { ...TEST_TUNING, ...opts.workerTuning },
  });
  await app.ready();

  const tokens = {} as Record<Role, string>;
  const userIds = {} as Record<Role, string>;
  if (opts.api ?? true) {
    // The users are written directly with hashes made once per run (global setup), and their sessions
    // are signed by the app's own signer as a login would: each scrypt hash or check costs a few
    // hundred milliseconds of CPU (far more on a busy machine). Logging in is tested on its own.
    const hashes = inject('fixturePasswordHashes');
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      for (const role of ['admin', 'operator', 'observer'] as Role[]) {
        await db.query(
          `INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $1) ON CONFLICT (lower(username)) DO NOTHING`,
          [role, hashes[role]],
        );
        const { rows } = await db.query('SELECT id, password_changed_at FROM users WHERE lower(username) = $1', [role]);
        userIds[role] = rows[0].id;
        tokens[role] = app.jwt.sign({ sub: rows[0].id, pwd: (rows[0].password_changed_at as Date).getTime() });
      }
    } finally {
      await db.end();
    }
  }

  return {
    app,
    config,
    databaseUrl: database.url,
    masterKey,
    logs,
    tokens,
    userIds,
    request(role, options) {
      const headers = { ...(options.headers ?? {}) } as Record<string, string>;
      if (role) headers.authorization = `Bearer ${tokens[role]}`;
      return app.inject({ ...options, headers });
    },
    async close() {
      await app.close();
      if (!opts.database) await database.drop();
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Creates a dummy provider through the API and waits for its first catalog refresh and sync. */
export async function createDummyProvider(t: TestApp, settings: Record<string, unknown> = {}, name = `dummy-${randomUUID().slice(0, 8)}`) {
  const res = await t.request('operator', {
    method: 'POST',
    url: '/api/v1/providers',
    payload: { name, type: 'dummy', credentials: { apiKey: 'k-' + randomUUID() }, settings },
  });
  if (res.statusCode !== 201) throw new Error(`create provider failed: ${res.statusCode} ${res.body}`);
  const provider = res.json();
  await waitForJobs(t, { target: provider.id }, 2);
  return provider as { id: string; name: string };
}

/** Waits until `count` jobs matching the filter have finished; returns them. */
export async function waitForJobs(t: TestApp, filter: Record<string, string>, count = 1, timeoutMs = 30_000) {
  const qs = new URLSearchParams({ ...filter, limit: '200' }).toString();
  return eventually(async () => {
    const res = await t.request('admin', { method: 'GET', url: `/api/v1/jobs?${qs}` });
    const items = res.json().items as { state: string }[];
    const done = items.filter((j) => ['succeeded', 'failed', 'cancelled'].includes(j.state));
    return done.length >= count ? items : undefined;
  }, timeoutMs, `${count} finished job(s) for ${qs}`);
}

/** Waits for one job to finish and returns it. */
export async function waitForJob(t: TestApp, id: string, timeoutMs = 30_000) {
  return eventually(async () => {
    const job = (await t.request('admin', { method: 'GET', url: `/api/v1/jobs/${id}` })).json();
    return ['succeeded', 'failed', 'cancelled'].includes(job.state) ? job : undefined;
  }, timeoutMs, `job ${id}`);
}
