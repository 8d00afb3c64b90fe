import pLimit from 'p-limit';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventBus } from '../events/event-bus.js';
import { agentTargets } from '../agents/agent-targets.js';
import type { RunRequest, RunService } from '../agents/run-service.js';
import { JobDeferred, type JobContext, type JobHandler, type JobHandlers } from '../jobs/job-runner.js';
import type { JobPayloads } from '../jobs/job-types.js';
import type { JobService } from '../jobs/job-service.js';
import { NodeEntity, type NodeRow } from '../../db/entities/index.js';
import type { AgentInstaller } from '../agents/agent-installer.js';
import type { ProviderService } from '../providers/provider-service.js';
import { nodeEvent } from '../nodes/node-events.js';
import { queueFirstConfigure, type ConfigureQueueDeps } from './configure-queue.js';
import type { CmServices } from './cm-services.js';
import { NoNodeAccessError } from './node-access.js';
import { createNodeConfigurer, type ConfigureOutcome } from './node-configurer.js';
import { convergeRun } from './pull-configure.js';
import { withOverlay, type OverlayLookup } from './config-overlay.js';

export function createConfigureJobHandlers(deps: {
  db: DataSource;
  events: Pick<EventBus, 'publish'>;
  jobs: Pick<JobService, 'activeFor'>;
  cm: CmServices;
  runs: Pick<RunService, 'create'>;
  runDeadlineSeconds: number;
  providers: Pick<ProviderService, 'get' | 'plugin'>;
  /** Installs the agent of a pull node that has none, over SSH, when its provider cannot carry it in user data. */
  installer: Pick<AgentInstaller, 'install'>;
  /** A constellation member's tier run list, attributes and outputs, over its role's. */
  overlay?: OverlayLookup;
}) {
  const { serverRoles, kitchen, archives, access } = deps.cm;
  const configurer = createNodeConfigurer({ db: deps.db, events: deps.events, serverRoles, kitchen, access, ...(deps.overlay ? { overlay: deps.overlay } : {}) });

  async function pullNodes(nodeIds: string[]): Promise<Set<string>> {
    const targets = await agentTargets(deps.db, nodeIds);
    return new Set(nodeIds.filter((id) => targets.get(id)?.mode === 'pull'));
  }

  /** The converge runs of pull nodes of one role. */
  async function convergeRuns(roleId: string, nodes: { id: string; name: string }[]): Promise<RunRequest[]> {
    const { role, secretAttributes } = await serverRoles.withSecret(roleId);
    return Promise.all(nodes.map(async (n) => convergeRun(n, withOverlay(role, (await deps.overlay?.(n.id)) ?? null), secretAttributes, archives, deps.runDeadlineSeconds)));
  }

  /**
   * A pull node with no agent yet gets one over SSH first, when Overmind can reach it and its
   * provider could not have started the install from user data (libvirt, dummy, registered servers).
   */
  async function installAgentFirst(node: NodeRow, ctx: JobContext): Promise<void> {
    if (node.agentId) return;
    const provider = await deps.providers.get(node.providerId).catch(() => null);
    if (provider && (await deps.providers.plugin(provider.type)).capabilities.includes('userData')) {
      ctx.log(`${node.name} has no agent yet; the install in its user data enrols it when the node boots`);
      return;
    }
    try {
      await access.kind(node);
    } catch (err) {
      if (!(err instanceof NoNodeAccessError)) throw err;
      ctx.log(`${node.name} has no agent, and Overmind cannot install one: ${err.message}. The converge waits for an agent to enrol.`, 'warn');
      return;
    }
    ctx.log(`${node.name} has no agent yet: installing it over SSH first`);
    await deps.installer.install(node, { signal: ctx.signal, log: (line) => ctx.log(line), mask: ctx.mask, jobId: ctx.job.id });
  }

  const configure: JobHandler = {
    async run(ctx) {
      const nodeId = ctx.job.targetId;
      if ((await pullNodes([nodeId])).size === 0) return { ...(await configurer.configure(nodeId, ctx)) };
      const member = await serverRoles.memberOf(nodeId);
      const node = await deps.db.getRepository(NodeEntity).findOneByOrFail({ id: nodeId });
      try {
        await installAgentFirst(node, ctx);
        const [run] = await convergeRuns(member.serverRoleId, [node]);
        await deps.db.transaction((m) => deps.runs.create(m, ctx.job, [run!]));
      } catch (err) {
        // Nothing was offered (no agent could be installed, no kitchen yet, the role is gone): the node does not stay `configuring`.
        await configurer.markFailed(node, (err as Error).message, ctx);
        throw err;
      }
      return new JobDeferred(`${node.name} is in pull mode: its agent converges it (the job ends with the agent's result)`);
    },
  };

  const apply: JobHandler = {
    async run(ctx: JobContext) {
      const { concurrency } = ctx.job.payload as JobPayloads['server-role.apply'];
      const all = await serverRoles.nodesOf(ctx.job.targetId);
      const pulled = await pullNodes(all.map((n) => n.id));
      const nodes = all.filter((n) => !pulled.has(n.id));
      ctx.log(`applying to ${all.length} node(s)${pulled.size ? ` (${pulled.size} through their agents)` : ''}, ${concurrency} at a time over SSH`);
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
      if (pulled.size > 0) {
        const runs = await convergeRuns(ctx.job.targetId, all.filter((n) => pulled.has(n.id)));
        await deps.db.transaction(async (m) => {
          for (const run of runs) await enqueueState(m, run.nodeId);
          await deps.runs.create(m, ctx.job, runs, { results });
        });
        return new JobDeferred(`${pulled.size} node(s) in pull mode converge through their agents; the job ends with their results`);
      }
      const failed = results.filter((r) => !r.ok);
      if (failed.length > 0) throw new Error(`${failed.length} of ${results.length} node(s) failed: ${failed.map((r) => r.name).join(', ')}`);
      ctx.log(`all ${results.length} node(s) configured`);
      return { results };
    },
  };

  /** A pull node of an apply shows `configuring` until its agent's result. */
  async function enqueueState(m: EntityManager, nodeId: string): Promise<void> {
    const [[node]] = await m.query(
      `UPDATE nodes SET state = 'configuring', updated_at = now() WHERE id = $1 AND destroyed_at IS NULL
       RETURNING id, provider_id AS "providerId", name, state, public_ips AS "publicIps", private_ips AS "privateIps", destroyed_at AS "destroyedAt", decommissioned_at AS "decommissionedAt"`,
      [nodeId],
    );
    if (node) await deps.events.publish(nodeEvent(node), m);
  }

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
