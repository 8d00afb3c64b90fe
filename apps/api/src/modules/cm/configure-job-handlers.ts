import pLimit from 'p-limit';
import type { DataSource } from 'typeorm';
import type { EventBus } from '../events/event-bus.js';
import type { JobContext, JobHandler, JobHandlers } from '../jobs/job-runner.js';
import type { JobPayloads } from '../jobs/job-types.js';
import type { JobService } from '../jobs/job-service.js';
import { queueFirstConfigure, type ConfigureQueueDeps } from './configure-queue.js';
import type { CmServices } from './cm-services.js';
import { createNodeConfigurer, type ConfigureOutcome } from './node-configurer.js';

export function createConfigureJobHandlers(deps: {
  db: DataSource;
  events: Pick<EventBus, 'publish'>;
  jobs: Pick<JobService, 'activeFor'>;
  cm: CmServices;
}) {
  const { serverRoles, kitchen, sshWait } = deps.cm;
  const configurer = createNodeConfigurer({ db: deps.db, events: deps.events, serverRoles, kitchen, sshWait });
  const configure: JobHandler = {
    run: async (ctx) => ({ ...(await configurer.configure(ctx.job.targetId, ctx)) }),
  };

  const apply: JobHandler = {
    async run(ctx: JobContext) {
      const { concurrency } = ctx.job.payload as JobPayloads['server-role.apply'];
      const nodes = await serverRoles.nodesOf(ctx.job.targetId);
      ctx.log(`applying to ${nodes.length} node(s), ${concurrency} at a time`);
      const limit = pLimit(concurrency);
      let done = 0;
      const results = await Promise.all(
        nodes.map((node) =>
          limit(async (): Promise<ConfigureOutcome> => {
            const log = (line: string, level?: 'info' | 'warn' | 'error') => ctx.log(`[${node.name}] ${line}`, level);
            try {
              const active = await deps.jobs.activeFor(node.id);
              if (active) throw new Error(`skipped: a ${active.type} job (${active.id}) is in progress`);
              return await configurer.configure(node.id, { signal: ctx.signal, log, mask: ctx.mask });
            } catch (err) {
              log((err as Error).message, 'error');
              return { nodeId: node.id, name: node.name, ok: false, error: (err as Error).message };
            } finally {
              await ctx.progress((++done / nodes.length) * 100);
            }
          }),
        ),
      );
      const failed = results.filter((r) => !r.ok);
      if (failed.length > 0) throw new Error(`${failed.length} of ${results.length} node(s) failed: ${failed.map((r) => r.name).join(', ')}`);
      ctx.log(`all ${results.length} node(s) configured`);
      return { results };
    },
  };

  return { 'node.configure': configure, 'server-role.apply': apply } satisfies Record<string, JobHandler>;
}

/**
 * A node made from a server role is configured once its create job has it running: the create job
 * itself stays the ordinary one (same retries, cancel and failure handling), and on success queues
 * the node's first node.configure job, which is then retried or re-run on its own.
 */
export function chainConfigureAfterCreate(handlers: JobHandlers, deps: ConfigureQueueDeps): void {
  const create = handlers['node.create'];
  handlers['node.create'] = {
    ...create,
    async run(ctx) {
      const result = await create.run(ctx);
      const job = await queueFirstConfigure(deps, ctx.job.targetId, ctx.job.createdBy);
      if (!job) return result;
      ctx.log(`queued configure job ${job.id} (server role)`);
      return { ...(result ?? {}), configureJobId: job.id };
    },
  };
}
