import type { CreateProviderBody, ListProvidersQuery } from '@overmind/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { overmind } from './overmind-client.js';

export const providerKeys = {
  all: ['providers'] as const,
  lists: () => [...providerKeys.all, 'list'] as const,
  list: (query: ListProvidersQuery) => [...providerKeys.lists(), query] as const,
  detail: (id: string) => [...providerKeys.all, 'detail', id] as const,
  types: () => ['provider-types'] as const,
};

export const useProviders = (query: ListProvidersQuery = { limit: 200 }) =>
  useQuery({ queryKey: providerKeys.list(query), queryFn: () => overmind.listProviders(query) });

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
