import { newIdempotencyKey, type CreateServerRoleBody, type Node, type NodeConfigMode, type ServerRole, type UpdateServerRoleBody } from '@overmind/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { jobKeys } from './job-queries.js';
import { nodeKeys } from './node-queries.js';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';

export const serverRoleKeys = {
  all: ['server-roles'] as const,
  list: () => [...serverRoleKeys.all, 'list'] as const,
  detail: (id: string) => [...serverRoleKeys.all, 'detail', id] as const,
};

/** Roles are few (a role is a kind of machine, not a machine): one page of the most the API gives. */
export const SERVER_ROLE_LIMIT = 200;
export const useServerRoles = () =>
  useQuery({ queryKey: serverRoleKeys.list(), queryFn: () => call(overmind.raw.GET('/api/v1/server-roles', { params: { query: { limit: SERVER_ROLE_LIMIT } } })) });

/** The role a node belongs to: the node does not name it, the role lists its nodes. */
export const roleOf = (roles: ServerRole[] | undefined, nodeId: string) => roles?.find((r) => r.nodeIds.includes(nodeId));

/** How a node is configured: its own mode, else its role's, else push (SSH). */
export const effectiveConfigMode = (node: Pick<Node, 'configMode'>, role: Pick<ServerRole, 'configMode'> | undefined): NodeConfigMode =>
  node.configMode ?? role?.configMode ?? 'push';

/** Assigning or removing a role changes the node and the role's node list: both are refreshed. */
function useNodeRoleMutation<I>(nodeId: string, fn: (input: I) => Promise<Node>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (node) => client.setQueryData(nodeKeys.detail(nodeId), node),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: serverRoleKeys.all }), client.invalidateQueries({ queryKey: nodeKeys.lists() })]),
  });
}

const path = (id: string) => ({ params: { path: { id } } });

/** `configMode` null: the node follows its role's mode. */
export const useAssignNodeRole = (nodeId: string) =>
  useNodeRoleMutation(nodeId, (body: { serverRoleId: string; configMode: NodeConfigMode | null }) =>
    call(overmind.raw.PUT('/api/v1/nodes/{id}/role', { ...path(nodeId), body })));

export const useUnassignNodeRole = (nodeId: string) =>
  useNodeRoleMutation(nodeId, () => call(overmind.raw.DELETE('/api/v1/nodes/{id}/role', path(nodeId))));

/** Applies the node's role now (a node.configure job, over SSH or through its agent). */
export function useConfigureNode(nodeId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(overmind.raw.POST('/api/v1/nodes/{id}/configure', path(nodeId))),
    // Not awaited: the caller opens the job page at once, and that page fetches what it shows.
    onSettled: () => {
      void client.invalidateQueries({ queryKey: jobKeys.all });
      void client.invalidateQueries({ queryKey: nodeKeys.all });
    },
  });
}

export const useServerRole = (id: string | undefined) =>
  useQuery({ queryKey: serverRoleKeys.detail(id ?? ''), queryFn: () => call(overmind.raw.GET('/api/v1/server-roles/{id}', path(id!))), enabled: !!id });

/** Creates a role (no id) or changes one; every role query refetches by prefix. */
export function useSaveServerRole(id: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateServerRoleBody | UpdateServerRoleBody) =>
      id
        ? call(overmind.raw.PATCH('/api/v1/server-roles/{id}', { ...path(id), body: body as UpdateServerRoleBody }))
        : call(overmind.raw.POST('/api/v1/server-roles', { params: { header: { 'idempotency-key': newIdempotencyKey() } }, body: body as CreateServerRoleBody })),
    onSuccess: () => client.invalidateQueries({ queryKey: serverRoleKeys.all }),
  });
}

export function useDeleteServerRole() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(overmind.raw.DELETE('/api/v1/server-roles/{id}', path(id))),
    onSettled: () => client.invalidateQueries({ queryKey: serverRoleKeys.all }),
  });
}

/** Creates `count` nodes of the role (a node.create job each, configured after). */
export function useCreateNodesFromRole(roleId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { count: number; namePrefix?: string }) =>
      call(overmind.raw.POST('/api/v1/server-roles/{id}/nodes', { params: { path: { id: roleId }, header: { 'idempotency-key': newIdempotencyKey() } }, body })),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: serverRoleKeys.all }), client.invalidateQueries({ queryKey: nodeKeys.all }), client.invalidateQueries({ queryKey: jobKeys.all })]),
  });
}

/** Re-applies the role to all its nodes in one job, `concurrency` at a time. */
export function useApplyServerRole(roleId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (concurrency: number) => call(overmind.raw.POST('/api/v1/server-roles/{id}/apply', { params: { path: { id: roleId }, query: { concurrency } } })),
    onSettled: () => client.invalidateQueries({ queryKey: jobKeys.all }),
  });
}
