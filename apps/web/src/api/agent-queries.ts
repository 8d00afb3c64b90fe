import { OvermindApiError, type Agent, type CreateAgentTokenBody, type ListAgentsQuery, type ListAgentTokensQuery } from '@overmind/sdk';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { nodeKeys } from './node-queries.js';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';

export const agentKeys = {
  all: ['agents'] as const,
  lists: () => [...agentKeys.all, 'list'] as const,
  list: (query: ListAgentsQuery) => [...agentKeys.lists(), query] as const,
  detail: (id: string) => [...agentKeys.all, 'detail', id] as const,
};
export const agentTokenKeys = {
  all: ['agent-tokens'] as const,
  list: (query: ListAgentTokensQuery) => [...agentTokenKeys.all, 'list', query] as const,
};
export const agentReleaseKey = ['agent-release'] as const;

export const useAgents = (query: ListAgentsQuery) =>
  useQuery({ queryKey: agentKeys.list(query), queryFn: () => call(overmind.raw.GET('/api/v1/agents', { params: { query } })) });

export const useAgent = (id: string | undefined) =>
  useQuery({ queryKey: agentKeys.detail(id ?? ''), queryFn: () => call(overmind.raw.GET('/api/v1/agents/{id}', { params: { path: { id: id! } } })), enabled: !!id });

/**
 * Approving, rejecting or revoking changes the agent's lists and the node it is (or was) bound to;
 * the agent event does the same in every other console, this one refreshes at once.
 */
function useAgentMutation<I>(fn: (input: I) => Promise<Agent | Omit<Agent, 'facts'>>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: agentKeys.all }), client.invalidateQueries({ queryKey: nodeKeys.all })]),
  });
}

const byId = (id: string) => ({ params: { path: { id } } });
export const useApproveAgent = () =>
  useAgentMutation(({ id, nodeId }: { id: string; nodeId: string }) => call(overmind.raw.POST('/api/v1/agents/{id}/approve', { ...byId(id), body: { nodeId } })));
export const useRejectAgent = () => useAgentMutation((id: string) => call(overmind.raw.POST('/api/v1/agents/{id}/reject', byId(id))));
export const useRevokeAgent = () => useAgentMutation((id: string) => call(overmind.raw.POST('/api/v1/agents/{id}/revoke', byId(id))));

export const useAgentTokens = (query: ListAgentTokensQuery) =>
  useQuery({ queryKey: agentTokenKeys.list(query), queryFn: () => call(overmind.raw.GET('/api/v1/agent-tokens', { params: { query } })), placeholderData: keepPreviousData });

/** Creates a join token; the answer is the only time the token is readable, so callers hold it in state only. */
export function useCreateAgentToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateAgentTokenBody) => call(overmind.raw.POST('/api/v1/agent-tokens', { body })),
    onSettled: () => client.invalidateQueries({ queryKey: agentTokenKeys.all }),
  });
}

export function useRevokeAgentToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(overmind.raw.DELETE('/api/v1/agent-tokens/{id}', byId(id))),
    onSettled: () => client.invalidateQueries({ queryKey: agentTokenKeys.all }),
  });
}

/**
 * The agent this server hands out, and the URL agents reach it at. It answers 503 while the server
 * has no agent build: that is an answer (null), not an error worth retrying.
 */
export const useAgentRelease = () =>
  useQuery({
    queryKey: agentReleaseKey,
    queryFn: () =>
      call(overmind.raw.GET('/api/v1/agent/release')).catch((error: unknown) => {
        if (error instanceof OvermindApiError && error.status === 503) return null;
        throw error;
      }),
    staleTime: 5 * 60_000,
    retry: false,
  });

/** Installs (or upgrades in place) the node's agent over the SSH access Overmind has: a job. */
export function useInstallAgent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (nodeId: string) => call(overmind.raw.POST('/api/v1/nodes/{id}/agent/install', { ...byId(nodeId), body: {} })),
    onSettled: () => client.invalidateQueries({ queryKey: nodeKeys.all }),
  });
}
