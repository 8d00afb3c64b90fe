import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';
import { serverRoleKeys } from './server-role-queries.js';

export const kitchenKeys = { all: ['kitchen'] as const };

export const useKitchen = () => useQuery({ queryKey: kitchenKeys.all, queryFn: () => call(overmind.raw.GET('/api/v1/kitchen')) });

/** Sends the archive as it is (a .tar.gz body); the answer is the new kitchen, or a 422 listing its problems by file. */
export function useUploadKitchen() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (archive: Blob) =>
      call(overmind.raw.PUT('/api/v1/kitchen', { body: archive as never, bodySerializer: (b: unknown) => b as Blob, headers: { 'content-type': 'application/gzip' } })),
    onSuccess: (kitchen) => {
      client.setQueryData(kitchenKeys.all, kitchen);
      return client.invalidateQueries({ queryKey: serverRoleKeys.all });
    },
  });
}

/** A refused upload's errors[] grouped by the file they are about ('' for the archive as a whole). */
export function problemsByFile(errors: { field: string; message: string }[]): [string, string[]][] {
  const out = new Map<string, string[]>();
  for (const e of errors) {
    const file = e.field === 'body' ? '' : e.field;
    out.set(file, [...(out.get(file) ?? []), e.message]);
  }
  return [...out].sort(([a], [b]) => a.localeCompare(b));
}
