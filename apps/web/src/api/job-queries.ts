import { FINISHED_JOB_STATES, type Job, type JobLogLine, type ListJobsQuery } from '@overmind/sdk';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
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

/** The job `id`; an empty id (nothing started yet) asks nothing. */
export const useJob = (id: string) => useQuery({ queryKey: jobKeys.detail(id), queryFn: () => overmind.getJob(id), enabled: id !== '' });

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
  firstId: number;
  lastId: number;
  /** Lines the job has in all, as of the last answer. */
  total: number;
  /** Older lines exist than the first one held (the log is read from its end). */
  earlier: boolean;
  /** The last forward answer was a full page: newer lines wait. */
  more: boolean;
  /** When the request of the last answer was made (ms): an answer asked for before the job ended may lack its last lines. */
  readAt: number;
}

type LogQuery = { after?: number; before?: number; tail?: boolean };

// A burst of `job.log` events invalidates the log again and again, and each refetch cancels the one
// before. A request may answer for everything announced before it was sent, never for what was
// announced after: each announcement (`logGrew`: a `job.log` event, the job's end) starts a new
// generation of the job's log, and a request sent in an older one is not shared with it. The next
// request then waits for the one in flight, and every refetch until it is sent shares it: a burst
// costs at most one request in flight and one waiting.
interface Pending {
  generation: number;
  sent: boolean;
  request: Promise<{ items: JobLogLine[]; total: number }>;
}
const pending = new Map<string, Pending>();
const generations = new Map<string, number>();

/** Lines may have been stored for job `id` since the last request was sent. */
export function logGrew(id: string): void {
  generations.set(id, (generations.get(id) ?? 0) + 1);
}

function lines(id: string, query: LogQuery): Promise<{ items: JobLogLine[]; total: number }> {
  const key = `${id}:${JSON.stringify(query)}`;
  const generation = generations.get(id) ?? 0;
  const held = pending.get(key);
  if (held && !held.sent) held.generation = generation;
  if (held && held.generation === generation) return held.request;
  const before = held?.request.catch(() => undefined) ?? Promise.resolve();
  const entry: Pending = { generation, sent: false, request: undefined as never };
  entry.request = before.then(() => {
    entry.sent = true;
    return call(overmind.raw.GET('/api/v1/jobs/{id}/logs', { params: { path: { id }, query: { ...query, limit: LOG_PAGE } } }));
  });
  const done = () => {
    if (pending.get(key) === entry) pending.delete(key);
  };
  entry.request.then(done, done);
  pending.set(key, entry);
  return entry.request;
}

const idOf = (line: JobLogLine) => Number(line.id);

/** The first answer: the newest page, where a reader of a long log starts. */
function started({ items, total }: { items: JobLogLine[]; total: number }): Omit<JobLog, 'readAt'> {
  return { chunks: items.length ? [items] : [], firstId: items.length ? idOf(items[0]!) : 0, lastId: items.length ? idOf(items.at(-1)!) : 0, total, earlier: items.length >= LOG_PAGE, more: false };
}

function appended(held: JobLog, { items, total }: { items: JobLogLine[]; total: number }): Omit<JobLog, 'readAt'> {
  const fresh = items.filter((line) => idOf(line) > held.lastId);
  const more = items.length >= LOG_PAGE;
  if (fresh.length === 0) return held.more === more && held.total === total ? held : { ...held, total, more };
  return { ...held, chunks: [...held.chunks, fresh], firstId: held.firstId || idOf(fresh[0]!), lastId: idOf(fresh.at(-1)!), total, more };
}

/**
 * A job's log, read from its end: the first answer is the newest page; every refetch after that (a
 * `job.log` event invalidating the key, the poll while the job is live, "load more") asks only for
 * the lines after the last one held and appends them; "load earlier" prepends the page before.
 */
export function useJobLog(id: string, live: boolean) {
  const client = useQueryClient();
  const key = jobKeys.logs(id);
  const query = useQuery({
    queryKey: key,
    queryFn: async () => {
      const readAt = Date.now();
      const held = client.getQueryData<JobLog>(key);
      const log = held ? appended(held, await lines(id, { after: held.lastId })) : started(await lines(id, { tail: true }));
      return { ...log, readAt };
    },
    refetchInterval: live ? LOG_POLL_MS : false,
  });
  const earlier = useMutation({
    mutationFn: async () => {
      const held = client.getQueryData<JobLog>(key);
      return held ? { held, page: await lines(id, { tail: true, before: held.firstId }) } : undefined;
    },
    onSuccess: (answer) => {
      if (!answer?.page.items.length) return;
      const { items, total } = answer.page;
      client.setQueryData<JobLog>(key, (now) => now && { ...now, chunks: [items, ...now.chunks], firstId: idOf(items[0]!), total, earlier: items.length >= LOG_PAGE });
    },
  });
  // The lines written just before the job ended may come after the event that ended it: once it has
  // ended, the log is read once more, and only that answer makes it complete.
  const wasLive = useRef(live);
  const [endedAt, setEndedAt] = useState<number | null>(live ? null : 0);
  const { refetch } = query;
  useEffect(() => {
    if (wasLive.current && !live) {
      logGrew(id);
      setEndedAt(Date.now());
      void refetch();
    }
    wasLive.current = live;
  }, [id, live, refetch]);
  // Only an answer asked for after the end counts. A refetch while the first request is still out gets
  // that request's answer (Query does not cancel a fetch that has no data yet): then it is asked again.
  const complete = !live && endedAt !== null && !!query.data && query.data.readAt >= endedAt;
  const stale = !live && endedAt !== null && !!query.data && query.data.readAt < endedAt && !query.isFetching;
  useEffect(() => {
    if (stale) void refetch();
  }, [stale, refetch]);
  return { log: query.data, complete, error: query.error ?? earlier.error, loadMore: () => void refetch(), loadEarlier: () => earlier.mutate(), loadingEarlier: earlier.isPending };
}
