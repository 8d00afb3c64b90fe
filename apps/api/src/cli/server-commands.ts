import { Option, type Command } from 'commander';
import type { Role } from '../db/entities/index.js';
import { example } from './examples.js';

// Spelled out rather than imported: the entities module loads TypeORM, which client verbs never need.
const ROLES = ['admin', 'operator', 'observer'] as const satisfies readonly Role[];
const serving = () => import('./serve.js');

/** The verbs that run Overmind itself (on the machine that hosts it). */
export function addServerCommands(program: Command): void {
  example(
    program.command('start').description('Run the API, the workers and the web console in one process').action(async () => (await serving()).serve({ api: true, worker: true })),
    'overmind start',
    'PORT=9000 LOG_FORMAT=json overmind start',
  );
  example(
    program.command('api').description('Run only the HTTP API (several may run against one database)').action(async () => (await serving()).serve({ api: true, worker: false })),
    'DATABASE_URL=postgres://overmind@db/overmind overmind api',
  );
  example(
    program.command('worker').description('Run only job workers (several may run against one database)').action(async () => (await serving()).serve({ api: false, worker: true })),
    'DATABASE_URL=postgres://overmind@db/overmind overmind worker',
  );
  example(
    program.command('migrate').description('Apply database migrations and exit').action(async () => (await serving()).migrateOnly()),
    'DATABASE_URL=postgres://overmind@db/overmind overmind migrate',
  );

  const admin = program.command('admin').description('Manage users on the database directly (no API, no login)');
  example(
    admin
      .command('create-user <username>')
      .description('Create a user; the password is read from standard input with --password-stdin, or generated and printed')
      .addOption(new Option('--role <role>', 'admin, operator or observer').choices(ROLES).default('operator'))
      .option('--password-stdin', 'read the password from standard input')
      .action(async (username: string, opts: { role: Role; passwordStdin?: boolean }) => (await serving()).createUser(username, opts)),
    "printf '%s\\n' \"$PASSWORD\" | overmind admin create-user alice --role admin --password-stdin",
  );
  example(
    admin
      .command('reset-password <username>')
      .description("Set a new password (the user's sessions end and API tokens are revoked); read from standard input with --password-stdin, or generated and printed")
      .option('--password-stdin', 'read the password from standard input')
      .action(async (username: string, opts: { passwordStdin?: boolean }) => (await serving()).resetPassword(username, opts)),
    'overmind admin reset-password alice',
  );
}
