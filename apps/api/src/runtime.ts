import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { DataSource } from 'typeorm';
import { buildApp, loggerOptions } from './app.js';
import type { Config } from './config.js';
import { createDataSource, migrate } from './db/data-source.js';
import { startEmbeddedPostgres } from './db/embedded-postgres.js';
import { systemActor } from './lib/actor.js';
import { explainStartupError } from './lib/startup-errors.js';
import { loadMasterKey } from './lib/secret-box.js';
import { createAuditService } from './modules/audit/audit-service.js';
import { createUserService } from './modules/users/user-service.js';

export interface Database {
  url: string;
  stop(): Promise<void>;
}

/** Readable lines for a person at a terminal; JSON lines for log collectors (and whenever LOG_FORMAT=json). */
export function usePrettyLogs(config: Pick<Config, 'logFormat'>, isTTY = Boolean(process.stdout.isTTY)): boolean {
  return config.logFormat === null ? isTTY : config.logFormat === 'pretty';
}

export function createLogger(config: Config): Logger {
  if (!usePrettyLogs(config)) return pino(loggerOptions(config.logLevel));
  // In this thread, not a transport worker: lines written before an exit are never lost.
  return pino(loggerOptions(config.logLevel), pretty({ sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true }));
}

/** DATABASE_URL when set; otherwise the embedded Postgres under OVERMIND_HOME. */
export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => {} };
  return startEmbeddedPostgres(config.home, config.embeddedPgPort, log);
}

/** The configured database, migrated; a failure says what failed and what to do. */
export async function openMigratedDatabase(config: Config, log: Logger): Promise<Database> {
  const database = await openDatabase(config, log).catch((err: unknown) => {
    throw explainStartupError(err, config);
  });
  try {
    await migrateDatabase(database.url, log);
    return database;
  } catch (err) {
    await database.stop().catch(() => {});
    throw explainStartupError(err, config);
  }
}

/** Runs `fn` with a short-lived data source (for migrations and admin commands). */
export async function withDataSource<T>(url: string, fn: (db: DataSource) => Promise<T>): Promise<T> {
  const db = createDataSource(url, { poolSize: 2 });
  await db.initialize();
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** Applies migrations; an advisory lock keeps two processes starting together from racing. */
export async function migrateDatabase(url: string, log: Logger): Promise<void> {
  await withDataSource(url, async (db) => {
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext('overmind.migrate'))`);
      await runner.query('CREATE EXTENSION IF NOT EXISTS pgcrypto').catch(() => {});
      const ran = await migrate(db);
      if (ran.length) log.info({ migrations: ran }, 'applied migrations');
      await runner.query(`SELECT pg_advisory_unlock(hashtext('overmind.migrate'))`);
    } finally {
      await runner.release();
    }
  });
}

/**
 * First start: create `admin`, printing a generated password once when none is configured (to
 * `announce` when given, e.g. the terminal banner, else in the log).
 */
export async function ensureAdmin(url: string, config: Config, log: Logger, announce?: (password: string) => void): Promise<void> {
  await withDataSource(url, async (db) => {
    const users = createUserService(db, createAuditService(db));
    const result = await users.ensureInitialAdmin(systemActor('first-start'), config.adminPassword);
    if (result.password && announce) {
      log.warn('created user "admin" with a generated password, shown once below the start-up banner');
      announce(result.password);
    } else if (result.password) {
      log.warn(`created user "admin" with generated password ${result.password} (shown only this once; change it after logging in)`);
    } else if (result.created) {
      log.info('created user "admin" with the password from OVERMIND_ADMIN_PASSWORD');
    }
  });
}

export interface RunningOvermind {
  app: FastifyInstance;
  url: string | null;
  close(): Promise<void>;
}

/**
 * Connections the kernel holds for the API before it accepts them. Node's default, 511, overflows
 * when a fleet of agents reconnects after a restart: each dropped SYN waits 1, 2, 4… s to be sent
 * again. The kernel caps it at net.core.somaxconn (4096 by default).
 */
export const LISTEN_BACKLOG = 4096;

/** Starts the API and/or the workers in this process, on one database. */
export async function startOvermind(
  config: Config,
  roles: { api: boolean; worker: boolean },
  log = createLogger(config),
  announcePassword?: (password: string) => void,
): Promise<RunningOvermind> {
  const database = await openMigratedDatabase(config, log);
  try {
    await ensureAdmin(database.url, config, log, announcePassword);
    const masterKey = await loadMasterKey(config.secretKey, config.home);
    const app = await buildApp({ config, databaseUrl: database.url, masterKey, ...roles, logger: log });
    let url: string | null = null;
    if (roles.api) url = await app.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
    else await app.ready();
    log.info({ api: roles.api, worker: roles.worker, url }, 'Overmind is running');
    return {
      app,
      url,
      async close() {
        await app.close();
        await database.stop();
      },
    };
  } catch (err) {
    await database.stop().catch(() => {});
    throw explainStartupError(err, config);
  }
}
