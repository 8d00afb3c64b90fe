/**
 * Asking for an agent install over SSH: checks that Overmind has SSH access to the node (409 naming
 * what is missing), then queues the `node.agent-install` job. The install itself is the worker's
 * (agent-installer.ts).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { NodeEntity, type JobRow, type NodeRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { AuditService } from '../audit/audit-service.js';
import { NoNodeAccessError, type NodeAccess, type NodeAccessKind } from '../cm/node-access.js';
import type { JobService } from '../jobs/job-service.js';

export interface AgentInstallOptions {
  /** install.sh's paths under this root, installed as the login user: for logins that may not become root. */
  prefix?: string;
}

export function createAgentInstallService(deps: {
  db: DataSource;
  jobs: Pick<JobService, 'enqueue'>;
  audit: Pick<AuditService, 'record'>;
  access: Pick<NodeAccess, 'kind'>;
}) {
  const { db, jobs, audit } = deps;

  /** The access an install would use; 409 when there is none. */
  async function accessTo(node: NodeRow): Promise<NodeAccessKind> {
    if (!node.providerNodeId) throw new ConflictError(`Node ${node.name} does not exist at its provider yet`);
    try {
      return await deps.access.kind(node);
    } catch (err) {
      if (err instanceof NoNodeAccessError) throw new ConflictError(err.message);
      throw err;
    }
  }

  /** Queues the install in the caller's transaction (after a registration, say). */
  async function queue(m: EntityManager, node: NodeRow, createdBy: string | null, options: AgentInstallOptions): Promise<JobRow> {
    return jobs.enqueue(m, {
      type: 'node.agent-install',
      targetType: 'node',
      targetId: node.id,
      providerId: node.providerId,
      createdBy,
      payload: options.prefix ? { prefix: options.prefix } : {},
      // Each attempt mints a token and runs install.sh: a failed one is for an operator to look at.
      retries: 0,
    });
  }

  return {
    queue,

    async request(actor: Actor, nodeId: string, options: AgentInstallOptions): Promise<JobRow> {
      const node = await db.getRepository(NodeEntity).findOneBy({ id: nodeId });
      if (!node) throw new NotFoundError('Node', nodeId);
      const via = await accessTo(node);
      return db.transaction(async (m) => {
        const locked = await m.findOneOrFail(NodeEntity, { where: { id: nodeId }, lock: { mode: 'pessimistic_write' } });
        if (locked.destroyedAt || locked.decommissionedAt) throw new ConflictError(`Node ${locked.name} is gone`);
        // Only another install is in the way: a pull configure waiting for this very agent is not.
        const [busy]: { id: string }[] = await m.query(
          `SELECT id FROM jobs WHERE target_id = $1 AND type = 'node.agent-install' AND state IN ('queued', 'running') LIMIT 1`,
          [nodeId],
        );
        if (busy) throw new ConflictError(`Node ${locked.name} has an agent install in progress (job ${busy.id}); wait for it to finish`);
        const job = await queue(m, locked, actor.id, options);
        await audit.record(actor, 'node.agent-install', { type: 'node', id: nodeId }, { jobId: job.id, via, prefix: options.prefix ?? null }, { manager: m });
        return job;
      });
    },
  };
}

export type AgentInstallService = ReturnType<typeof createAgentInstallService>;
