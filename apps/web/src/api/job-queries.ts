import { FINISHED_JOB_STATES, type ListJobsQuery } from '@overmind/sdk';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { overmind } from './overmind-client.js';

export const jobKeys = {
  all: ['jobs'] as const,
  lists: () => [...jobKeys.all, 'list'] as const,
  list: (query: ListJobsQuery) => [...jobKeys.lists(), query] as const,
  detail: (id: string) => [...jobKeys.all, 'detail', id] as const,
  logs: (id: string) => [...jobKeys.all, 'logs', id] as const,
};

export const useJobs = (query: ListJobsQuery) =>
  useQuery({ queryKey: jobKeys.list(query), queryFn: () => overmind.listJobs(query), placeholderData: keepPreviousData });

export const useJob = (id: string) => useQuery({ queryKey: jobKeys.detail(id), queryFn: () => overmind.getJob(id) });

/** Log lines of a job; live job events invalidate them while the job runs. */
export const useJobLogs = (id: string) => useQuery({ queryKey: jobKeys.logs(id), queryFn: () => overmind.getJobLogs(id) });

export const isFinished = (state: string) => (FINISHED_JOB_STATES as readonly string[]).includes(state);
