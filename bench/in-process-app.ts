/**
 * An in-process app (API only, no workers) on an embedded Postgres of its own, with an admin session,
 * a dummy provider and a server role `member` on it, for the benches that measure the API and the
 * database without workers (constellations, reconciler). Everything is stopped and removed after `run`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, createLogger, loadConfig, migrateDatabase, startEmbeddedPostgres } from '@overmind/api';

export type BenchApp = Awaited<ReturnType<typeof buildApp>>;
export type Call = (method: 'GET' | 'POST', url: string, payload?: object) => Promise<any>;

export async function withInProcessApp(name: string, port: number, run: (ctx: { app: BenchApp; call: Call; providerId: string; databaseUrl: string }) => Promise<void>): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: 'warn' });
  const log = createLogger(config);
  const home = await mkdtemp(join(tmpdir(), `overmind-bench-${name}-`));
  const pg = await startEmbeddedPostgres(home, port, log);
  try {
    await migrateDatabase(pg.url, log);
    const app = await buildApp({ config, databaseUrl: pg.url, masterKey: randomBytes(32), api: true, worker: false, logger: log });
    await app.ready();
    try {
      const [user] = await app.db.query(`INSERT INTO users (username, password_hash, role) VALUES ('bench', 'unused', 'admin') RETURNING id, password_changed_at`);
      const token = app.jwt.sign({ sub: user.id, pwd: (user.password_changed_at as Date).getTime() });
      const call: Call = async (method, url, payload) => {
        const res = await app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
        if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
        return res.json();
      };
      const provider = await call('POST', '/providers', { name: 'bench', type: 'dummy', credentials: { apiKey: 'k' } });
      // The role is written directly: creating one through the API wants a kitchen, which plans never read.
      await app.db.query(
        `INSERT INTO server_roles (name, provider_id, location_id, size_id, image_id, run_list, attributes, cm_kind, cm_settings, ssh, ssh_key_enc)
         VALUES ('member', $1, 'lab-1', 'small', 'debian-12', '{role[base]}', '{}', 'chef-solo', '{}', '{"username":"root","port":22}', 'unused')`,
        [provider.id],
      );
      await run({ app, call, providerId: provider.id, databaseUrl: pg.url });
    } finally {
      await app.close();
    }
  } finally {
    await pg.stop();
    await rm(home, { recursive: true, force: true });
  }
}
