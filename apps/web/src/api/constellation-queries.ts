import type { BodyOf } from '@overmind/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { jobKeys } from './job-queries.js';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';

export const constellationKeys = {
  all: ['constellations'] as const,
  list: () => [...constellationKeys.all, 'list'] as const,
  detail: (id: string) => [...constellationKeys.all, 'detail', id] as const,
  guarantee: (id: string) => [...constellationKeys.all, 'guarantee', id] as const,
};

const path = (id: string) => ({ params: { path: { id } } });

export const useConstellations = () =>
  useQuery({ queryKey: constellationKeys.list(), queryFn: () => call(overmind.raw.GET('/api/v1/constellations', { params: { query: { limit: 200 } } })) });

export const useConstellation = (id: string) =>
  useQuery({ queryKey: constellationKeys.detail(id), queryFn: () => call(overmind.raw.GET('/api/v1/constellations/{id}', path(id))) });

/** A plan changes nothing: a mutation only because it is asked for, not kept fresh. */
export const usePlanConstellation = (id: string) =>
  useMutation({ mutationFn: () => call(overmind.raw.POST('/api/v1/constellations/{id}/plan', path(id))) });

export function useApplyConstellation(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(overmind.raw.POST('/api/v1/constellations/{id}/apply', path(id))),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: jobKeys.all });
      void client.invalidateQueries({ queryKey: constellationKeys.all });
    },
  });
}

/** The service guarantee of each tier: looked at again every 10 s while shown (members heal and steps end on their own). */
export const useConstellationGuarantee = (id: string) =>
  useQuery({ queryKey: constellationKeys.guarantee(id), queryFn: () => call(overmind.raw.GET('/api/v1/constellations/{id}/guarantee', path(id))), refetchInterval: 10_000 });

export function useResetGuarantee(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (tier: string) => call(overmind.raw.POST('/api/v1/constellations/{id}/guarantee/{tier}/reset', { params: { path: { id, tier } } })),
    onSuccess: (view) => client.setQueryData(constellationKeys.guarantee(id), view),
  });
}
type CloneBody = BodyOf<'/api/v1/constellations/{id}/clone', 'post'>;
type ImportBody = BodyOf<'/api/v1/constellations/import', 'post'>;
type SpecBody = BodyOf<'/api/v1/constellations/{id}/spec', 'put'>;

/** A change that makes or removes constellations: the lists and details go stale. */
function useConstellationChange<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void client.invalidateQueries({ queryKey: constellationKeys.all });
      void client.invalidateQueries({ queryKey: jobKeys.all });
    },
  });
}

export const useCloneConstellation = (id: string) =>
  useConstellationChange((body: CloneBody) => call(overmind.raw.POST('/api/v1/constellations/{id}/clone', { ...path(id), body })));

export const useImportConstellation = () =>
  useConstellationChange((body: ImportBody) => call(overmind.raw.POST('/api/v1/constellations/import', { body })));

/** A new spec version (a scale is one: the same tiers, other counts); nothing changes until an apply. */
export const useUpdateConstellationSpec = (id: string) =>
  useConstellationChange((body: SpecBody) => call(overmind.raw.PUT('/api/v1/constellations/{id}/spec', { ...path(id), body })));

export const useDestroyConstellation = (id: string) =>
  useConstellationChange((confirm: string) => call(overmind.raw.POST('/api/v1/constellations/{id}/destroy', { ...path(id), body: { confirm } })));
