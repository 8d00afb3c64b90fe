import type { ListNodesQuery } from '@overmind/sdk';
import { useQueries } from '@tanstack/react-query';
import { nodeKeys } from './node-queries.js';
import { overmind } from './overmind-client.js';

/**
 * Node counts per filter: one list request with limit 1 each, read from its `total`, so the count
 * is exact however many nodes there are. Under nodeKeys, so node events and actions refresh them.
 */
export function useNodeCounts(filters: { key: string; query: ListNodesQuery }[]) {
  return useQueries({
    queries: filters.map(({ query }) => {
      const q: ListNodesQuery = { ...query, limit: 1 };
      return { queryKey: nodeKeys.list(q), queryFn: () => overmind.listNodes(q) };
    }),
    combine: (results) => ({
      counts: Object.fromEntries(filters.map((f, i) => [f.key, results[i]?.data?.total])) as Record<string, number | undefined>,
      error: results.find((r) => r.error)?.error,
    }),
  });
}
