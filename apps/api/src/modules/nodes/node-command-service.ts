import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { NodeEntity, type JobRow, type NodeRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, ConflictError, NotFoundError } from '../../lib/errors.js';
import type { AuditService } from '../audit/audit-service.js';
import type { JobService } from '../jobs/job-service.js';
import type { ProviderService } from '../providers/provider-service.js';
import { unmanagedReason } from './node-registration-service.js';

export interface RunCommandInput {
  nodeIds: string[];
  command: string;
  timeoutSeconds?: number;
  concurrency?: number;
}

/** Queues one shell command on many registered servers, after checking every one of them can run it. */
export function createNodeCommandService(deps: {
  db: DataSource;
  providers: Pick<ProviderService, 'get' | 'plugin'>;
  jobs: Pick<JobService, 'enqueue'>;
  audit: Pick<AuditService, 'record'>;
}) {
  const { db, providers, jobs, audit } = deps;

  /** Providers (by id) whose plugin can run commands; a deleted provider's nodes are decommissioned anyway. */
  async function runnableProviders(ids: string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (const id of ids) {
      const plugin = await providers.get(id).then((p) => providers.plugin(p.type), () => null);
      out.set(id, plugin && !plugin.capabilities.includes('runCommand') ? `${plugin.displayName} providers cannot run commands` : null);
    }
    return out;
  }

  return {
    async run(actor: Actor, input: RunCommandInput): Promise<JobRow> {
      const ids = [...new Set(input.nodeIds)];
      const rows = await db.getRepository(NodeEntity).findBy({ id: In(ids) });
      const byId = new Map(rows.map((n) => [n.id, n]));
      const missing = ids.filter((id) => !byId.has(id));
      if (missing.length === 1) throw new NotFoundError('Node', missing[0]!);
      if (missing.length > 1) throw new AppError(404, 'Not Found', `Nodes ${missing.join(', ')} do not exist`);

      const providerIds = [...new Set(rows.map((n) => n.providerId))];
      const refusedBy = await runnableProviders(providerIds);
      const refused = ids
        .map((id) => byId.get(id)!)
        .map((n: NodeRow) => ({ name: n.name, reason: refusedBy.get(n.providerId) ?? unmanagedReason(n) }))
        .filter((r) => r.reason);
      if (refused.length > 0) {
        throw new ConflictError(`Cannot run commands on ${refused.map((r) => `${r.name} (${r.reason})`).join(', ')}`);
      }

      return db.transaction(async (m) => {
        const job = await jobs.enqueue(m, {
          type: 'nodes.run',
          targetType: 'node',
          targetId: ids[0]!,
          providerId: providerIds.length === 1 ? providerIds[0]! : null,
          createdBy: actor.id,
          payload: { nodeIds: ids, command: input.command, timeoutSeconds: input.timeoutSeconds, concurrency: input.concurrency },
          // A command is not known to be safe to run twice.
          retries: 0,
        });
        await audit.record(actor, 'nodes.run', { type: 'job', id: job.id }, { command: input.command, nodeIds: ids }, { manager: m });
        return job;
      });
    },
  };
}

export type NodeCommandService = ReturnType<typeof createNodeCommandService>;
