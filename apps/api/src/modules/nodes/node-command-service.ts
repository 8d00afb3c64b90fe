import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { NodeEntity, type JobRow, type NodeRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, ConflictError, NotFoundError } from '../../lib/errors.js';
import type { SecretBox } from '../../lib/secret-box.js';
import { SecretMask } from '../../lib/secret-mask.js';
import type { AuditService } from '../audit/audit-service.js';
import type { JobService } from '../jobs/job-service.js';
import type { JobPayloads } from '../jobs/job-types.js';
import type { ProviderService } from '../providers/provider-service.js';
import { unmanagedReason } from './node-registration-service.js';

export interface RunCommandInput {
  nodeIds: string[];
  command: string;
  timeoutSeconds?: number;
  concurrency?: number;
  /** Variables for the command; the values may be secrets. */
  env?: Record<string, string>;
}

/** Queues one shell command on many registered servers, after checking every one of them can run it. */
export function createNodeCommandService(deps: {
  db: DataSource;
  secrets: SecretBox;
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

      const env = input.env && Object.keys(input.env).length > 0 ? input.env : undefined;
      // Names are recorded; values only sealed, and masked if the command text repeats them.
      const mask = new SecretMask();
      if (env) mask.add(...Object.values(env));
      const envNames = env ? Object.keys(env).sort() : undefined;
      return db.transaction(async (m) => {
        const job = await jobs.enqueue(m, {
          type: 'nodes.run',
          targetType: 'node',
          targetId: ids[0]!,
          providerId: providerIds.length === 1 ? providerIds[0]! : null,
          createdBy: actor.id,
          payload: {
            nodeIds: ids,
            command: input.command,
            timeoutSeconds: input.timeoutSeconds,
            concurrency: input.concurrency,
            ...(env ? { envNames, envSealed: deps.secrets.sealJson(env) } : {}),
          },
          // A command is not known to be safe to run twice.
          retries: 0,
        });
        const details = { command: mask.apply(input.command), nodeIds: ids, ...(envNames ? { env: envNames } : {}) };
        await audit.record(actor, 'nodes.run', { type: 'job', id: job.id }, details, { manager: m });
        return job;
      });
    },

    /** A queued command's variables, opened for the worker that runs it. */
    envOf(payload: JobPayloads['nodes.run']): Record<string, string> | undefined {
      return payload.envSealed ? deps.secrets.openJson<Record<string, string>>(payload.envSealed) : undefined;
    },

    /** Drops a command job's sealed variables once it ran: it is never run again (no retries). */
    async forgetEnv(jobId: string): Promise<void> {
      await db.query(`UPDATE jobs SET payload = payload - 'envSealed' WHERE id = $1 AND payload ? 'envSealed'`, [jobId]);
    },
  };
}

export type NodeCommandService = ReturnType<typeof createNodeCommandService>;
