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
        destroyedBy: null, destroyedAt: null, decommissionedAt: null,
      });
      // Any later write, whatever makes it, rebuilds the view.
      await db.query(`UPDATE nodes SET state = 'stopped', decommissioned_at = '2026-02-03T00:00:00Z' WHERE id = $1`, [id]);
      expect(await view()).toMatchObject({ state: 'stopped', decommissionedAt: '2026-02-03T00:00:00.000Z' });
    } finally {
      await db.destroy();
    }
  });
});
