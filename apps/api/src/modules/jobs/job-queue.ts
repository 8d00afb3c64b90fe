import pg from 'pg';
import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';

export const JOB_QUEUE = 'overmind-jobs';
export const DEAD_LETTER_QUEUE = 'overmind-jobs-dead';
export const SCHEDULER_QUEUE = 'overmind-sync-scheduler';
/** NOTIFY channel that wakes idle workers the moment a job is queued, instead of at the next poll. */
export const WAKE_CHANNEL = 'overmind_jobs_wake';

export interface QueueSettings {
  retries: number;
  timeoutSeconds: number;
  maintenanceSeconds: number;
}

export interface QueueMessage {
  jobId: string;
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
}

/** Lets pg-boss insert its job in the caller's TypeORM transaction, so a job row never lacks its queue entry. */
export function inTransaction(manager: EntityManager): PgBoss.Db {
  return {
    executeSql: async (text: string, values?: unknown[]) => ({ rows: await manager.query(text, values) }),
  } as PgBoss.Db;
}
