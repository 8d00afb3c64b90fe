import type { DataSource } from 'typeorm';
import { NodeEntity } from '../../db/entities/index.js';
import type { JobHandler, JobHandlers } from '../jobs/job-runner.js';
import type { JobPayloads } from '../jobs/job-types.js';
import type { AgentInstallService } from './agent-install-service.js';
import type { AgentInstaller } from './agent-installer.js';

/** `node.agent-install`: install.sh over SSH with a token minted for it, then wait for the agent to connect. */
export function createAgentInstallHandlers(deps: { db: DataSource; installer: Pick<AgentInstaller, 'install'> }) {
  const install: JobHandler = {
    async run(ctx) {
      const { prefix } = ctx.job.payload as JobPayloads['node.agent-install'];
      const node = await deps.db.getRepository(NodeEntity).findOneByOrFail({ id: ctx.job.targetId });
      if (node.destroyedAt || node.decommissionedAt) throw new Error(`node ${node.name} is gone`);
      return { ...(await deps.installer.install(node, { signal: ctx.signal, log: (line) => ctx.log(line), mask: ctx.mask, jobId: ctx.job.id }, { prefix: prefix ?? null })) };
    },
  };
  return { 'node.agent-install': install } satisfies Record<string, JobHandler>;
}

/**
 * A registration asked to install the agent (`installAgent`): once the register job has the server,
 * it queues the install, a job of its own that can fail and be re-run without registering again.
 */
export function chainAgentInstallAfterRegister(handlers: JobHandlers, deps: { db: DataSource; agentInstalls: Pick<AgentInstallService, 'queue'> }): void {
  const register = handlers['node.register'];
  handlers['node.register'] = {
    ...register,
    async run(ctx) {
      const result = await register.run(ctx);
      const { installAgent } = ctx.job.payload as JobPayloads['node.register'];
      if (!installAgent) return result;
      const job = await deps.db.transaction(async (m) => {
        const node = await m.findOneOrFail(NodeEntity, { where: { id: ctx.job.targetId }, lock: { mode: 'pessimistic_write' } });
        if (node.state !== 'running') {
          ctx.log(`${node.name} is ${node.state}: not installing its agent now (POST /api/v1/nodes/${node.id}/agent/install once it runs)`, 'warn');
          return null;
        }
        return deps.agentInstalls.queue(m, node, ctx.job.createdBy, installAgent);
      });
      if (!job) return result;
      ctx.log(`queued agent install job ${job.id}`);
      return { ...(result ?? {}), agentInstallJobId: job.id };
    },
  };
}
