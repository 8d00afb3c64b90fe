import type { NodeInventory, RegisteredNode } from '@overmind/provider';
import type { DataSource } from 'typeorm';
import type { SecretBox } from '../../lib/secret-box.js';

interface InventoryRow {
  id: string;
  name: string;
  registration_enc: string;
  driver_state: Record<string, unknown> | null;
}

// Live nodes that have a registration; destroyed and decommissioned ones are no longer managed.
const LIVE = `provider_id = $1 AND registration_enc IS NOT NULL AND destroyed_at IS NULL AND decommissioned_at IS NULL`;

/**
 * The registered nodes of one provider, as its driver sees them: registration decrypted, driver
 * state as stored. Listing returns only nodes whose registration finished (they carry a provider
 * node id), so a sync never reports a node that is still being registered.
 */
export function createNodeInventory(db: DataSource, secrets: SecretBox, providerId: string): NodeInventory {
  const toNode = (r: InventoryRow): RegisteredNode => ({
    id: r.id,
    name: r.name,
    registration: secrets.openJson<Record<string, unknown>>(r.registration_enc),
    state: r.driver_state ?? {},
  });

  return {
    async list() {
      const rows: InventoryRow[] = await db.query(
        `SELECT id, name, registration_enc, driver_state FROM nodes WHERE ${LIVE} AND provider_node_id IS NOT NULL ORDER BY name, id`,
        [providerId],
      );
      return rows.map(toNode);
    },

    async get(id) {
      const rows: InventoryRow[] = await db.query(
        `SELECT id, name, registration_enc, driver_state FROM nodes WHERE ${LIVE} AND id = $2`,
        [providerId, id],
      );
      return rows[0] ? toNode(rows[0]) : null;
    },

    async saveState(id, patch) {
      await db.query(
        `UPDATE nodes SET driver_state = coalesce(driver_state, '{}'::jsonb) || $3::jsonb WHERE provider_id = $1 AND id = $2`,
        [providerId, id, JSON.stringify(patch)],
      );
    },
  };
}
