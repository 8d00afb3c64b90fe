import { Option, type Command } from 'commander';
import { example } from '../../examples.js';
import { call, connect } from '../api.js';
import { note, printList, printOne, withOutputOptions, type Columns, type OutputOptions } from '../output.js';
import { readSecret } from '../prompt.js';
import { isUuid } from '../resolve.js';
import { CliFailure } from '../../failures.js';
import { positiveInteger } from './parsers.js';

interface UserView { id: string; username: string; role: string; createdAt: string }
interface TokenView { id: string; name: string; prefix: string; createdAt: string; expiresAt: string; lastUsedAt: string | null; revokedAt: string | null }

const USER_COLUMNS: Columns<UserView> = [['ID', (u) => u.id], ['USERNAME', (u) => u.username], ['ROLE', (u) => u.role], ['CREATED', (u) => u.createdAt]];
const TOKEN_COLUMNS: Columns<TokenView> = [
  ['ID', (t) => t.id],
  ['NAME', (t) => t.name],
  ['PREFIX', (t) => t.prefix],
  ['EXPIRES', (t) => t.expiresAt],
  ['LAST USED', (t) => t.lastUsedAt],
  ['REVOKED', (t) => t.revokedAt],
];

export function addUserCommands(program: Command): void {
  const users = program.command('users').description('People who may log in, and their roles (admins only)');

  example(
    withOutputOptions(users.command('list'))
      .description('List users')
      .addOption(new Option('--role <role>', 'only users of this role').choices(['admin', 'operator', 'observer']))
      .action(async (opts: OutputOptions & { role?: 'admin' | 'operator' | 'observer' }) => {
        const conn = await connect();
        printList((await call(conn.client.raw.GET('/api/v1/users', { params: { query: { limit: 200, ...(opts.role ? { role: opts.role } : {}) } } }))).items, USER_COLUMNS, opts);
      }),
    'overmind users list --role admin',
  );

  example(
    withOutputOptions(users.command('create <username>'))
      .description("Create a user; the password is prompted for (or read from standard input when it is not a terminal)")
      .addOption(new Option('--role <role>', 'admin, operator or observer').choices(['admin', 'operator', 'observer']).default('operator'))
      .action(async (username: string, opts: OutputOptions & { role: 'admin' | 'operator' | 'observer' }) => {
        const conn = await connect();
        const password = await readSecret(`Password for ${username}: `);
        printList([await call(conn.client.raw.POST('/api/v1/users', { body: { username, password, role: opts.role } }))], USER_COLUMNS, opts);
      }),
    "printf '%s\\n' \"$PASSWORD\" | overmind users create alice --role observer",
  );

  example(
    users
      .command('delete <user>')
      .description('Delete a user (by username or id); their sessions and API tokens end')
      .action(async (user: string) => {
        const conn = await connect();
        let id = user;
        if (!isUuid(user)) {
          const found = (await call(conn.client.raw.GET('/api/v1/users', { params: { query: { search: user, limit: 200 } } }))).items.find((u) => u.username === user);
          if (!found) throw new CliFailure(`no user named "${user}"`);
          id = found.id;
        }
        await call(conn.client.raw.DELETE('/api/v1/users/{id}', { params: { path: { id } } }));
        note(`deleted user ${user}`);
      }),
    'overmind users delete alice',
  );
}

export function addTokenCommands(program: Command): void {
  const tokens = program.command('tokens').description('Your API tokens, for scripts and CI (OVERMIND_TOKEN)');

  example(
    withOutputOptions(tokens.command('list'))
      .description('List your API tokens')
      .action(async (opts: OutputOptions) => {
        const conn = await connect();
        printList((await call(conn.client.raw.GET('/api/v1/tokens', { params: { query: { limit: 200 } } }))).items, TOKEN_COLUMNS, opts);
      }),
    'overmind tokens list',
  );

  example(
    tokens
      .command('create <name>')
      .description('Mint an API token (asks for your password); prints the secret once, on standard output')
      .option('--days <n>', "lifetime in days (the server's default when absent)", positiveInteger)
      .action(async (name: string, opts: { days?: number }) => {
        const conn = await connect();
        const password = await readSecret('Your password: ');
        const minted = await call(conn.client.raw.POST('/api/v1/tokens', { body: { name, password, ...(opts.days ? { expiresInDays: opts.days } : {}) } }));
        note(`token ${minted.token.id} "${name}" expires ${minted.token.expiresAt}; the secret below is shown only this once`);
        process.stdout.write(`${minted.secret}\n`);
      }),
    'OVERMIND_TOKEN=$(overmind tokens create ci --days 30)',
  );

  example(
    tokens
      .command('revoke <id>')
      .description('Revoke an API token')
      .action(async (id: string) => {
        const conn = await connect();
        await call(conn.client.raw.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } }));
        note(`revoked token ${id}`);
      }),
    'overmind tokens revoke 1f0c6b2e-8a4d-4c9e-9d51-2b7c3e0a9f10',
  );
}
