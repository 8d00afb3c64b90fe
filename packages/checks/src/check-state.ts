/**
 * Check states as the plugin API numbers them (the exit codes of the Monitoring Plugins development
 * guidelines), and the order in which they make a node's health worse.
 */

export const CheckState = { ok: 0, warning: 1, critical: 2, unknown: 3 } as const;
export type CheckState = (typeof CheckState)[keyof typeof CheckState];

export const CHECK_STATE_NAMES = ['ok', 'warning', 'critical', 'unknown'] as const;
export type CheckStateName = (typeof CHECK_STATE_NAMES)[number];

export function checkStateName(state: CheckState): CheckStateName {
  return CHECK_STATE_NAMES[state];
}

export function isCheckState(value: unknown): value is CheckState {
  return value === 0 || value === 1 || value === 2 || value === 3;
}

/**
 * How bad a state is, for "the worst of": critical over unknown over warning over ok (the order
 * Checkmk's worst-state uses): a service known to be down is worse than one that could not be
 * checked, which is worse than one that only warns.
 */
const SEVERITY: Record<CheckState, number> = { 0: 0, 1: 1, 3: 2, 2: 3 };

export function worstState(states: Iterable<CheckState>): CheckState | null {
  let worst: CheckState | null = null;
  for (const s of states) if (worst === null || SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}
