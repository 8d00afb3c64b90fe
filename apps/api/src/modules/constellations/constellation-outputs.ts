/**
 * Outputs: what one tier tells the tiers that depend on it. A configured member gets, under the
 * `overmind` attribute, its own place (constellation, tier, key) and the addresses of every tier it
 * depends on:
 *
 *   node['overmind']['tiers']['db']['private_addresses']   # ["10.0.0.5", "10.0.0.6"]
 *   node['overmind']['tiers']['db']['members']             # [{ key: "db-1", node: "shop-db-1", private_addresses: [...], public_addresses: [...] }]
 *
 * The hash of everything a member is configured with is kept on the member; when a dependency's
 * addresses change, the hash changes and the next plan configures the dependent members again.
 */
import { createHash } from 'node:crypto';
import { deepMerge, type ConfigOverlay } from '../cm/config-overlay.js';
import type { TierSpec } from './constellation-spec.js';

export interface MemberAddresses {
  ordinal: number;
  nodeName: string;
  privateIps: string[];
  publicIps: string[];
}

export interface TierOutputs {
  private_addresses: string[];
  public_addresses: string[];
  members: { key: string; node: string; private_addresses: string[]; public_addresses: string[] }[];
}

export const memberKey = (tier: string, ordinal: number) => `${tier}-${ordinal}`;

/** The outputs of a tier from its live members, in key order. */
export function tierOutputs(tier: string, members: MemberAddresses[]): TierOutputs {
  const sorted = [...members].sort((a, b) => a.ordinal - b.ordinal);
  return {
    private_addresses: sorted.flatMap((m) => m.privateIps),
    public_addresses: sorted.flatMap((m) => m.publicIps),
    members: sorted.map((m) => ({ key: memberKey(tier, m.ordinal), node: m.nodeName, private_addresses: m.privateIps, public_addresses: m.publicIps })),
  };
}

/** What a member's configure adds over its server role: the tier's run list and attributes, and the outputs. */
export type MemberOverlay = ConfigOverlay;

export function memberOverlay(constellation: string, tier: TierSpec, ordinal: number, outputs: Record<string, TierOutputs>): MemberOverlay {
  const own = { overmind: { constellation, tier: tier.name, key: memberKey(tier.name, ordinal), tiers: outputs } };
  return { ...(tier.runList ? { runList: tier.runList } : {}), attributes: deepMerge(tier.attributes ?? {}, own) };
}

/** A digest of the outputs a tier's members get: computed once per tier, not once per member. */
export function outputsDigest(outputs: Record<string, TierOutputs>): string {
  return createHash('sha256').update(JSON.stringify(outputs)).digest('base64url');
}

/**
 * The hash kept on a member after a configure: the role (and its last change), the tier's run list
 * and attributes, the member's place, and the digest of the outputs it gets.
 */
export function configHash(role: { id: string; updatedAt: Date | string }, constellation: string, tier: TierSpec, ordinal: number, digest: string): string {
  const updated = role.updatedAt instanceof Date ? role.updatedAt.toISOString() : role.updatedAt;
  const own = { role: role.id, updated, constellation, key: memberKey(tier.name, ordinal), runList: tier.runList ?? null, attributes: tier.attributes ?? null, outputs: digest };
  return createHash('sha256').update(JSON.stringify(own)).digest('base64url');
}
