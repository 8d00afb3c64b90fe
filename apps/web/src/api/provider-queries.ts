import type { BodyOf, CreateProviderBody, ListProvidersQuery } from '@overmind/sdk';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { jobKeys } from './job-queries.js';
import { nodeKeys } from './node-queries.js';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';

export const providerKeys = {
  all: ['providers'] as const,
  lists: () => [...providerKeys.all, 'list'] as const,
  list: (query: ListProvidersQuery) => [...providerKeys.lists(), query] as const,
  detail: (id: string) => [...providerKeys.all, 'detail', id] as const,
  types: () => ['provider-types'] as const,
};

export const providerListOptions = (query: ListProvidersQuery = { limit: 200 }) =>
  queryOptions({ queryKey: providerKeys.list(query), queryFn: () => overmind.listProviders(query) });

export const useProviders = (query: ListProvidersQuery = { limit: 200 }) => useQuery(providerListOptions(query));

export const useProvider = (id: string | undefined) =>
  useQuery({ queryKey: providerKeys.detail(id ?? ''), queryFn: () => overmind.getProvider(id!), enabled: !!id });

export const useProviderTypes = () =>
  useQuery({ queryKey: providerKeys.types(), queryFn: () => overmind.listProviderTypes(), staleTime: Infinity });

export function useCreateProvider() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateProviderBody) => overmind.createProvider(body),
    onSuccess: () => client.invalidateQueries({ queryKey: providerKeys.all }),
  });
}

export type UpdateProviderBody = BodyOf<'/api/v1/providers/{id}', 'patch'>;

/** Renames a provider, changes its settings or replaces its credentials (the API checks those first). */
export function useUpdateProvider(providerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateProviderBody) => call(overmind.raw.PATCH('/api/v1/providers/{id}', { params: { path: { id: providerId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: providerKeys.all }),
  });
}

export type ProviderJob = 'sync' | 'refresh';
const JOB_PATHS = { sync: '/api/v1/providers/{id}/sync', refresh: '/api/v1/providers/{id}/refresh' } as const;

/** Queues a provider sync or catalog refresh; the job shows in the job list, its end arrives as events. */
export function useProviderJob(kind: ProviderJob) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (providerId: string) => call(overmind.raw.POST(JOB_PATHS[kind], { params: { path: { id: providerId } } })),
    onSettled: () => client.invalidateQueries({ queryKey: jobKeys.all }),
  });
}

/** Stops managing a provider: its machines keep running, its nodes are marked decommissioned. */
export function useDeleteProvider() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (providerId: string) => call(overmind.raw.DELETE('/api/v1/providers/{id}', { params: { path: { id: providerId } } })),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: providerKeys.all }), client.invalidateQueries({ queryKey: nodeKeys.all })]),
  });
}
