import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  running: 'green', succeeded: 'green', ok: 'green', resolved: 'green', connected: 'green', active: 'green',
  error: 'red', failed: 'red', terminated: 'red', firing: 'red', critical: 'red', disconnected: 'red', revoked: 'red', rejected: 'red',
  pending: 'yellow', starting: 'yellow', stopping: 'yellow', rebooting: 'yellow', queued: 'yellow', configuring: 'yellow', warning: 'yellow',
  stopped: 'gray', cancelled: 'gray', unknown: 'gray',
};

/** The Mantine colour of a node, job or check state (the dashboard's bars use the same). */
export const stateColor = (state: string) => COLORS[state] ?? 'gray';

/**
 * A state as a coloured badge; `data-state` for styles and tests. Mantine's light Badge by its classes, the colour
 * from styles.css (`.state-badge`): a list page shows one per row, and a Badge component each resolved its props,
 * theme and colour variables per row.
 */
export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`${Badge.classes.root} mantine-Badge-root badge state-badge`} data-variant="light" data-state={state} data-color={stateColor(state)}>
      <span className={`${Badge.classes.label} mantine-Badge-label`}>{state}</span>
    </span>
  );
}
