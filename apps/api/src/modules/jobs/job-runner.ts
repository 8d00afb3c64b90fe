import type PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';
import { JobEntity, type JobRow } from '../../db/entities/index.js';
import { preparedQuery } from '../../db/prepared-query.js';
import { SecretMask } from '@overmind/cm';
import type { EventBus } from '../events/event-bus.js';
import type { MaybeTransaction } from '../events/post-commit-notifier.js';
import { JOB_QUEUE, captureQueueCompletion, captureQueueFetch, inTransaction, type QueueMessage } from './job-queue.js';
import { createJobClaims, type FetchedJob } from './job-claims.js';
import { JobLogWriter, describeLoss, type LogLevel } from './job-log-writer.js';
import { jobEventSql, toJob } from './job-service.js';
import { storableText } from './log-text.js';
import type { JobType } from './job-types.js';

export interface JobContext {
  job: JobRow;
  log(line: string, level?: LogLevel): void;
  progress(percent: number): Promise<void>;
  /** Aborts when the job runs out of time. */
  signal: AbortSignal;
  /**
   * Secret values this job handles: from now on they are masked (`***`) in its log lines, its error
   * and its result. Call it before the values can show up in output.
   */
  mask(...values: string[]): void;
}

/**
 * What a handler returns when the job goes on elsewhere: its nodes' agents carry it out (runs), and
 * the job ends when the last run does (see modules/agents/run-service.ts). The job stays `running`;
 * its queue entry is done, so it is neither retried nor expired by the queue.
 */
export class JobDeferred {
  constructor(readonly reason: string) {}
}

/**
 * What a handler returns when it waits on other jobs (a constellation apply waits on its members'
 * jobs): the job stays `running`, and runs again after `delayMs` without holding a worker meanwhile
 * (no attempt is counted). Each run must pick up where the last left off, from the database.
 */
export class JobContinue {
  constructor(readonly delayMs: number) {}
}

export interface JobHandler {
  run(ctx: JobContext): Promise<Record<string, unknown> | JobDeferred | JobContinue | void>;
  /** Called once when the job has failed for good (not between retries). */
  onFailure?(ctx: JobContext, error: string): Promise<void>;
}

export type JobHandlers = Record<JobType, JobHandler>;

interface RetryableLike {
  retryable?: boolean;
  retryAfterMs?: number;
}

/** A job's error is stored (and shown) with at most this many characters. */
const MAX_ERROR_CHARS = 4000;

/** The job ran, but some of its log could not be stored: it must not look like a clean success. */
class JobLogLostError extends Error {}

/** A queue entry's message as the worker runs it. */
export type RunMessage = QueueMessage & {
  /** Claimed by the fetch that took it (null: cancelled or finished meanwhile); absent: claim it now. */
  claimed?: JobRow | null;
};

export interface RunnerSettings {
  timeoutSeconds: number;
  retryBaseMs: number;
}

/** Runs one queued job: claims its row, calls its handler, and records the outcome. */
export function createJobRunner(deps: {
  db: DataSource;
  boss: PgBoss;
  events: Pick<EventBus, 'notify'>;
  handlers: JobHandlers;
  settings: RunnerSettings;
  log: { error(obj: unknown, msg: string): void; warn(obj: unknown, msg: string): void };
}) {
  const { db, handlers, settings } = deps;
  // Every job run sends these two: prepared, Postgres plans them once per connection.
  // A success completes its queue entry in the same statement.
  const claims = createJobClaims({ query: (text, values) => preparedQuery(db, text, values) }, deps.events, (ids) => captureQueueCompletion(deps.boss, JOB_QUEUE, ids));

  const columns = db.getMetadata(JobEntity);

  /** Updates a job row and publishes its new state, in one statement. */
  async function update(id: string, patch: Partial<JobRow>, manager: MaybeTransaction = db): Promise<JobRow> {
    const keys = Object.keys(patch) as (keyof JobRow)[];
    const set = keys.map((k, i) => `${columns.findColumnWithPropertyName(k)!.databaseName} = $${i + 2}`);
    const [row] = await manager.query(
      `WITH j AS (UPDATE jobs SET ${set.join(', ')}, updated_at = now() WHERE id = $1 RETURNING *)
       SELECT j.*, ${jobEventSql('j')} AS job_event FROM j`,
      [id, ...keys.map((k) => (k === 'result' && patch[k] !== null ? JSON.stringify(patch[k]) : patch[k]))],
    );
    deps.events.notify(manager, [row?.job_event]);
    return toJob(row);
  }

  function context(job: JobRow, signal: AbortSignal): JobContext & { writer: JobLogWriter; secrets: SecretMask } {
    const writer = new JobLogWriter(db, deps.events, job.id, (err, lines) => deps.log.error({ err, jobId: job.id, lines }, 'could not store job log lines'));
    const secrets = new SecretMask();
    return {
      job,
      writer,
      secrets,
      signal,
      mask: (...values) => secrets.add(...values),
      log: (line, level) => writer.write(secrets.apply(line), level),
      progress: async (percent) => {
        job.progress = Math.max(0, Math.min(100, Math.round(percent)));
        await update(job.id, { progress: job.progress });
      },
    };
  }

  async function fail(ctx: JobContext & { writer: JobLogWriter }, message: string): Promise<void> {
    // Callers pass the message masked already.
    ctx.log(`failed: ${message}`, 'error');
    await ctx.writer.flush();
    try {
      await handlers[ctx.job.type as JobType]?.onFailure?.(ctx, message);
    } catch (err) {
      deps.log.error({ err, jobId: ctx.job.id }, 'job failure hook failed');
    }
    await update(ctx.job.id, { state: 'failed', error: message, finishedAt: new Date() });
  }

  return {
    /**
     * Runs the job of a queue entry (`queueJobId`, pg-boss's id). Resolves true when the entry was
     * completed with the job's success; otherwise the caller completes it.
     */
    async run(message: RunMessage, queueJobId?: string): Promise<boolean> {
      // The claim and (for a new attempt) the attempt's first log line: made by the fetch that took
      // the job, or now in one statement with the other jobs started in this tick.
      const job = message.claimed !== undefined ? message.claimed : await claims.claim({ jobId: message.jobId, continued: message.continued === true });
      if (!job) return false; // cancelled or already finished
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error(`timed out after ${settings.timeoutSeconds} s`)), settings.timeoutSeconds * 1000);
      const ctx = context(job, controller.signal);
      try {
        const handler = handlers[job.type as JobType];
        if (!handler) throw new Error(`No handler for job type "${job.type}"`);
        const result = await handler.run(ctx);
        if (result instanceof JobContinue) {
          await ctx.writer.flush();
          await deps.boss.send(JOB_QUEUE, { jobId: job.id, continued: true } satisfies QueueMessage, {
            startAfter: new Date(Date.now() + result.delayMs),
            retryLimit: job.maxAttempts - job.attempts,
          });
          return false;
        }
        if (result instanceof JobDeferred) {
          ctx.log(result.reason);
          await ctx.writer.flush();
          return false;
        }
        await ctx.writer.flush();
        if (ctx.writer.loss) throw new JobLogLostError(describeLoss(ctx.writer.loss));
        const { queueCompleted } = await claims.succeed({ jobId: job.id, result: ctx.secrets.applyDeep(result ?? null), queueJobId });
        return queueCompleted;
      } catch (err) {
        // Whatever a driver or a node said, as it can be stored and announced (errors can quote output).
        let messageText = storableText(ctx.secrets.apply(err instanceof Error ? err.message : String(err)), MAX_ERROR_CHARS);
        await ctx.writer.flush();
        if (ctx.writer.loss && !(err instanceof JobLogLostError)) messageText += `; also, ${describeLoss(ctx.writer.loss)}`;
        const retry = err as RetryableLike;
        if (retry?.retryable && job.attempts < job.maxAttempts) {
          const backoff = settings.retryBaseMs * 2 ** (job.attempts - 1);
          const delayMs = Math.max(backoff, retry.retryAfterMs ?? 0);
          ctx.log(`attempt ${job.attempts} failed: ${messageText}; retrying in ${Math.ceil(delayMs / 1000)} s`, 'warn');
          await ctx.writer.flush();
          // Back to queued and re-sent together: a crash in between must not strand the job.
          await db.transaction(async (m) => {
            await update(job.id, { state: 'queued', error: messageText }, m);
            // A new attempt, even when the failed run was a continuation.
            await deps.boss.send(JOB_QUEUE, { jobId: job.id } satisfies QueueMessage, {
              db: inTransaction(m),
              startAfter: new Date(Date.now() + delayMs),
              retryLimit: job.maxAttempts - job.attempts,
            });
          });
        } else {
          if (!(err as RetryableLike)?.retryable && !(err instanceof Error && 'code' in err) && !(err instanceof JobLogLostError)) {
            deps.log.error({ err: ctx.secrets.applyError(err), jobId: job.id }, 'job failed');
          }
          await fail(ctx, messageText);
        }
        return false;
      } finally {
        clearTimeout(timer);
      }
    },

    /** Takes up to `batchSize` jobs from the queue, claimed by the same statement where pg-boss's fetch allows. */
    async fetch(batchSize: number): Promise<PgBoss.Job<RunMessage>[] | FetchedJob[]> {
      const fetch = await captureQueueFetch(deps.boss, JOB_QUEUE, batchSize);
      return fetch ? claims.fetchAndClaim(fetch) : deps.boss.fetch<RunMessage>(JOB_QUEUE, { batchSize });
    },

    /** pg-boss gave up on a job (its worker died or it expired, every attempt): record why. */
    async abandon(message: QueueMessage): Promise<void> {
      const rows = await db.getRepository(JobEntity).findBy({ id: message.jobId });
      const job = rows[0];
      if (!job || ['succeeded', 'failed', 'cancelled'].includes(job.state)) return;
      const ctx = context(job, new AbortController().signal);
      await fail(ctx, `the worker running this job stopped or timed out (attempt ${job.attempts} of ${job.maxAttempts})`);
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
