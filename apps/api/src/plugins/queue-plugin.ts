import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type PgBoss from 'pg-boss';
import { startBoss } from '../modules/jobs/job-queue.js';
import type { Config } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    boss: PgBoss;
  }
}

const ADMIN_SHUTDOWN = '57P01';

/** pg-boss in the same Postgres: the queue API processes send to and workers take from. */
export const queuePlugin = fp(
  async (app: FastifyInstance, opts: { url: string; config: Config }) => {
    const boss = await startBoss(
      opts.url,
      {
        retries: opts.config.jobRetries,
        timeoutSeconds: opts.config.jobTimeoutSeconds,
        maintenanceSeconds: opts.config.maintenanceSeconds,
        alertRetries: opts.config.alerts.notifyRetries,
      },
      (err) => {
        // The server ending a session (Postgres shutting down or restarting, 57P01) is expected when
        // stopping and survivable otherwise: pg-boss reconnects. Anything else is an error.
        if ((err as { code?: string }).code === ADMIN_SHUTDOWN) app.log.warn('job queue: the database server closed a connection');
        else app.log.error({ err }, 'job queue error');
      },
    );
    app.decorate('boss', boss);
    app.addHook('onClose', async () => {
      await boss.stop({ graceful: true, timeout: 10_000, wait: true });
    });
  },
  { name: 'queue', fastify: '5.x' },
);
