import pg from 'pg';
import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';

export const JOB_QUEUE = 'overmind-jobs';
export const DEAD_LETTER_QUEUE = 'overmind-jobs-dead';
export const SCHEDULER_QUEUE = 'overmind-sync-scheduler';
/** Alert notifications (webhooks, e-mail): retried with exponential backoff, apart from the jobs table. */
export const ALERT_NOTIFY_QUEUE = 'overmind-alert-notify';
/** NOTIFY channel that wakes idle workers the moment a job is queued, instead of at the next poll. */
export const WAKE_CHANNEL = 'overmind_jobs_wake';

export interface QueueSettings {
  retries: number;
  timeoutSeconds: number;
  maintenanceSeconds: number;
  /** Retries of an alert notification. */
  alertRetries: number;
}

export interface QueueMessage {
  jobId: string;
  /** A later run of a job that waits on others (JobContinue): not a new attempt. */
  continued?: boolean;
}

/** Starts pg-boss in the `pgboss` schema of the same Postgres and declares Overmind's queues. */
export async function startBoss(url: string, settings: QueueSettings, onError: (err: Error) => void): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    schema: 'pgboss',
    max: 10,
    application_name: 'overmind-queue',
    maintenanceIntervalSeconds: settings.maintenanceSeconds,
  });
  boss.on('error', onError);
  // Processes starting together (api, api, worker) would otherwise install pg-boss's schema and
  // declare the queues concurrently, which can deadlock: one at a time, under an advisory lock.
  const lock = new pg.Client({ connectionString: url, application_name: 'overmind-queue-setup' });
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtext('overmind.queue-setup'))`);
    await boss.start();
    await declareQueues(boss, settings);
  } catch (err) {
    await boss.stop({ graceful: false, wait: false }).catch(() => {});
    throw err;
  } finally {
    await lock.end().catch(() => {});
  }
  return boss;
}

async function declareQueues(boss: PgBoss, settings: QueueSettings): Promise<void> {
  const options = {
    retryLimit: settings.retries,
    retryDelay: 1,
    retryBackoff: true,
    expireInSeconds: settings.timeoutSeconds,
    deadLetter: DEAD_LETTER_QUEUE,
  };
  await boss.createQueue(DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE });
  await boss.createQueue(JOB_QUEUE, { name: JOB_QUEUE, ...options });
  await boss.updateQueue(JOB_QUEUE, { name: JOB_QUEUE, ...options });
  await boss.createQueue(SCHEDULER_QUEUE, { name: SCHEDULER_QUEUE });
  // 1 s, 2 s, 4 s... (pg-boss adds jitter); a delivery takes at most 15 s.
  const notify = { name: ALERT_NOTIFY_QUEUE, retryLimit: settings.alertRetries, retryDelay: 1, retryBackoff: true, expireInSeconds: 60 };
  await boss.createQueue(ALERT_NOTIFY_QUEUE, notify);
  await boss.updateQueue(ALERT_NOTIFY_QUEUE, notify);
}

/** Lets pg-boss insert its job in the caller's TypeORM transaction, so a job row never lacks its queue entry. */
export function inTransaction(manager: EntityManager): PgBoss.Db {
  return {
    executeSql: async (text: string, values?: unknown[]) => ({ rows: await manager.query(text, values) }),
  } as PgBoss.Db;
}

/** A statement pg-boss would run, captured through its `db` option instead. */
export interface QueueStatement {
  text: string;
  values: unknown[];
}

/** A `db` for pg-boss that records its statements and answers each with `rows`. */
function recorder(captured: QueueStatement[], rows: Record<string, unknown>[]): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[] = []) => {
      captured.push({ text, values });
      return { rows };
    },
  } as PgBoss.Db;
}

/**
 * The statement pg-boss runs to queue a job, captured rather than run, so that the caller can send
 * it with its own row in one statement (one round trip on the path of every action). pg-boss sends
 * through the `db` it is given and, with an id set, needs nothing back but that id. If a later
 * pg-boss ever queued in another shape than one INSERT, it is run as pg-boss would (`runQueueInserts`).
 */
export async function captureQueueInsert(boss: PgBoss, queue: string, message: QueueMessage, options: { id: string; retryLimit: number }): Promise<QueueStatement[]> {
  const captured: QueueStatement[] = [];
  await boss.send(queue, message, { ...options, db: recorder(captured, [{ id: options.id }]) });
  return captured;
}

/** Whether a captured queue insert can be one data-modifying CTE of the caller's statement. */
export const foldable = (inserts: QueueStatement[]): inserts is [QueueStatement] =>
  inserts.length === 1 && /^\s*INSERT\b[\s\S]*\bRETURNING\b[^;]*$/i.test(inserts[0]!.text);

/** Runs captured queue inserts as pg-boss would have, in the caller's transaction; each must queue its job. */
export async function runQueueInserts(manager: EntityManager, inserts: QueueStatement[]): Promise<void> {
  for (const { text, values } of inserts) await manager.query(text, values);
}

/**
 * pg-boss's fetch of up to `batchSize` entries of `queue` (a `WITH … UPDATE … RETURNING` of the
 * entries' id, data and "expireInSeconds"), captured rather than run, for the worker to carry as a
 * CTE of the statement that claims their jobs. Null if this pg-boss fetches in any other shape.
 */
export async function captureQueueFetch(boss: PgBoss, queue: string, batchSize: number): Promise<QueueStatement | null> {
  const captured: QueueStatement[] = [];
  await boss.fetch(queue, { batchSize, db: recorder(captured, []) });
  const [fetch] = captured;
  const fits = captured.length === 1 && /^\s*WITH\b[\s\S]*\bUPDATE\b[\s\S]*\bRETURNING\b[^;]*"expireInSeconds"[^;]*$/i.test(fetch!.text);
  return fits ? fetch! : null;
}

// pg-boss 10 completes with `WITH results AS (UPDATE … RETURNING *) SELECT COUNT(*) FROM results`.
const COMPLETION = /^\s*WITH\s+results\s+AS\s*\(\s*(UPDATE\b[\s\S]*\bRETURNING\b[^;()]*)\)\s*SELECT\s+COUNT\(\*\)\s+FROM\s+results\s*$/i;

/**
 * pg-boss's completion of the queue entries `ids`, captured rather than run, as the one
 * `UPDATE … RETURNING` a caller's statement can carry as a CTE (a data-modifying CTE cannot hold a
 * WITH of its own): the worker completes the entries of the jobs that succeeded in the statement
 * that records their success. Null if this pg-boss completes in any other shape: then it is run as
 * pg-boss would.
 */
export async function captureQueueCompletion(boss: PgBoss, queue: string, ids: string[]): Promise<QueueStatement | null> {
  const captured: QueueStatement[] = [];
  // pg-boss 10 reads (name, ids, data, options); its typings offer (name, ids, options), which it would take as data.
  const complete = boss.complete.bind(boss) as unknown as (name: string, ids: string[], data: null, options: { db: PgBoss.Db }) => Promise<unknown>;
  await complete(queue, ids, null, { db: recorder(captured, [{ count: ids.length }]) });
  const update = captured.length === 1 ? COMPLETION.exec(captured[0]!.text)?.[1] : undefined;
  return update ? { text: update, values: captured[0]!.values } : null;
}
