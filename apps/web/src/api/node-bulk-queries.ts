import { idempotencyHeader, untilNotInProgress, type CreateNodeBody, type Job, type Node } from '@overmind/sdk';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { jobKeys } from './job-queries.js';
import { nodeKeys } from './node-queries.js';
import { overmind } from './overmind-client.js';
import { send, type Sent } from './sdk-call.js';

export const MAX_CREATE_COUNT = 10;

/** The names of a batch: the name itself for one node, `name-1`..`name-N` for more. */
export const batchNames = (name: string, count: number): string[] =>
  count <= 1 ? [name] : Array.from({ length: count }, (_, i) => `${name}-${i + 1}`);

export interface CreateNodesInput {
  body: CreateNodeBody;
  count: number;
  /** Of the batch: node i is sent with `key.i`, so a repeated batch creates each node once. */
  idempotencyKey: string;
}

/**
 * Creates `count` nodes, one POST each, in order. The first failure stops the batch and is thrown,
 * so a validation error shows at the fields; `created` tells how many went through before it.
 * Sending the same batch again (a double click, or after a failure) replays the nodes already made.
 */
export function useCreateNodes() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, count, idempotencyKey }: CreateNodesInput) => {
      const jobs: Job[] = [];
      try {
        for (const [i, name] of batchNames(body.name, count).entries()) {
          const header = idempotencyHeader(`${idempotencyKey}.${i + 1}`);
          jobs.push((await send(untilNotInProgress(() => overmind.raw.POST('/api/v1/nodes', { body: { ...body, name }, params: { header } })))).data);
        }
      } catch (error) {
        if (jobs.length > 0 && error instanceof Error) error.message = `${jobs.length} of ${count} created, then: ${error.message}`;
        throw error;
      }
      return jobs;
    },
    // The new rows are in the list before the form navigates there.
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: nodeKeys.all }), client.invalidateQueries({ queryKey: jobKeys.all })]),
  });
}

export type BulkAction = 'reboot' | 'destroy';
const BULK = {
  reboot: (id: string) => send(overmind.raw.POST('/api/v1/nodes/{id}/reboot', { params: { path: { id } } })),
  destroy: (id: string) => send(overmind.raw.DELETE('/api/v1/nodes/{id}', { params: { path: { id } } })),
} satisfies Record<BulkAction, (id: string) => Promise<Sent<Job>>>;

export type BulkOutcome = { node: Pick<Node, 'id' | 'name'> } & ({ ok: true; job: Job; requestId: string | undefined } | { ok: false; error: unknown });

/** One request per node, all at once; every node gets an outcome, none stops the others. */
export function useBulkNodeAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ action, nodes }: { action: BulkAction; nodes: Pick<Node, 'id' | 'name'>[] }): Promise<BulkOutcome[]> => {
      const settled = await Promise.allSettled(nodes.map((n) => BULK[action](n.id)));
      return settled.map((s, i) => {
        const node = nodes[i]!;
        return s.status === 'fulfilled' ? { node, ok: true, job: s.value.data, requestId: s.value.requestId } : { node, ok: false, error: s.reason };
      });
    },
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: nodeKeys.all }), client.invalidateQueries({ queryKey: jobKeys.all })]),
  });
}
