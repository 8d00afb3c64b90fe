import { useQuery } from '@tanstack/react-query';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';

export const balancerKeys = {
  all: ['balancers'] as const,
  ofProvider: (id: string) => [...balancerKeys.all, 'provider', id] as const,
  ofConstellation: (id: string) => [...balancerKeys.all, 'constellation', id] as const,
};

const path = (id: string) => ({ params: { path: { id } } });

export const useProviderBalancers = (providerId: string | null) =>
  useQuery({
    queryKey: balancerKeys.ofProvider(providerId ?? ''),
    queryFn: () => call(overmind.raw.GET('/api/v1/providers/{id}/balancers', { params: { path: { id: providerId! }, query: { limit: 200 } } })),
    enabled: !!providerId,
  });

export const useConstellationBalancers = (constellationId: string | null) =>
  useQuery({
    queryKey: balancerKeys.ofConstellation(constellationId ?? ''),
    queryFn: () => call(overmind.raw.GET('/api/v1/constellations/{id}/balancers', path(constellationId!))),
    enabled: !!constellationId,
  });
