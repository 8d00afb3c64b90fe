import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  running: 'green', succeeded: 'green', ok: 'green', resolved: 'green', connected: 'green', active: 'green',
  error: 'red', failed: 'red', terminated: 'red', firing: 'red', critical: 'red', disconnected: 'red', revoked: 'red', rejected: 'red',
  pending: 'yellow', starting: 'yellow', stopping: 'yellow', rebooting: 'yellow', queued: 'yellow', configuring: 'yellow', warning: 'yellow',
  stopped: 'gray', cancelled: 'gray', unknown: 'gray',
};

/** The Mantine colour of a node, job or check state (the dashboard's bars use the same). */
export const stateColor = (state: string) => COLORS[state] ?? 'gray';

/** A state as a coloured badge; `data-state` for styles and tests. */
export function StateBadge({ state }: { state: string }) {
  return <Badge className="badge" data-state={state} data-color={stateColor(state)} color={stateColor(state)} variant="light" tt="none" fw={600}>{state}</Badge>;
}
