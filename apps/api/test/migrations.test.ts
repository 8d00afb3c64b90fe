import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/db/data-source.js';
import { createLogger, migrateDatabase } from '../src/runtime.js';
import { loadConfig } from '../src/config.js';
import { createTestDatabase } from './support/test-app.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe('upgrading a database', () => {
  it('gives nodes stored before the list_json migration their list view, and keeps it current', async () => {
    // The schema as the previous release left it, with a node in it.
    const old = new DataSource({ type: 'postgres', url: database.url, migrations: MIGRATIONS.slice(0, 4), migrationsTableName: 'overmind_migrations', migrationsTransactionMode: 'each' });
    await old.initialize();
    await old.runMigrations();
    const [{ id: providerId }] = await old.query(`INSERT INTO providers (type, name, credentials_enc, sync_interval_seconds) VALUES ('dummy', 'p', 'sealed', 300) RETURNING id`);
    const [{ id }] = await old.query(
      `INSERT INTO nodes (provider_id, provider_node_id, name, state, public_ips, tags, extra, facts, created_at, updated_at)
       VALUES ($1, 'd-1', 'old-node', 'running', '{203.0.113.9}', '{a,b}', '{"zone":"z1"}', '{"kernel":{"release":"6.1"}}',
               '2026-01-02T03:04:05.678Z', '2026-01-02T03:04:05.678Z') RETURNING id`,
      [providerId],
    );
    await old.destroy();

    await migrateDatabase(database.url, createLogger(loadConfig({ LOG_LEVEL: 'silent' })));

    const db = new DataSource({ type: 'postgres', url: database.url });
    await db.initialize();
    try {
      const view = async () => JSON.parse((await db.query('SELECT list_json FROM nodes WHERE id = $1', [id]))[0].list_json);
      expect(await view()).toEqual({
        id, providerId, providerNodeId: 'd-1', name: 'old-node', state: 'running', publicIps: ['203.0.113.9'], privateIps: [],
        imageId: null, sizeId: null, locationId: null, extra: { zone: 'z1' }, tags: ['a', 'b'], facts: { kernel: { release: '6.1' } },
        createdBy: null, createdAt: '2026-01-02T03:04:05.678Z', updatedAt: '2026-01-02T03:04:05.678Z',
        destroyedBy: null, destroyedAt: null, decommissionedAt: null, configMode: null, agent: null, health: null, healthSince: null,
      });
      // Any later write, whatever makes it, rebuilds the view.
      await db.query(`UPDATE nodes SET state = 'stopped', decommissioned_at = '2026-02-03T00:00:00Z' WHERE id = $1`, [id]);
      expect(await view()).toMatchObject({ state: 'stopped', decommissionedAt: '2026-02-03T00:00:00.000Z' });
    } finally {
      await db.destroy();
    }
  });

  it('gives API tokens made without an expiry one default lifetime (90 days) from the upgrade', async () => {
    const upgrade = await createTestDatabase();
    try {
      const old = new DataSource({ type: 'postgres', url: upgrade.url, migrations: MIGRATIONS.slice(0, 5), migrationsTableName: 'overmind_migrations', migrationsTransactionMode: 'each' });
      await old.initialize();
      await old.runMigrations();
      const [{ id: userId }] = await old.query(`INSERT INTO users (username, password_hash, role) VALUES ('u', 'x', 'observer') RETURNING id`);
      const token = (name: string, expires: string | null, revoked: string | null) =>
        old.query(
          `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at, revoked_at)
           VALUES ($1, $2, $2, 'om_', '2025-01-01T00:00:00Z', $3, $4)`,
          [userId, name, expires, revoked],
        );
      await token('forever', null, null);
      await token('revoked', null, '2025-02-01T00:00:00Z');
      await token('dated', '2027-01-01T00:00:00Z', null);
      await old.destroy();

      await migrateDatabase(upgrade.url, createLogger(loadConfig({ LOG_LEVEL: 'silent' })));

      const db = new DataSource({ type: 'postgres', url: upgrade.url });
      await db.initialize();
      try {
        const rows: { name: string; expires_at: Date }[] = await db.query('SELECT name, expires_at FROM api_tokens ORDER BY name');
        const byName = Object.fromEntries(rows.map((r) => [r.name, r.expires_at.getTime()]));
        expect(byName.forever! - Date.now()).toBeGreaterThan(89 * 86400_000);
        expect(byName.forever! - Date.now()).toBeLessThanOrEqual(90 * 86400_000);
        expect(byName.revoked).toBe(Date.parse('2025-02-01T00:00:00Z'));
        expect(byName.dated).toBe(Date.parse('2027-01-01T00:00:00Z'));
        await expect(db.query(`INSERT INTO api_tokens (user_id, name, token_hash, prefix) VALUES ($1, 'n', 'n', 'om_')`, [userId])).rejects.toThrow(/expires_at/);
      } finally {
        await db.destroy();
      }
    } finally {
      await upgrade.drop();
    }
  });
});
