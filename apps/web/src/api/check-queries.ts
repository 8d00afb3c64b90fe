import type { Check, CreateCheckBody, UpdateCheckBody } from '@overmind/sdk';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';

export const checkKeys = {
  all: ['checks'] as const,
  list: (page: number) => [...checkKeys.all, 'list', page] as const,
  node: (nodeId: string) => [...checkKeys.all, 'node', nodeId] as const,
  histories: (nodeId: string) => [...checkKeys.all, 'history', nodeId] as const,
  history: (nodeId: string, page: number) => [...checkKeys.histories(nodeId), page] as const,
};

export const CHECK_PAGE_LIMIT = 100;

export const useChecks = (page = 1) =>
  useQuery({
    queryKey: checkKeys.list(page),
    queryFn: () => call(overmind.raw.GET('/api/v1/checks', { params: { query: { page, limit: CHECK_PAGE_LIMIT } } })),
    placeholderData: keepPreviousData,
  });

/** The checks that apply to a node with their latest results, and its health (kept live by `check` and `health` events). */
export const useNodeChecks = (nodeId: string) =>
  useQuery({
    queryKey: checkKeys.node(nodeId),
    queryFn: () => call(overmind.raw.GET('/api/v1/nodes/{id}/checks', { params: { path: { id: nodeId } } })),
    // Performance data changes on every run without an event (only state changes are events).
    refetchInterval: 60_000,
  });

export const CHECK_HISTORY_LIMIT = 20;
export const useCheckHistory = (nodeId: string, page: number) =>
  useQuery({
    queryKey: checkKeys.history(nodeId, page),
    queryFn: () => call(overmind.raw.GET('/api/v1/nodes/{id}/check-history', { params: { path: { id: nodeId }, query: { page, limit: CHECK_HISTORY_LIMIT } } })),
    placeholderData: keepPreviousData,
  });

/** Any change to a definition may change which nodes run what: every check query is refreshed by prefix. */
function useCheckMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => client.invalidateQueries({ queryKey: checkKeys.all }) });
}

export const useCreateCheck = () => useCheckMutation((body: CreateCheckBody) => call(overmind.raw.POST('/api/v1/checks', { body })));
export const useUpdateCheck = () =>
  useCheckMutation(({ id, body }: { id: string; body: UpdateCheckBody }) => call(overmind.raw.PATCH('/api/v1/checks/{id}', { params: { path: { id } }, body })));
export const useDeleteCheck = () => useCheckMutation((check: Pick<Check, 'id'>) => call(overmind.raw.DELETE('/api/v1/checks/{id}', { params: { path: { id: check.id } } })));
