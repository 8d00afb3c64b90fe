import { hostname } from 'node:os';
import { rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { createOvermindClient } from '@overmind/sdk';
import { details, example } from '../../examples.js';
import { UsageError } from '../../failures.js';
import { call } from '../api.js';
import { note } from '../output.js';
import { readLine, readSecret } from '../prompt.js';
import { positiveInteger } from './parsers.js';
import { readStoredSettings, settingsFile, storeSettings } from '../settings.js';

function apiOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`"${value}" is not a URL (e.g. http://127.0.0.1:8080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`"${value}" is not an http(s) URL`);
  return url.origin;
}

export function addLoginCommands(program: Command): void {
  example(
    details(
      program
        .command('login <url>')
        .description('Log in to an Overmind API; the next commands use the API token it keeps'),
        'The token is kept in $XDG_CONFIG_HOME/overmind/config.json (~/.config/... without it), mode 0600;\n' +
          'OVERMIND_URL and OVERMIND_TOKEN override it. The password is prompted for, or read from standard\n' +
          'input when that is not a terminal: never an argument, which others can read in the process list.\n',
    )
      .option('-u, --username <name>', 'asked for when absent')
      .option('--days <n>', "the token's lifetime in days (the server's default when absent)", positiveInteger)
      .action(async (url: string, opts: { username?: string; days?: number }) => {
        const origin = apiOrigin(url);
        const username = opts.username ?? (process.stdin.isTTY ? await readLine('Username: ') : undefined);
        if (!username) throw new UsageError('--username is needed when the password comes from standard input');
        const password = await readSecret('Password: ');
        const client = createOvermindClient({ baseUrl: origin });
        const session = await client.login(username, password);
        // A session lasts hours; an API token months, and can be revoked on its own (`overmind logout`).
        const minted = await call(client.raw.POST('/api/v1/tokens', {
          body: { name: `overmind CLI on ${hostname()}`.slice(0, 100), password, ...(opts.days ? { expiresInDays: opts.days } : {}) },
        }));
        const previous = await readStoredSettings();
        await storeSettings({ url: origin, token: minted.secret, tokenId: minted.token.id, username: session.user.username });
        if (previous.url === origin && previous.tokenId) {
          await client.raw.DELETE('/api/v1/tokens/{id}', { params: { path: { id: previous.tokenId } } }).catch(() => undefined);
        }
        note(`logged in to ${origin} as ${session.user.username} (${session.user.role}); token kept in ${settingsFile()} until ${minted.token.expiresAt}`);
      }),
    'overmind login http://127.0.0.1:8080 --username admin',
    "printf '%s\\n' \"$PASSWORD\" | overmind login https://overmind.example.org --username ci",
  );

  example(
    program
      .command('logout')
      .description('Revoke the stored API token and forget it')
      .action(async () => {
        const stored = await readStoredSettings();
        if (stored.url && stored.token && stored.tokenId) {
          const client = createOvermindClient({ baseUrl: stored.url, token: stored.token });
          await client.raw.DELETE('/api/v1/tokens/{id}', { params: { path: { id: stored.tokenId } } }).catch(() => undefined);
        }
        await rm(settingsFile(), { force: true });
        note('logged out');
      }),
    'overmind logout',
  );
}
