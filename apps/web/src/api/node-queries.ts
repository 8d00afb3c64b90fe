import { FINISHED_JOB_STATES, type BodyOf, type Job, type ListNodesQuery, type Node } from '@overmind/sdk';
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { jobKeys } from './job-queries.js';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';

export const nodeKeys = {
  all: ['nodes'] as const,
  lists: () => [...nodeKeys.all, 'list'] as const,
  list: (query: ListNodesQuery) => [...nodeKeys.lists(), query] as const,
  detail: (id: string) => [...nodeKeys.all, 'detail', id] as const,
  summary: () => [...nodeKeys.all, 'summary'] as const,
};

/** Live nodes counted by state and by provider (the dashboard), in one request. */
export const useNodeSummary = () => useQuery({ queryKey: nodeKeys.summary(), queryFn: () => overmind.summarizeNodes() });

/** A page of the node list (also asked for at start by the preload, for the page the URL opens). */
export const nodeListOptions = (query: ListNodesQuery) => queryOptions({ queryKey: nodeKeys.list(query), queryFn: () => overmind.listNodes(query) });

export const useNodes = (query: ListNodesQuery) => useQuery({ ...nodeListOptions(query), placeholderData: keepPreviousData });

export const useNode = (id: string) => useQuery({ queryKey: nodeKeys.detail(id), queryFn: () => overmind.getNode(id) });

export type NodeAction = 'reboot' | 'start' | 'stop' | 'destroy';
const ACTIONS = {
  reboot: overmind.rebootNode,
  start: overmind.startNode,
  stop: overmind.stopNode,
  destroy: overmind.destroyNode,
} satisfies Record<NodeAction, (id: string) => Promise<unknown>>;

/** Runs a node action (a job); node and job caches are refreshed by prefix. */
export function useNodeAction(action: NodeAction) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (node: Pick<Node, 'id'>) => ACTIONS[action](node.id),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: nodeKeys.all }), client.invalidateQueries({ queryKey: jobKeys.all })]),
  });
}

export const useRebootNode = () => useNodeAction('reboot');

export type UpdateNodeBody = BodyOf<'/api/v1/nodes/{id}', 'patch'>;

/** Renames a node or replaces its tags; the answer goes straight into the detail, lists refetch by prefix. */
export function useUpdateNode(nodeId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateNodeBody) => call(overmind.raw.PATCH('/api/v1/nodes/{id}', { params: { path: { id: nodeId } }, body })),
    onSuccess: (node) => {
      client.setQueryData(nodeKeys.detail(nodeId), node);
      return client.invalidateQueries({ queryKey: nodeKeys.lists() });
    },
  });
}

/**
 * Refetches the node when one of its jobs ends: node events carry the state, not what a job may have
 * changed besides (a registration's facts and pinned host key, a sync's `extra`).
 */
export function useRefetchNodeAfterJobs(nodeId: string, jobs: Pick<Job, 'id' | 'state'>[] | undefined) {
  const client = useQueryClient();
  const finished = (jobs ?? []).filter((j) => (FINISHED_JOB_STATES as readonly string[]).includes(j.state)).map((j) => j.id).join(',');
  useEffect(() => {
    if (finished) void client.invalidateQueries({ queryKey: nodeKeys.detail(nodeId), exact: true });
  }, [client, nodeId, finished]);
}
