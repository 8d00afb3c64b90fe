import type { Node } from '@overmind/sdk';
import { useQueries } from '@tanstack/react-query';
import { nodeKeys } from './node-queries.js';
import { overmind } from './overmind-client.js';

/** The nodes `ids` by id, from their details (cached per node, shared with the node pages); those not loaded yet are absent. */
export function useNodeDetails(ids: string[]): Map<string, Node> {
  const details = useQueries({ queries: ids.map((id) => ({ queryKey: nodeKeys.detail(id), queryFn: () => overmind.getNode(id), staleTime: 60_000 })) });
  return new Map(ids.flatMap((id, i) => (details[i]?.data ? [[id, details[i]!.data!] as const] : [])));
}

/** Names of the nodes `ids`; a node not loaded (or gone) keeps its id. */
export function useNodeNames(ids: string[]): Map<string, string> {
  const nodes = useNodeDetails(ids);
  return new Map(ids.map((id) => [id, nodes.get(id)?.name ?? id]));
}
