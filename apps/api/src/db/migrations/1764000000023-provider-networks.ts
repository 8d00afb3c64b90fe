import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Networks join images, sizes and locations in the provider catalog; server roles may choose the
 * networks of their nodes and whether they get a floating IP (null: the provider's default).
 */
export class ProviderNetworks1764000000023 implements MigrationInterface {
  name = 'ProviderNetworks1764000000023';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE catalog_items DROP CONSTRAINT catalog_items_kind_check;
      ALTER TABLE catalog_items ADD CONSTRAINT catalog_items_kind_check CHECK (kind IN ('image', 'size', 'location', 'network'));
      ALTER TABLE server_roles ADD COLUMN network_ids jsonb, ADD COLUMN floating_ip boolean;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE server_roles DROP COLUMN network_ids, DROP COLUMN floating_ip;
      DELETE FROM catalog_items WHERE kind = 'network';
      ALTER TABLE catalog_items DROP CONSTRAINT catalog_items_kind_check;
      ALTER TABLE catalog_items ADD CONSTRAINT catalog_items_kind_check CHECK (kind IN ('image', 'size', 'location'));
    `);
  }
}
