import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createLogger, loadConfig, migrateDatabase, startEmbeddedPostgres } from '@overmind/api';
import { startOvermind, stopped } from './bench-support.js';
const log = createLogger(loadConfig({ LOG_LEVEL: 'warn' }));
const home = await mkdtemp(join(tmpdir(), 'startup-'));
const pg = await startEmbeddedPostgres(home, 18499, log);
await migrateDatabase(pg.url, log);
const env = { DATABASE_URL: pg.url, OVERMIND_SECRET_KEY: 'benchmark-secret-key-0123456789abcdefgh', OVERMIND_ADMIN_PASSWORD: 'bench-admin-password', PORT: '18498' };
for (let i = 0; i < 4; i++) {
  const children: ChildProcess[] = [];
  const t0 = performance.now();
  const p = await startOvermind(['api'], env, { logLevel: 'warn', baseUrl: 'http://127.0.0.1:18498', children, nodeArgs: i === 3 && process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/startup'] : [] });
  console.log(`start ${i}: ${(performance.now() - t0).toFixed(0)} ms`);
  p.kill('SIGTERM');
  await stopped(p);
}
await pg.stop();
