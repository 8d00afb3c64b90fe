/**
 * What a node's configure adds over its server role when the node belongs to something larger (a
 * constellation tier: its own run list and attributes, and the outputs of the tiers it depends on).
 */
import type { ServerRoleRow } from '../../db/entities/index.js';

export interface ConfigOverlay {
  runList?: string[];
  attributes: Record<string, unknown>;
}

/** The overlay of a node, or null when it has none; looked up by the configure job, on the worker. */
export type OverlayLookup = (nodeId: string) => Promise<ConfigOverlay | null>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key, `over` wins; arrays and scalars are replaced. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

export function withOverlay<R extends Pick<ServerRoleRow, 'runList' | 'attributes'>>(role: R, overlay: ConfigOverlay | null): R {
  if (!overlay) return role;
  return { ...role, runList: overlay.runList ?? role.runList, attributes: deepMerge(role.attributes, overlay.attributes) };
}
