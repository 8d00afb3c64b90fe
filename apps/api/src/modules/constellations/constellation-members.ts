/**
 * Reads of a constellation's members with their nodes (one query for all of them), and what a
 * member's configure adds over its server role (the overlay), which the configure job looks up.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { ConfigOverlay } from '../cm/config-overlay.js';
import { configHash, memberOverlay, outputsDigest, tierOutputs, type TierOutputs } from './constellation-outputs.js';
import type { CurrentMember } from './constellation-plan.js';
import type { ConstellationSpec } from './constellation-spec.js';

export interface MemberRow extends CurrentMember {
  health: string | null;
}

type Query = Pick<EntityManager, 'query'>;

export async function currentMembers(db: Query, constellationId: string): Promise<MemberRow[]> {
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT m.tier, m.ordinal, m.node_id, m.applied_hash, n.name, n.state, n.provider_node_id, n.provider_id, n.location_id,
            n.size_id, n.image_id, n.private_ips, n.public_ips, n.health,
            (n.destroyed_at IS NOT NULL OR n.decommissioned_at IS NOT NULL) AS gone
       FROM constellation_members m JOIN nodes n ON n.id = m.node_id
      WHERE m.constellation_id = $1 ORDER BY m.tier, m.ordinal`,
    [constellationId],
  );
  return rows.map((r) => ({
    tier: r.tier as string,
    ordinal: r.ordinal as number,
    nodeId: r.node_id as string,
    nodeName: r.name as string,
    state: r.state as string,
    providerNodeId: (r.provider_node_id as string | null) ?? null,
    gone: r.gone as boolean,
    machine: {
      providerId: r.provider_id as string,
      ...(r.location_id ? { locationId: r.location_id as string } : {}),
      ...(r.size_id ? { sizeId: r.size_id as string } : {}),
      ...(r.image_id ? { imageId: r.image_id as string } : {}),
    },
    privateIps: r.private_ips as string[],
    publicIps: r.public_ips as string[],
    appliedHash: (r.applied_hash as string | null) ?? null,
    health: (r.health as string | null) ?? null,
  }));
}

/** The outputs of the given tiers from their live members. */
export function outputsOf(members: CurrentMember[], tiers: string[]): Record<string, TierOutputs> {
  return Object.fromEntries(tiers.map((t) => [t, tierOutputs(t, members.filter((m) => m.tier === t && !m.gone))]));
}

export interface MemberConfig {
  overlay: ConfigOverlay;
  hash: string | null;
}

/**
 * What a member is configured with now: its tier (of the version being applied) and the current
 * outputs of the tiers it depends on. Null for a node that is no member, or whose tier is gone.
 */
export async function memberConfig(db: DataSource | Query, nodeId: string): Promise<MemberConfig | null> {
  const [row]: { id: string; name: string; tier: string; ordinal: number; spec: ConstellationSpec; role_id: string | null; role_updated: Date | null }[] = await db.query(
    `SELECT c.id, c.name, m.tier, m.ordinal, v.spec, r.id AS role_id, r.updated_at AS role_updated
       FROM constellation_members m
       JOIN constellations c ON c.id = m.constellation_id
       JOIN constellation_versions v ON v.constellation_id = c.id AND v.version = coalesce(c.target_version, c.latest_version)
       LEFT JOIN server_role_nodes srn ON srn.node_id = m.node_id
       LEFT JOIN server_roles r ON r.id = srn.server_role_id
      WHERE m.node_id = $1`,
    [nodeId],
  );
  const tier = row?.spec.tiers.find((t) => t.name === row.tier);
  if (!row || !tier) return null;
  const deps = tier.dependsOn ?? [];
  const members = deps.length > 0 ? await currentMembers(db, row.id) : [];
  const outputs = outputsOf(members, deps);
  const overlay = memberOverlay(row.name, tier, row.ordinal, outputs);
  return { overlay, hash: row.role_id ? configHash({ id: row.role_id, updatedAt: row.role_updated! }, row.name, tier, row.ordinal, outputsDigest(outputs)) : null };
}
