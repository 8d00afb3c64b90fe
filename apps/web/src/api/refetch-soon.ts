import type { QueryClient, QueryKey } from '@tanstack/react-query';

/** How long events may pile up before what they made stale is refetched. */
export const REFETCH_DELAY_MS = 500;

const scheduled = new WeakMap<QueryClient, Map<string, ReturnType<typeof setTimeout>>>();

/**
 * Marks the queries under `queryKey` stale once, `REFETCH_DELAY_MS` after the first call, however
 * many calls come in the meantime. A sync can change thousands of nodes, one event each: the lists
 * then refetch a couple of times a second instead of once per event.
 */
export function refetchSoon(client: QueryClient, queryKey: QueryKey): void {
  let timers = scheduled.get(client);
  if (!timers) scheduled.set(client, (timers = new Map()));
  const id = JSON.stringify(queryKey);
  if (timers.has(id)) return;
  timers.set(id, setTimeout(() => {
    timers.delete(id);
    void client.invalidateQueries({ queryKey });
  }, REFETCH_DELAY_MS));
}
