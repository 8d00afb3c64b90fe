import type { ProviderDriver } from '@overmind/provider';
import pLimit from 'p-limit';
import { In, type DataSource } from 'typeorm';
import { NodeEntity, type NodeRow } from '../../db/entities/index.js';
import { agentTargets } from '../agents/agent-targets.js';
import type { RunRequest, RunService } from '../agents/run-service.js';
import { JobDeferred, type JobContext, type JobHandler } from '../jobs/job-runner.js';
import type { JobPayloads } from '../jobs/job-types.js';
import type { ProviderService } from '../providers/provider-service.js';
import type { NodeCommandService } from './node-command-service.js';
import { unmanagedReason } from './node-registration-service.js';

export interface NodeCommandOutcome {
  nodeId: string;
  /** Null when the command did not run to an exit status (unreachable node, signal, timeout). */
  exitCode: number | null;
  /** Ran and exited 0. */
  ok: boolean;
  error?: string;
}

/** One command on many registered servers: output lines and exit codes in the job log, one result per node. */
export function createNodeCommandHandlers(deps: {
  db: DataSource;
  providers: Pick<ProviderService, 'get' | 'driverFor'>;
  commands: Pick<NodeCommandService, 'envOf' | 'forgetEnv'>;
  runs: Pick<RunService, 'create'>;
  /** How long an agent's command may wait for its agent and result. */
  runDeadlineSeconds: number;
}) {
  const nodes = deps.db.getRepository(NodeEntity);

  /**
   * Nodes served by their agent: those with one, when they are in pull mode or cannot be reached over
   * SSH by their provider. Their commands become runs; the job ends when the last run does.
   */
  async function agentNodeIds(payload: JobPayloads['nodes.run'], rows: Map<string, NodeRow>): Promise<Set<string>> {
    const targets = await agentTargets(deps.db, payload.nodeIds);
    const out = new Set<string>();
    for (const id of payload.nodeIds) {
      const node = rows.get(id);
      const target = targets.get(id);
      if (!node || !target?.hasAgent || node.destroyedAt || node.decommissionedAt) continue;
      if (target.mode === 'pull' || unmanagedReason(node)) out.add(id);
    }
    return out;
  }

  function commandRun(payload: JobPayloads['nodes.run'], env: Record<string, string> | undefined, nodeId: string): RunRequest {
    const timeoutSeconds = payload.timeoutSeconds ?? 600;
    return {
      nodeId,
      run: { kind: 'command', spec: { command: payload.command, timeoutSeconds, ...(env ? { env } : {}) } },
      deadline: new Date(Date.now() + Math.max(deps.runDeadlineSeconds, timeoutSeconds + 60) * 1000),
    };
  }

  async function runAll(ctx: JobContext, payload: JobPayloads['nodes.run'], env: Record<string, string> | undefined, skip: Set<string>): Promise<NodeCommandOutcome[]> {
    const rows = new Map((await nodes.findBy({ id: In(payload.nodeIds) })).map((n) => [n.id, n]));
    const drivers = new Map<string, Promise<ProviderDriver>>();
    const driverOf = (providerId: string) => {
      let driver = drivers.get(providerId);
      if (!driver) {
        driver = deps.providers.get(providerId).then((p) => deps.providers.driverFor(p));
        drivers.set(providerId, driver);
      }
      return driver;
    };
    const options = {
      signal: ctx.signal,
      log: (line: string) => ctx.log(line),
      ...(payload.timeoutSeconds ? { timeoutMs: payload.timeoutSeconds * 1000 } : {}),
      ...(env ? { env } : {}),
    };

    async function runOne(id: string): Promise<NodeCommandOutcome> {
      const node: NodeRow | undefined = rows.get(id);
      const refused = node ? unmanagedReason(node) : 'no longer exists';
      const name = node?.name ?? id;
      try {
        if (refused) throw new Error(refused);
        const driver = await driverOf(node!.providerId);
        if (!driver.runCommandOnNodes) throw new Error('its provider cannot run commands');
        // The driver prefixes every output line with the node's name.
        const [result] = await driver.runCommandOnNodes([node!.providerNodeId!], payload.command, options);
        if (!result!.ok) throw new Error(result!.error.message);
        ctx.log(`[${name}] exit code ${result!.exitCode ?? 'none (killed by a signal)'}`, result!.exitCode === 0 ? 'info' : 'warn');
        return { nodeId: id, exitCode: result!.exitCode, ok: result!.exitCode === 0 };
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        ctx.log(`[${name}] did not run: ${error}`, 'error');
        return { nodeId: id, exitCode: null, ok: false, error };
      }
    }

    try {
      // Without a limit of its own, the command runs everywhere at once, within each provider's own bound.
      const ssh = payload.nodeIds.filter((id) => !skip.has(id));
      const limit = pLimit(payload.concurrency ?? Math.max(1, ssh.length));
      return await Promise.all(ssh.map((id) => limit(() => runOne(id))));
    } finally {
      for (const driver of drivers.values()) await driver.then((d) => d.close?.()).catch(() => {});
    }
  }

  const run: JobHandler = {
    async run(ctx) {
      const payload = ctx.job.payload as JobPayloads['nodes.run'];
      try {
        const env = deps.commands.envOf(payload);
        // Before anything can print them: the values are masked in every line of this job's log.
        if (env) ctx.mask(...Object.values(env));
        const n = payload.nodeIds.length;
        const names = payload.envNames?.length ? ` (environment: ${payload.envNames.join(', ')})` : '';
        ctx.log(`running on ${n} node(s)${payload.concurrency ? `, ${payload.concurrency} at a time` : ''}${names}: ${payload.command}`);
        const rows = new Map((await nodes.findBy({ id: In(payload.nodeIds) })).map((node) => [node.id, node]));
        const viaAgent = await agentNodeIds(payload, rows);
        const results = await runAll(ctx, payload, env, viaAgent);
        if (viaAgent.size > 0) {
          // The environment goes with each run, sealed in its row.
          await deps.db.transaction((m) => deps.runs.create(m, ctx.job, [...viaAgent].map((id) => commandRun(payload, env, id)), { results }));
          return new JobDeferred(`${viaAgent.size} node(s) run it through their agent: ${[...viaAgent].map((id) => rows.get(id)!.name).join(', ')}`);
        }
        ctx.log(`${results.filter((r) => r.ok).length} of ${n} node(s) exited 0`);
        return { results };
      } finally {
        if (payload.envSealed) await deps.commands.forgetEnv(ctx.job.id);
      }
    },
  };

  return { 'nodes.run': run } satisfies Record<string, JobHandler>;
}
