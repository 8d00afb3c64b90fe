import { newIdempotencyKey, type Node, type RegisterNodeBody } from '@overmind/sdk';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { jobKeys } from './job-queries.js';
import { nodeKeys } from './node-queries.js';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';

/** The job that registers one server; the node id is its targetId. One key per row sent, so a retried request never registers twice. */
export function useRegisterNode(providerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey = newIdempotencyKey() }: { body: RegisterNodeBody; idempotencyKey?: string }) =>
      call(overmind.raw.POST('/api/v1/providers/{id}/nodes', { params: { path: { id: providerId }, header: { 'idempotency-key': idempotencyKey } }, body })),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: nodeKeys.lists() }), client.invalidateQueries({ queryKey: jobKeys.all })]),
  });
}

export type BootDevice = 'pxe' | 'disk' | 'bios';
export type ServerJob = { kind: 'facts' } | { kind: 'sensors' } | { kind: 'boot-device'; device: BootDevice };

/** Work on a registered server that is a job (facts over SSH, sensors and boot device through its BMC). */
export function useServerJob(nodeId: string) {
  const client = useQueryClient();
  const path = { params: { path: { id: nodeId } } };
  return useMutation({
    mutationFn: (job: ServerJob) => {
      if (job.kind === 'facts') return call(overmind.raw.POST('/api/v1/nodes/{id}/facts', path));
      if (job.kind === 'sensors') return call(overmind.raw.POST('/api/v1/nodes/{id}/sensors', path));
      return call(overmind.raw.POST('/api/v1/nodes/{id}/boot-device', { ...path, body: { device: job.device } }));
    },
    onSettled: () => client.invalidateQueries({ queryKey: jobKeys.all }),
  });
}

/** Pins the host key the operator checked; the node refetches (its `extra` holds the pinned fingerprint). */
export function useAcceptHostKey(nodeId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (fingerprint: string) => call(overmind.raw.POST('/api/v1/nodes/{id}/host-key', { params: { path: { id: nodeId } }, body: { fingerprint } })),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: nodeKeys.detail(nodeId) }), client.invalidateQueries({ queryKey: jobKeys.all })]),
  });
}

const FINGERPRINT = 'SHA256:[A-Za-z0-9+/]{43}=?';
const MISMATCH = new RegExp(`pinned (${FINGERPRINT}), server presented (${FINGERPRINT})`);

/** The fingerprints a failed SSH job names when the server's host key changed. */
export function hostKeyChange(error: string | null | undefined): { pinned: string; presented: string } | null {
  const match = error ? MISMATCH.exec(error) : null;
  return match ? { pinned: match[1]!, presented: match[2]! } : null;
}

/** A registered server (a dedicated provider's node) carries its address and pinned key in `extra`. */
export const isRegisteredServer = (node: Pick<Node, 'extra'>) => typeof node.extra.address === 'string' && 'hostKeyFingerprint' in node.extra;
