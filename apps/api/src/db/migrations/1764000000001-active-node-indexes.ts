import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The node list shows live nodes by default: index them apart from destroyed and decommissioned ones. */
export class ActiveNodeIndexes1764000000001 implements MigrationInterface {
  name = 'ActiveNodeIndexes1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX nodes_active_name_idx ON nodes (name, id) WHERE decommissioned_at IS NULL AND destroyed_at IS NULL;
      CREATE INDEX nodes_active_provider_name_idx ON nodes (provider_id, name, id)
        WHERE decommissioned_at IS NULL AND destroyed_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX nodes_active_name_idx, nodes_active_provider_name_idx');
  }
}
