import type { CreateAlertRuleBody, ListAlertsQuery, UpdateAlertRuleBody } from '@overmind/sdk';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';

export const alertKeys = {
  all: ['alerts'] as const,
  lists: () => [...alertKeys.all, 'list'] as const,
  list: (query: ListAlertsQuery) => [...alertKeys.lists(), query] as const,
};
export const alertRuleKeys = {
  all: ['alert-rules'] as const,
  list: (page: number) => [...alertRuleKeys.all, 'list', page] as const,
};

export const useAlerts = (query: ListAlertsQuery) =>
  useQuery({ queryKey: alertKeys.list(query), queryFn: () => call(overmind.raw.GET('/api/v1/alerts', { params: { query } })), placeholderData: keepPreviousData });

export function useAcknowledgeAlert() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(overmind.raw.POST('/api/v1/alerts/{id}/acknowledge', { params: { path: { id } } })),
    onSettled: () => client.invalidateQueries({ queryKey: alertKeys.all }),
  });
}

export const useAlertRules = (page: number) =>
  useQuery({ queryKey: alertRuleKeys.list(page), queryFn: () => call(overmind.raw.GET('/api/v1/alert-rules', { params: { query: { page, limit: 50 } } })), placeholderData: keepPreviousData });

/** Rule changes can resolve alerts (a deleted rule's), so both lists are refreshed. */
function useRuleMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: alertRuleKeys.all }), client.invalidateQueries({ queryKey: alertKeys.all })]),
  });
}

export const useCreateAlertRule = () => useRuleMutation((body: CreateAlertRuleBody) => call(overmind.raw.POST('/api/v1/alert-rules', { body })));
export const useUpdateAlertRule = () =>
  useRuleMutation(({ id, body }: { id: string; body: UpdateAlertRuleBody }) => call(overmind.raw.PATCH('/api/v1/alert-rules/{id}', { params: { path: { id } }, body })));
export const useDeleteAlertRule = () => useRuleMutation((id: string) => call(overmind.raw.DELETE('/api/v1/alert-rules/{id}', { params: { path: { id } } })));
