import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type PgBoss from 'pg-boss';
import { listen } from '../lib/pg-listener.js';
import { systemActor } from '../lib/actor.js';
import { chainConfigureAfterCreate, createConfigureJobHandlers } from '../modules/cm/configure-job-handlers.js';
import { createJobRunner, type JobHandlers } from '../modules/jobs/job-runner.js';
import { DEAD_LETTER_QUEUE, JOB_QUEUE, SCHEDULER_QUEUE, WAKE_CHANNEL, type QueueMessage } from '../modules/jobs/job-queue.js';
import { createNodeCommandHandlers } from '../modules/nodes/node-command-handlers.js';
import { createNodeJobHandlers } from '../modules/nodes/node-job-handlers.js';
import { createNodeRegistrationHandlers } from '../modules/nodes/node-registration-handlers.js';
import { createProviderJobHandlers } from '../modules/providers/provider-job-handlers.js';
import { createSyncScheduler } from '../modules/providers/sync-scheduler.js';

export interface WorkerOptions {
  url: string;
  concurrency: number;
  timeoutSeconds: number;
  retryBaseMs: number;
  /** How often idle workers poll when no NOTIFY wakes them. */
  pollingIntervalSeconds: number;
  /** First and longest wait between provider polls while a node settles. */
  settlePollMs: { first: number; max: number };
  /** How long a node may sit in a settled state other than the one its action asked for before the job fails. */
  settleGraceMs: number;
  /** A provider's cached catalog is refreshed when older than this. */
  catalogRefreshSeconds: number;
}

/**
 * Runs jobs: `concurrency` pg-boss workers on one queue, woken by NOTIFY the moment a job is
 * queued (polling is only the fallback), plus the dead-letter handler and the once-a-minute
 * scheduler (provider syncs and catalog refreshes, purge of expired idempotency keys).
 */
export const workerPlugin = fp(
  async (app: FastifyInstance, opts: WorkerOptions) => {
    const { db, boss, events, services } = app;
    const handlers: JobHandlers = {
      ...createNodeJobHandlers({ db, providers: services.providers, events, pollMs: opts.settlePollMs, graceMs: opts.settleGraceMs }),
      ...createNodeRegistrationHandlers({ db, providers: services.providers, events, registrations: services.registrations }),
      ...createNodeCommandHandlers({ db, providers: services.providers, commands: services.commands }),
      ...createProviderJobHandlers({ db, providers: services.providers, catalog: services.catalog, sync: services.sync, events }),
      ...createConfigureJobHandlers({ db, events, jobs: services.jobs, cm: services.cm }),
      noop: { run: async () => undefined },
    };
    chainConfigureAfterCreate(handlers, { db, events, jobs: services.jobs });
    const runner = createJobRunner({
      db,
      boss,
      handlers,
      settings: { timeoutSeconds: opts.timeoutSeconds, retryBaseMs: opts.retryBaseMs },
      log: app.log,
    });

    const workOptions = { batchSize: 1, pollingIntervalSeconds: opts.pollingIntervalSeconds };
    const ids: string[] = [];
    for (let i = 0; i < opts.concurrency; i++) {
      let self = '';
      self = await boss.work<QueueMessage>(JOB_QUEUE, workOptions, async ([job]: PgBoss.Job<QueueMessage>[]) => {
        try {
          if (job) await runner.run(job.data);
        } finally {
          // pg-boss waits a polling interval after every job; a worker that just finished one
          // looks again at once, and only waits when the queue is empty.
          boss.notifyWorker(self);
        }
      });
      ids.push(self);
    }
    await boss.work<QueueMessage>(DEAD_LETTER_QUEUE, workOptions, async ([job]) => {
      if (job) await runner.abandon(job.data);
    });

    const scheduler = createSyncScheduler({ db, jobs: services.jobs, actor: systemActor('scheduler'), catalogMaxAgeSeconds: opts.catalogRefreshSeconds });
    await boss.schedule(SCHEDULER_QUEUE, '* * * * *');
    await boss.work(SCHEDULER_QUEUE, workOptions, async () => {
      const queued = await scheduler.queueDue();
      if (queued.syncs + queued.refreshes > 0) app.log.info(queued, 'queued scheduled provider syncs and catalog refreshes');
      // Expired keys are already ignored; this only keeps the table small.
      await services.idempotency.purgeExpired();
    });

    // Wake every idle worker of this process; those that find nothing go back to waiting. After the
    // connection was lost, wake them too: jobs queued meanwhile sent wake-ups nobody heard.
    const wakeAll = () => ids.forEach((id) => boss.notifyWorker(id));
    const wake = await listen(opts.url, WAKE_CHANNEL, wakeAll, app.log, wakeAll);
    app.addHook('onClose', async () => {
      await wake.close();
    });
  },
  { name: 'worker', fastify: '5.x', dependencies: ['services'] },
);
