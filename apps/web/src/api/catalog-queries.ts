import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { overmind } from './overmind-client.js';
import { providerKeys } from './provider-queries.js';
import { call } from './sdk-call.js';

export type CatalogKind = 'images' | 'sizes' | 'locations' | 'networks';
export interface CatalogQuery {
  search?: string;
  limit?: number;
}

/** A provider's synced catalog lives under its detail key, so provider invalidation refreshes it too. */
export const catalogKeys = {
  all: (providerId: string) => [...providerKeys.detail(providerId), 'catalog'] as const,
  list: (providerId: string, kind: CatalogKind, query: CatalogQuery) => [...catalogKeys.all(providerId), kind, query] as const,
};

const PATHS = {
  images: '/api/v1/providers/{id}/images',
  sizes: '/api/v1/providers/{id}/sizes',
  locations: '/api/v1/providers/{id}/locations',
  networks: '/api/v1/providers/{id}/networks',
} as const;

export const useCatalog = (providerId: string | undefined, kind: CatalogKind, query: CatalogQuery = {}) =>
  useQuery({
    queryKey: catalogKeys.list(providerId ?? '', kind, query),
    queryFn: () =>
      call(overmind.raw.GET(PATHS[kind], { params: { path: { id: providerId! }, query: { limit: query.limit ?? 200, ...(query.search ? { search: query.search } : {}) } } })),
    enabled: !!providerId,
    placeholderData: keepPreviousData,
  });

/** Marks or unmarks an image as a favourite (favourites are listed first in the create form). */
export function useToggleFavourite(providerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ imageId, favourite }: { imageId: string; favourite: boolean }) => {
      const params = { params: { path: { id: providerId, imageId } } };
      return call(favourite ? overmind.raw.PUT('/api/v1/providers/{id}/images/{imageId}/favourite', params) : overmind.raw.DELETE('/api/v1/providers/{id}/images/{imageId}/favourite', params));
    },
    onSettled: () => client.invalidateQueries({ queryKey: catalogKeys.all(providerId) }),
  });
}
