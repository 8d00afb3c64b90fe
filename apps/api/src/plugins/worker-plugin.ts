import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type PgBoss from 'pg-boss';
import { listen } from '../lib/pg-listener.js';
import type { AlertNotification } from '../modules/alerts/alert-notifications.js';
import { systemActor } from '../lib/actor.js';
import { chainAgentInstallAfterRegister, createAgentInstallHandlers } from '../modules/agents/agent-install-handlers.js';
import { createAgentInstaller } from '../modules/agents/agent-installer.js';
import { withAgentUserData } from '../modules/agents/agent-user-data.js';
import { chainConfigureAfterCreate, createConfigureJobHandlers } from '../modules/cm/configure-job-handlers.js';
import { createPeriodicConverge } from '../modules/cm/periodic-converge.js';
import { createConstellationApplyHandlers } from '../modules/constellations/constellation-apply-handler.js';
import { startJobPump } from '../modules/jobs/job-pump.js';
import { createJobRunner, type JobHandlers, type RunMessage } from '../modules/jobs/job-runner.js';
import { ALERT_NOTIFY_QUEUE, DEAD_LETTER_QUEUE, JOB_QUEUE, SCHEDULER_QUEUE, WAKE_CHANNEL, type QueueMessage } from '../modules/jobs/job-queue.js';
import { createBalancerDrivers } from '../modules/balancers/balancer-drivers.js';
import { createBalancerJobHandlers } from '../modules/balancers/balancer-job-handlers.js';
import { createBalancerRefresh } from '../modules/balancers/balancer-refresh.js';
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
  /** How often a constellation apply looks at its member jobs. */
  stepPollMs: number;
}

/**
 * Runs jobs: up to `concurrency` at once from one queue (job-pump.ts: free slots fetched in one query),
 * woken by NOTIFY the moment a job is queued (polling is only the fallback), plus the dead-letter handler and the once-a-minute
 * scheduler (provider syncs and catalog refreshes, purge of expired idempotency keys, expiry of
 * check state history, readings
 * history partitions and roll-ups).
 */
export const workerPlugin = fp(
  async (app: FastifyInstance, opts: WorkerOptions) => {
    const { db, boss, events, services, config } = app;
    const installer = createAgentInstaller({
      db,
      access: services.cm.access,
      agentTokens: services.agentTokens,
      publicUrl: config.publicUrl,
      distDir: config.agents.distDir,
      defaultPrefix: config.agents.installPrefix,
    });
    const constellationSteps = createConstellationApplyHandlers({
      db, events, jobs: services.jobs, nodes: services.nodes, constellations: services.constellations, balancers: services.balancers, pollMs: opts.stepPollMs,
    });
    const balancerDrivers = createBalancerDrivers({ db, providers: services.providers, access: services.cm.access, haproxy: config.haproxy });
    const handlers: JobHandlers = {
      ...createNodeJobHandlers({ db, providers: services.providers, events, pollMs: opts.settlePollMs, graceMs: opts.settleGraceMs }),
      ...createNodeRegistrationHandlers({ db, providers: services.providers, events, registrations: services.registrations }),
      ...createNodeCommandHandlers({ db, providers: services.providers, commands: services.commands, runs: services.runs, runDeadlineSeconds: app.config.agents.runDeadlineSeconds }),
      ...createProviderJobHandlers({
        db, providers: services.providers, catalog: services.catalog, sync: services.sync, events,
        refreshBalancers: createBalancerRefresh({ db, drivers: balancerDrivers }),
      }),
      ...createConfigureJobHandlers({
        db, events, jobs: services.jobs, cm: services.cm, runs: services.runs, runDeadlineSeconds: config.agents.runDeadlineSeconds, providers: services.providers, installer,
        overlay: (nodeId) => services.constellations.overlayFor(nodeId),
      }),
      ...createAgentInstallHandlers({ db, installer }),
      'constellation.apply': constellationSteps.handler(),
      'constellation.destroy': constellationSteps.handler(),
      'constellation.replace': constellationSteps.handler(),
      ...createBalancerJobHandlers({ db, drivers: balancerDrivers }),
      noop: { run: async () => undefined },
    };
    withAgentUserData(handlers, { db, providers: services.providers, agentTokens: services.agentTokens, publicUrl: config.publicUrl });
    chainConfigureAfterCreate(handlers, { db, events, jobs: services.jobs });
    chainAgentInstallAfterRegister(handlers, { db, agentInstalls: services.agentInstalls });
    const runner = createJobRunner({
      db,
      boss,
      events: app.events,
      handlers,
      settings: { timeoutSeconds: opts.timeoutSeconds, retryBaseMs: opts.retryBaseMs },
      log: app.log,
    });

    const workOptions = { batchSize: 1, pollingIntervalSeconds: opts.pollingIntervalSeconds };
    const pump = startJobPump<RunMessage>({
      boss,
      queue: JOB_QUEUE,
      fetch: (batchSize) => runner.fetch(batchSize),
      concurrency: opts.concurrency,
      pollingIntervalSeconds: opts.pollingIntervalSeconds,
      run: (message, queueJobId) => runner.run(message, queueJobId),
      onError: (err) => app.log.error({ err }, 'job queue: fetching or completing jobs failed'),
    });
    // Before the queue stops (its onClose is registered earlier, so it runs later): the jobs running end.
    app.addHook('onClose', async () => {
      await pump.stop(10_000);
    });
    await boss.work<QueueMessage>(DEAD_LETTER_QUEUE, workOptions, async ([job]) => {
      if (job) await runner.abandon(job.data);
    });

    const converges = createPeriodicConverge({ db, events, jobs: services.jobs });
    const scheduler = createSyncScheduler({ db, jobs: services.jobs, actor: systemActor('scheduler'), catalogMaxAgeSeconds: opts.catalogRefreshSeconds });
    await boss.schedule(SCHEDULER_QUEUE, '* * * * *');
    await boss.work(SCHEDULER_QUEUE, workOptions, async () => {
      const queued = await scheduler.queueDue();
      if (queued.syncs + queued.refreshes > 0) app.log.info(queued, 'queued scheduled provider syncs and catalog refreshes');
      // API processes do this every few seconds; a worker alone still ends runs nobody took.
      await services.runs.sweepDeadlines();
      const drift = await converges.queueDue();
      if (drift > 0) app.log.info({ nodes: drift }, 'queued periodic converges of pull nodes');
      // Expired keys are already ignored; this only keeps the table small.
      await services.idempotency.purgeExpired();
      // Check state history past its retention, in batches.
      await services.checkHistory.purge().catch((err: unknown) => app.log.warn({ err }, 'check history expiry failed'));
      // Readings history: partitions ahead and expired ones dropped, then the roll-ups.
      await services.metrics.maintain().catch((err: unknown) => app.log.warn({ err }, 'readings history maintenance failed'));
    });

    // Alert notifications: a failed delivery throws, and pg-boss retries it with exponential backoff.
    const delivery = services.alertDelivery;
    await boss.work<AlertNotification>(ALERT_NOTIFY_QUEUE, workOptions, async ([job]) => {
      if (!job) return;
      try {
        await delivery.deliver(job.data);
      } catch (err) {
        app.log.warn({ channel: job.data.channel, queueJobId: job.id, reason: (err as Error).message }, 'alert notification not delivered; it is retried');
        throw err;
      }
    });
    app.addHook('onClose', async () => delivery.close());

    // Look for jobs at once; and after the connection was lost: jobs queued meanwhile sent wake-ups nobody heard.
    const wake = await listen(opts.url, WAKE_CHANNEL, pump.wake, app.log, pump.wake);
    app.addHook('onClose', async () => {
      await wake.close();
    });
  },
  { name: 'worker', fastify: '5.x', dependencies: ['services'] },
);
