import type { Role } from '@overmind/sdk';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';

export const userKeys = { all: ['users'] as const, list: () => [...userKeys.all, 'list'] as const };
export const tokenKeys = { all: ['tokens'] as const, list: () => [...tokenKeys.all, 'list'] as const };
export const auditKeys = { all: ['audit'] as const, page: (page: number) => [...auditKeys.all, page] as const };

export const AUDIT_LIMIT = 50;
const byId = (id: string) => ({ params: { path: { id } } });

export const useUsers = () => useQuery({ queryKey: userKeys.list(), queryFn: () => call(overmind.raw.GET('/api/v1/users', { params: { query: { limit: 200 } } })) });

/** Every user mutation refreshes the user list by prefix. */
function useUserMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => client.invalidateQueries({ queryKey: userKeys.all }) });
}

export const useCreateUser = () =>
  useUserMutation((body: { username: string; password: string; role: Role }) => call(overmind.raw.POST('/api/v1/users', { body })));
export const useUpdateUser = () =>
  useUserMutation(({ id, ...body }: { id: string; role?: Role; password?: string }) => call(overmind.raw.PATCH('/api/v1/users/{id}', { ...byId(id), body })));
export const useDeleteUser = () => useUserMutation((id: string) => call(overmind.raw.DELETE('/api/v1/users/{id}', byId(id))));

export const useTokens = () => useQuery({ queryKey: tokenKeys.list(), queryFn: () => call(overmind.raw.GET('/api/v1/tokens', { params: { query: { limit: 200 } } })) });

function useTokenMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => client.invalidateQueries({ queryKey: tokenKeys.all }) });
}

/** Creates a token; the response is the only time its secret is readable, so the page holds it in state only. */
export const useCreateToken = () =>
  useTokenMutation((body: { name: string; password: string; expiresInDays?: number }) => call(overmind.raw.POST('/api/v1/tokens', { body })));
export const useRevokeToken = () => useTokenMutation((id: string) => call(overmind.raw.DELETE('/api/v1/tokens/{id}', byId(id))));

export const useAuditEvents = (page: number) =>
  useQuery({
    queryKey: auditKeys.page(page),
    queryFn: () => call(overmind.raw.GET('/api/v1/audit-events', { params: { query: { page, limit: AUDIT_LIMIT } } })),
    placeholderData: keepPreviousData,
  });
