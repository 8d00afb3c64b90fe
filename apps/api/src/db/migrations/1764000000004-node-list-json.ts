import type { MigrationInterface, QueryRunner } from 'typeorm';

const iso = (column: string) => `to_char(NEW.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Each node keeps its list view (the API's `Node` schema) as JSON text, rebuilt by a trigger on
 * every insert and update, whatever writes the row. The node list is the API's hottest read: it then
 * sends stored text instead of parsing rows and serializing them again on each request.
 */
export class NodeListJson1764000000004 implements MigrationInterface {
  name = 'NodeListJson1764000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE nodes ADD COLUMN list_json text;
      CREATE FUNCTION nodes_list_json() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        NEW.list_json := row_to_json(v)::text FROM (SELECT
          NEW.id AS "id", NEW.provider_id AS "providerId", NEW.provider_node_id AS "providerNodeId",
          NEW.name AS "name", NEW.state AS "state", NEW.public_ips AS "publicIps", NEW.private_ips AS "privateIps",
          NEW.image_id AS "imageId", NEW.size_id AS "sizeId", NEW.location_id AS "locationId",
          NEW.extra AS "extra", NEW.tags AS "tags", NEW.facts AS "facts", NEW.created_by AS "createdBy",
          ${iso('created_at')} AS "createdAt", ${iso('updated_at')} AS "updatedAt",
          NEW.destroyed_by AS "destroyedBy", ${iso('destroyed_at')} AS "destroyedAt",
          ${iso('decommissioned_at')} AS "decommissionedAt") v;
        RETURN NEW;
      END
      $fn$;
      CREATE TRIGGER nodes_list_json BEFORE INSERT OR UPDATE ON nodes FOR EACH ROW EXECUTE FUNCTION nodes_list_json();
      UPDATE nodes SET list_json = NULL;
      ALTER TABLE nodes ALTER COLUMN list_json SET NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER nodes_list_json ON nodes;
      DROP FUNCTION nodes_list_json();
      ALTER TABLE nodes DROP COLUMN list_json;
    `);
  }
}
