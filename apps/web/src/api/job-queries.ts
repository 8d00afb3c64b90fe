import { FINISHED_JOB_STATES, type Job, type JobLogLine, type ListJobsQuery } from '@overmind/sdk';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';

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

export const isFinished = (state: string) => (FINISHED_JOB_STATES as readonly string[]).includes(state);

/** Only a job no worker has picked up yet can be cancelled (the API refuses a retry in waiting too). */
export const isCancellable = (job: Pick<Job, 'state' | 'attempts'>) => job.state === 'queued' && job.attempts === 0;

/** Lines asked for per request; a full answer means more lines wait. */
export const LOG_PAGE = 1000;
/** While a job is live, in case the event stream is down. */
export const LOG_POLL_MS = 5_000;

export interface JobLog {
  /** One array per answer, kept as they came, so a render only adds what is new. */
  chunks: JobLogLine[][];
  lastId: number;
  /** The last answer was a full page. */
  more: boolean;
}

// A burst of `job.log` events invalidates the log again and again, and each refetch cancels the one
// before: they all share the one request for the same position, so the burst costs one round trip.
const pending = new Map<string, Promise<JobLogLine[]>>();
function linesAfter(id: string, after: number): Promise<JobLogLine[]> {
  const key = `${id}:${after}`;
  let request = pending.get(key);
  if (!request) {
    request = call(overmind.raw.GET('/api/v1/jobs/{id}/logs', { params: { path: { id }, query: { after, limit: LOG_PAGE } } }))
      .then((answer) => answer.items)
      .finally(() => pending.delete(key));
    pending.set(key, request);
  }
  return request;
}

function appended(held: JobLog | undefined, lines: JobLogLine[]): JobLog {
  const more = lines.length >= LOG_PAGE;
  if (lines.length === 0) return held && !held.more ? held : { chunks: held?.chunks ?? [], lastId: held?.lastId ?? 0, more };
  return { chunks: [...(held?.chunks ?? []), lines], lastId: Number(lines.at(-1)!.id), more };
}

/**
 * A job's log, read forward only: every refetch (a `job.log` event invalidating the key, the poll
 * while the job is live, "load more") asks for the lines after the last one held and appends them.
 */
export function useJobLog(id: string, live: boolean) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: jobKeys.logs(id),
    queryFn: async () => {
      const held = client.getQueryData<JobLog>(jobKeys.logs(id));
      const after = held?.lastId ?? 0;
      return appended(held, (await linesAfter(id, after)).filter((line) => Number(line.id) > after));
    },
    refetchInterval: live ? LOG_POLL_MS : false,
  });
  // The lines written just before the job ended may come after the event that ended it.
  const wasLive = useRef(live);
  const { refetch } = query;
  useEffect(() => {
    if (wasLive.current && !live) void refetch();
    wasLive.current = live;
  }, [live, refetch]);
  return { log: query.data, error: query.error, loadMore: () => void refetch() };
}
