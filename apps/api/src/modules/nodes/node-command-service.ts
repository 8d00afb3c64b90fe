import type { DataSource, EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { NodeEntity, type JobRow, type JobState, type NodeRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, ConflictError, NotFoundError } from '../../lib/errors.js';
import type { SecretBox } from '../../lib/secret-box.js';
import { SecretMask } from '@overmind/cm';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';
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

export interface CommandHistoryEntry {
  id: string;
  command: string;
  nodeIds: string[];
  jobId: string | null;
  jobState: JobState | null;
  createdAt: string;
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
    /** In `manager`'s transaction when given. */
    async run(actor: Actor, input: RunCommandInput, manager?: EntityManager): Promise<JobRow> {
      const ids = [...new Set(input.nodeIds)];
      const rows = await db.getRepository(NodeEntity).findBy({ id: In(ids) });
      const byId = new Map(rows.map((n) => [n.id, n]));
      const missing = ids.filter((id) => !byId.has(id));
      if (missing.length === 1) throw new NotFoundError('Node', missing[0]!);
      if (missing.length > 1) throw new AppError(404, 'Not Found', `Nodes ${missing.join(', ')} do not exist`);

      const providerIds = [...new Set(rows.map((n) => n.providerId))];
      const refusedBy = await runnableProviders(providerIds);
      // A node whose agent is enrolled runs it through the agent, whatever its provider can do.
      const gone = (n: NodeRow) => (n.destroyedAt ? 'destroyed' : n.decommissionedAt ? 'decommissioned' : null);
      const refused = ids
        .map((id) => byId.get(id)!)
        .map((n: NodeRow) => ({ name: n.name, reason: gone(n) ?? (n.agentId ? null : (refusedBy.get(n.providerId) ?? unmanagedReason(n))) }))
        .filter((r) => r.reason);
      if (refused.length > 0) {
        throw new ConflictError(`Cannot run commands on ${refused.map((r) => `${r.name} (${r.reason})`).join(', ')}: commands need a registered server or an enrolled agent`);
      }

      const env = input.env && Object.keys(input.env).length > 0 ? input.env : undefined;
      // Names are recorded; values only sealed, and masked if the command text repeats them.
      const mask = new SecretMask();
      if (env) mask.add(...Object.values(env));
      const envNames = env ? Object.keys(env).sort() : undefined;
      const inTransaction = <T>(fn: (m: EntityManager) => Promise<T>) => (manager ? fn(manager) : db.transaction(fn));
      return inTransaction(async (m) => {
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
        if (actor.id) {
          await m.query('INSERT INTO command_history (user_id, command, node_ids, job_id) VALUES ($1, $2, $3, $4)', [actor.id, details.command, ids, job.id]);
        }
        return job;
      });
    },

    /** The commands `actor` ran, newest first, with their job's state (null once the job is gone). */
    async history(actor: Actor, page: PageRequest): Promise<Page<CommandHistoryEntry>> {
      if (!actor.id) return { items: [], page: page.page, limit: page.limit, total: 0 };
      const [rows, [count]] = await Promise.all([
        db.query(
          `SELECT h.id, h.command, h.node_ids AS "nodeIds", h.job_id AS "jobId", j.state AS "jobState", h.created_at AS "createdAt"
             FROM command_history h LEFT JOIN jobs j ON j.id = h.job_id
            WHERE h.user_id = $1 ORDER BY h.created_at DESC, h.id LIMIT $2 OFFSET $3`,
          [actor.id, page.limit, offset(page)],
        ),
        db.query('SELECT count(*)::int AS total FROM command_history WHERE user_id = $1', [actor.id]),
      ]);
      const items = (rows as (Omit<CommandHistoryEntry, 'createdAt'> & { createdAt: Date })[]).map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
      return { items, page: page.page, limit: page.limit, total: (count as { total: number }).total };
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
