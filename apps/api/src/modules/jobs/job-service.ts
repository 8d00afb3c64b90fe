import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { DataSource, EntityManager } from 'typeorm';
import { JobEntity, type JobRow, type JobState } from '../../db/entities/index.js';
import { preparedQuery } from '../../db/prepared-query.js';
import type { Actor } from '../../lib/actor.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';
import { returning } from '../../lib/sql.js';
import type { AuditService } from '../audit/audit-service.js';
import { EVENTS_CHANNEL, type EventBus } from '../events/event-bus.js';
import { nodeEvent, type NodeEventRow } from '../nodes/node-events.js';
import { JOB_QUEUE, WAKE_CHANNEL, captureQueueInsert, foldable, runQueueInserts, type QueueMessage } from './job-queue.js';
import type { RunService } from '../agents/run-service.js';
import type { EnqueueRequest, JobType } from './job-types.js';

export interface JobFilter extends PageRequest {
  state?: JobState;
  type?: JobType;
  target?: string;
  providerId?: string;
  order: 'asc' | 'desc';
}

export interface JobLogLine {
  id: string;
  at: Date;
  level: string;
  line: string;
}

// A job's error in its event: enough to show; the job itself has all of it. Keeps the NOTIFY
// payload (8000 bytes at most) small whatever a driver or a node put in the error.
const EVENT_ERROR_CHARS = 1000;

/**
 * The job event built by Postgres for statements that change a job and announce it in one round
 * trip; the same shape as jobEvent() below (keep them in step).
 */
export function jobEventSql(alias: string): string {
  return `json_build_object('type', 'job', 'id', ${alias}.id, 'state', ${alias}.state, 'jobType', ${alias}.type,
    'targetId', ${alias}.target_id, 'progress', ${alias}.progress, 'error', left(${alias}.error, ${EVENT_ERROR_CHARS}))::text`;
}

/** Maps a raw `jobs` row (snake_case) to JobRow. */
export function toJob(r: Record<string, unknown>): JobRow {
  return {
    id: r.id as string,
    type: r.type as JobType,
    targetType: r.target_type as string,
    targetId: r.target_id as string,
    providerId: (r.provider_id as string | null) ?? null,
    state: r.state as JobRow['state'],
    progress: r.progress as number,
    attempts: r.attempts as number,
    maxAttempts: r.max_attempts as number,
    payload: r.payload as Record<string, unknown>,
    result: (r.result as Record<string, unknown> | null) ?? null,
    error: (r.error as string | null) ?? null,
    queueJobId: (r.queue_job_id as string | null) ?? null,
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: r.created_at as Date,
    startedAt: (r.started_at as Date | null) ?? null,
    finishedAt: (r.finished_at as Date | null) ?? null,
    updatedAt: r.updated_at as Date,
  };
}

export function jobEvent(job: JobRow) {
  return {
    type: 'job' as const,
    id: job.id,
    state: job.state,
    jobType: job.type,
    targetId: job.targetId,
    progress: job.progress,
    error: typeof job.error === 'string' ? job.error.slice(0, EVENT_ERROR_CHARS) : job.error,
  };
}

const NODE_EVENT_COLUMNS = `id, provider_id AS "providerId", name, state, public_ips AS "publicIps",
  private_ips AS "privateIps", destroyed_at AS "destroyedAt", decommissioned_at AS "decommissionedAt"`;

/**
 * A cancelled node job never ran: a node that was to be created never existed at its provider, and a
 * node that was to be rebooted (or stopped...) is back in the state it had.
 * Returns the node as it is now, for its event.
 */
async function undoNodeTransition(m: EntityManager, job: JobRow, actor: Actor): Promise<NodeEventRow | undefined> {
  if (job.targetType !== 'node') return undefined;
  if (job.type === 'node.create' || job.type === 'node.register') {
    const [node] = await returning<NodeEventRow>(
      m,
      `UPDATE nodes SET state = 'terminated', destroyed_at = now(), destroyed_by = $2, updated_at = now() WHERE id = $1 RETURNING ${NODE_EVENT_COLUMNS}`,
      [job.targetId, actor.id],
    );
    return node;
  }
  if (typeof job.payload.previousState !== 'string') return undefined;
  const [node] = await returning<NodeEventRow>(
    m,
    `UPDATE nodes SET state = $2, updated_at = now() WHERE id = $1 RETURNING ${NODE_EVENT_COLUMNS}`,
    [job.targetId, job.payload.previousState],
  );
  return node;
}

export function createJobService(deps: {
  db: DataSource;
  boss: PgBoss;
  events: Pick<EventBus, 'publish' | 'notify'>;
  audit: Pick<AuditService, 'record'>;
  retries: number;
  /** Jobs carried out by agents can be cancelled while running: their runs are stopped on the nodes. */
  runs: Pick<RunService, 'cancelJob'>;
}) {
  const { db, boss, events } = deps;
  const jobs = db.getRepository(JobEntity);

  return {
    /**
     * Records a job and queues it in the caller's transaction: both exist after commit, or neither.
     * Idle workers are woken by NOTIFY at commit.
     */
    async enqueue(manager: EntityManager, request: EnqueueRequest): Promise<JobRow> {
      const retries = request.retries ?? deps.retries;
      // Both ids are made here so that the job row, its queue entry and the row's event text go in
      // one statement: this is on the path of every action.
      const queueJobId = randomUUID();
      const jobId = randomUUID();
      const message: QueueMessage = { jobId };
      const queued = await captureQueueInsert(boss, JOB_QUEUE, message, { id: queueJobId, retryLimit: retries });
      const fold = foldable(queued);
      const first = fold ? queued[0].values.length : 0; // the job's parameters follow pg-boss's
      const $ = (n: number) => `$${first + n}`;
      const jobValues = [
        jobId, queueJobId, request.type, request.targetType, request.targetId, request.providerId ?? null, retries + 1,
        JSON.stringify(request.payload ?? {}), request.createdBy ?? null,
      ];
      if (!fold) await runQueueInserts(manager, queued);
      const sql = `WITH ${fold ? `q AS (${queued[0].text}), ` : ''}j AS (
           INSERT INTO jobs (id, queue_job_id, type, target_type, target_id, provider_id, state, progress, attempts, max_attempts, payload, created_by)
           VALUES (${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)}, ${$(6)}, 'queued', 0, 0, ${$(7)}, ${$(8)}, ${$(9)}) RETURNING *)
         SELECT j.*, ${jobEventSql('j')} AS job_event${fold ? ', (SELECT count(*)::int FROM q) AS queued' : ''} FROM j`;
      // Prepared: Postgres plans it once per connection, not on every action. One row in, one back.
      const [row] = (await preparedQuery(manager, sql, fold ? [...queued[0].values, ...jobValues] : jobValues)) as [Record<string, any>];
      // pg-boss inserts nothing for a queue it does not know (its INSERT joins the queue table).
      if (fold && row.queued !== 1) throw new Error(`queue ${JOB_QUEUE} did not take job ${jobId}`);
      const job = toJob(row);
      // The job's event and the workers' wake-up, once the job is committed.
      deps.events.notify(manager, [row.job_event]);
      deps.events.notify(manager, [job.id], WAKE_CHANNEL);
      return job;
    },

    async get(id: string): Promise<JobRow> {
      const job = await jobs.findOneBy({ id });
      if (!job) throw new NotFoundError('Job', id);
      return job;
    },

    async list(filter: JobFilter): Promise<Page<JobRow>> {
      const qb = jobs.createQueryBuilder('j');
      if (filter.state) qb.andWhere('j.state = :state', { state: filter.state });
      if (filter.type) qb.andWhere('j.type = :type', { type: filter.type });
      if (filter.target) qb.andWhere('j.targetId = :target', { target: filter.target });
      if (filter.providerId) qb.andWhere('j.providerId = :providerId', { providerId: filter.providerId });
      qb.orderBy('j.createdAt', filter.order === 'asc' ? 'ASC' : 'DESC')
        .addOrderBy('j.id', 'ASC')
        .skip(offset(filter))
        .take(filter.limit);
      const [items, total] = await qb.getManyAndCount();
      return { items, total, page: filter.page, limit: filter.limit };
    },

    /**
     * Log lines with `after` < id < `before`, oldest first: the first `limit` of them, or with
     * `tail` the newest `limit` (how a reader starts on a long log). `total` counts the job's lines.
     */
    async logs(id: string, range: { after?: number; before?: number; limit?: number; tail?: boolean } = {}): Promise<{ items: JobLogLine[]; total: number }> {
      await this.get(id);
      const { after = 0, before = null, limit = 1000, tail = false } = range;
      const where = 'job_id = $1 AND id > $2 AND ($3::bigint IS NULL OR id < $3)';
      const page = `SELECT id, at, level, line FROM job_logs WHERE ${where} ORDER BY id ${tail ? 'DESC' : 'ASC'} LIMIT $4`;
      const [items, [{ total }]] = await Promise.all([
        db.query(`SELECT p.id::text AS id, p.at, p.level, p.line FROM (${page}) p ORDER BY p.id`, [id, after, before, limit]),
        db.query('SELECT count(*)::int AS total FROM job_logs WHERE job_id = $1', [id]),
      ]);
      return { items, total };
    },

    /**
     * Cancels a job that has not started, or one its nodes' agents are carrying out (each run is
     * stopped on its node). Other running jobs cannot be taken back from their provider.
     */
    async cancel(actor: Actor, id: string): Promise<JobRow> {
      const job = await db.transaction(async (m) => {
        const row = await m.findOne(JobEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!row) throw new NotFoundError('Job', id);
        if (row.state === 'running' && (await deps.runs.cancelJob(m, id, actor))) {
          await deps.audit.record(actor, 'job.cancel', { type: 'job', id }, { jobType: row.type, agentRuns: true }, { manager: m });
          return (await m.findOneByOrFail(JobEntity, { id }));
        }
        if (row.state !== 'queued' || row.attempts > 0) {
          throw new ConflictError(`Job ${id} is ${row.attempts > 0 && row.state === 'queued' ? 'waiting to retry' : row.state}; only jobs that have not started, or that agents are running, can be cancelled`);
        }
        row.state = 'cancelled';
        row.finishedAt = new Date();
        await m.save(JobEntity, row);
        const node = await undoNodeTransition(m, row, actor);
        await deps.audit.record(actor, 'job.cancel', { type: 'job', id }, { jobType: row.type }, { manager: m });
        await events.publish(jobEvent(row), m);
        if (node) await events.publish(nodeEvent(node), m);
        return row;
      });
      if (job.queueJobId) await boss.cancel(JOB_QUEUE, job.queueJobId).catch(() => {});
      return job;
    },

    /** Active (queued or running) job on a target, if any. */
    async activeFor(targetId: string, manager: EntityManager = db.manager): Promise<JobRow | null> {
      return manager
        .getRepository(JobEntity)
        .createQueryBuilder('j')
        .where('j.targetId = :targetId', { targetId })
        .andWhere(`j.state IN ('queued', 'running')`)
        .orderBy('j.createdAt', 'DESC')
        .getOne();
    },
  };
}

export type JobService = ReturnType<typeof createJobService>;
