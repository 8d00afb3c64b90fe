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
