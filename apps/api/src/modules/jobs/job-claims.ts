/**
 * The two writes every job run makes, batched: the claims of the jobs a worker fetches together go
 * in the fetch's own statement (pg-boss's fetch carried as a CTE), and the successes of the jobs
 * ending in the same turn in one statement with their queue entries' completion. Each statement is
 * a commit, and a commit waits for its WAL flush: one per batch rather than one per job. Claims of
 * jobs not fetched that way are batched per tick by DataLoader (nothing cached: `cache: false`).
 */
import DataLoader from 'dataloader';
import type { JobRow } from '../../db/entities/index.js';
import type { EventBus } from '../events/event-bus.js';
import { jobLogEventSql } from './job-log-writer.js';
import type { QueueMessage, QueueStatement } from './job-queue.js';
import { jobEventSql, toJob } from './job-service.js';

export interface Claim {
  jobId: string;
  /** A continuation of the attempt (JobContinue) rather than a new attempt. */
  continued: boolean;
}

/** A queue entry taken by `fetchAndClaim`, its message with its job claimed (null: cancelled or finished meanwhile). */
export interface FetchedJob {
  id: string;
  data: QueueMessage & { claimed: JobRow | null };
  expireInSeconds: number;
}

// The claim of the jobs in CTE x (id, continued, fetched_as: the queue entry they came with, if
// any): marked running, one more attempt unless continued, and a new attempt's first log line.
const CLAIM = `j AS (UPDATE jobs SET state = 'running', attempts = attempts + CASE WHEN x.continued THEN 0 ELSE 1 END,
                                  started_at = coalesce(started_at, now()), updated_at = now()
                    FROM x WHERE jobs.id = x.id AND jobs.state IN ('queued', 'running') RETURNING jobs.*, x.continued, x.fetched_as),
            l AS (INSERT INTO job_logs (job_id, level, line)
                  SELECT j.id, 'info', 'attempt ' || j.attempts || ' of ' || j.max_attempts || ' started' FROM j WHERE NOT j.continued
                  RETURNING id, job_id)`;
// The claimed jobs' events (none for an entry whose job was not claimed).
const CLAIM_EVENTS = `CASE WHEN j.id IS NOT NULL THEN ${jobEventSql('j')} END AS job_event,
              (SELECT ${jobLogEventSql('j.id')} FROM l WHERE l.job_id = j.id HAVING count(*) > 0) AS log_event`;

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
  const announce = (rows: Record<string, unknown>[]) =>
    events.notify(undefined, rows.flatMap((r) => [r.job_event as string | null, r.log_event as string | null]));

  /** Each job marked running (one more attempt, with its first log line, unless it continues); null for one cancelled or finished. */
  const claims = new DataLoader<Claim, JobRow | null>(async (batch) => {
    const rows = await db.query(
      `WITH x AS (SELECT *, NULL::uuid AS fetched_as FROM unnest($1::uuid[], $2::boolean[]) AS x(id, continued)),
            ${CLAIM}
       SELECT j.*, ${CLAIM_EVENTS} FROM j`,
      [batch.map((c) => c.jobId), batch.map((c) => c.continued)],
    );
    announce(rows);
    const byId = new Map(rows.map((r) => [r.id as string, toJob(r)]));
    return batch.map((c) => byId.get(c.jobId) ?? null);
  }, { cache: false });

  /**
   * Takes jobs from the queue and claims them in one statement: `fetch` is pg-boss's own fetch
   * (`captureQueueFetch`), carried as a CTE. Each entry comes with its job claimed, or null when the
   * job was cancelled or finished meanwhile.
   */
  async function fetchAndClaim(fetch: QueueStatement): Promise<FetchedJob[]> {
    const rows = await db.query(
      `WITH f AS (${fetch.text}),
            x AS (SELECT (f.data->>'jobId')::uuid AS id, coalesce((f.data->>'continued')::boolean, false) AS continued, f.id AS fetched_as FROM f),
            ${CLAIM}
       SELECT f.id AS fetched_id, f.data AS fetched_data, f."expireInSeconds" AS fetched_expire_in, j.*, ${CLAIM_EVENTS}
         FROM f LEFT JOIN j ON j.fetched_as = f.id`,
      fetch.values,
    );
    announce(rows);
    return rows.map((r) => ({
      id: r.fetched_id as string,
      data: { ...(r.fetched_data as QueueMessage), claimed: r.id ? toJob(r) : null },
      expireInSeconds: Number(r.fetched_expire_in),
    }));
  }

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
    fetchAndClaim,
    claim: (c: Claim) => claims.load(c),
    succeed: (s: Success) => successes.load(s),
  };
}
