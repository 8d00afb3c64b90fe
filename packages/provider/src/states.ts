/** Normalized node states. Every driver maps its provider's states onto these. */
export const NODE_STATES = [
  'running',
  'starting',
  'stopping',
  'stopped',
  'rebooting',
  'pending',
  'configuring',
  'terminated',
  'error',
  'unknown',
] as const;

export type NodeState = (typeof NODE_STATES)[number];

/**
 * Builds a mapper from a provider's raw state names to NodeState, with `unknown` as the
 * fallback so that a state the table does not know never crashes a sync. Lookups ignore case.
 */
export function createStateMapper(table: Readonly<Record<string, NodeState>>): (raw: unknown) => NodeState {
  const normalized = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
  return (raw) => (typeof raw === 'string' ? normalized.get(raw.toLowerCase()) : undefined) ?? 'unknown';
}
