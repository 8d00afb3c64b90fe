/**
 * The two writes every job run makes, batched: the claims of the jobs a worker starts together (one
 * fetch from the queue) go in one statement, and so do the successes of the jobs ending in the same
 * turn. Each statement is a commit, and a commit waits for its WAL flush: one per batch rather than
 * one per job. DataLoader collects the calls of one tick (nothing is cached: `cache: false`).
 */
import DataLoader from 'dataloader';
import type { JobRow } from '../../db/entities/index.js';
import type { EventBus } from '../events/event-bus.js';
import { jobLogEventSql } from './job-log-writer.js';
import type { QueueStatement } from './job-queue.js';
import { jobEventSql, toJob } from './job-service.js';

export interface Claim {
  jobId: string;
  /** A continuation of the attempt (JobContinue) rather than a new attempt. */
  continued: boolean;
}

export interface Success {
  jobId: string;
  result: unknown;
  /** The job's queue entry, completed by the same statement (see `completion`). */
  queueJobId?: string;
}

export interface Succeeded {
  job: JobRow | null;
  /** Whether the statement also completed the job's queue entry. */
  queueCompleted: boolean;
}

/** Where the two statements go: the worker sends them as prepared statements (`preparedQuery`). */
export interface ClaimsDb {
  query(text: string, values: unknown[]): Promise<Record<string, unknown>[]>;
}

/**
 * `completion`: the statement that completes queue entries, to carry as a CTE of the successes'
 * (`captureQueueCompletion`); a success and its queue entry's completion are then one commit.
 */
export function createJobClaims(db: ClaimsDb, events: Pick<EventBus, 'notify'>, completion?: (queueJobIds: string[]) => Promise<QueueStatement | null>) {
  /** Each job marked running (one more attempt, with its first log line, unless it continues); null for one cancelled or finished. */
  const claims = new DataLoader<Claim, JobRow | null>(async (batch) => {
    const rows: Record<string, unknown>[] = await db.query(
      `WITH x AS (SELECT * FROM unnest($1::uuid[], $2::boolean[]) AS x(id, continued)),
            j AS (UPDATE jobs SET state = 'running', attempts = attempts + CASE WHEN x.continued THEN 0 ELSE 1 END,
                                  started_at = coalesce(started_at, now()), updated_at = now()
                    FROM x WHERE jobs.id = x.id AND jobs.state IN ('queued', 'running') RETURNING jobs.*, x.continued),
            l AS (INSERT INTO job_logs (job_id, level, line)
                  SELECT j.id, 'info', 'attempt ' || j.attempts || ' of ' || j.max_attempts || ' started' FROM j WHERE NOT j.continued
                  RETURNING id, job_id)
       SELECT j.*, ${jobEventSql('j')} AS job_event,
              (SELECT ${jobLogEventSql('j.id')} FROM l WHERE l.job_id = j.id HAVING count(*) > 0) AS log_event
         FROM j`,
      [batch.map((c) => c.jobId), batch.map((c) => c.continued)],
    );
    events.notify(undefined, rows.flatMap((r) => [r.job_event as string, r.log_event as string | null]));
    const byId = new Map(rows.map((r) => [r.id as string, toJob(r)]));
    return batch.map((c) => byId.get(c.jobId) ?? null);
  }, { cache: false });

  /** Each job marked succeeded with its result (masked already by the caller), and its queue entry completed. */
  const successes = new DataLoader<Success, Succeeded>(async (batch) => {
    const queueJobIds = batch.flatMap((s) => (s.queueJobId ? [s.queueJobId] : []));
    const q = completion && queueJobIds.length ? await completion(queueJobIds) : null;
    const first = q ? q.values.length : 0; // ours follow the completion's parameters
    const rows = await db.query(
      `WITH ${q ? `q AS (${q.text}), ` : ''}x AS (SELECT * FROM unnest($${first + 1}::uuid[], $${first + 2}::jsonb[]) AS x(id, result)),
            j AS (UPDATE jobs SET state = 'succeeded', progress = 100, result = x.result, error = NULL, finished_at = now(), updated_at = now()
                    FROM x WHERE jobs.id = x.id RETURNING jobs.*)
       SELECT j.*, ${jobEventSql('j')} AS job_event FROM j`,
      [...(q?.values ?? []), batch.map((s) => s.jobId), batch.map((s) => (s.result === null || s.result === undefined ? null : JSON.stringify(s.result)))],
    );
    events.notify(undefined, rows.map((r) => r.job_event as string));
    const byId = new Map(rows.map((r) => [r.id as string, toJob(r)]));
    return batch.map((s) => ({ job: byId.get(s.jobId) ?? null, queueCompleted: q !== null && !!s.queueJobId }));
  }, { cache: false });

  return {
    claim: (c: Claim) => claims.load(c),
    succeed: (s: Success) => successes.load(s),
  };
}
