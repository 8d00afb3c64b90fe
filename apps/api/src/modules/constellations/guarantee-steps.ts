/**
 * The rungs of the remediation ladder, each queued as an ordinary job in the reconciler's transaction
 * (so a step is recorded with its job, or neither is): restart a service (a `nodes.run` command, through
 * the node's agent or its SSH login), converge (`node.configure`), reboot (`node.reboot`: the provider's
 * API, the BMC for dedicated servers), replace (a `constellation.replace` parent whose apply steps create
 * a member under a fresh key, configure it, and then destroy the old one; then configure again the
 * members of the tiers that depend on the replaced one, whose outputs now name the new member).
 */
import type { EntityManager } from 'typeorm';
import { NodeEntity, ServerRoleNodeEntity, type JobRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { enqueueConfigure, type ConfigureQueueDeps } from '../cm/configure-queue.js';
import type { NodeCommandService } from '../nodes/node-command-service.js';
import type { NodeService } from '../nodes/node-service.js';
import type { GuaranteePolicy, Remediation } from './guarantee-policy.js';

export interface StepTarget {
  constellationId: string;
  /** The spec version the members follow (the one a replacement is created from). */
  version: number;
  tier: string;
  ordinal: number;
  nodeId: string;
  policy: GuaranteePolicy;
}

export type StepStarter = (m: EntityManager, actor: Actor, target: StepTarget) => Promise<JobRow>;
export type StepStarters = Record<Remediation, StepStarter>;

export function createGuaranteeSteps(deps: ConfigureQueueDeps & {
  nodes: Pick<NodeService, 'act'>;
  commands: Pick<NodeCommandService, 'run'>;
}): StepStarters {
  return {
    async 'restart-service'(m, actor, t) {
      if (!t.policy.restartService) throw new Error('the tier names no restartService');
      // The name is checked by the spec's schema (letters, digits, @._-): nothing else reaches the shell.
      return deps.commands.run(actor, { nodeIds: [t.nodeId], command: `systemctl restart ${t.policy.restartService}`, timeoutSeconds: 120 }, m);
    },

    async converge(m, actor, t) {
      const node = await m.findOne(NodeEntity, { where: { id: t.nodeId }, lock: { mode: 'pessimistic_write' } });
      if (!node || node.destroyedAt || node.decommissionedAt) throw new Error('the node is gone');
      if (!(await m.findOneBy(ServerRoleNodeEntity, { nodeId: t.nodeId }))) throw new Error('the member has no server role to converge');
      return enqueueConfigure(deps, m, node, actor.id);
    },

    async reboot(m, actor, t) {
      return deps.nodes.act(actor, t.nodeId, 'reboot', m);
    },

    async replace(m, actor, t) {
      // The lowest key free in the tier: not a member's, nor one a replacement in flight is creating.
      const [{ ordinal }] = await m.query(
        `SELECT min(o)::int AS ordinal FROM generate_series(1, 1 + (SELECT count(*) FROM constellation_members WHERE constellation_id = $1 AND tier = $2)
                                                         + (SELECT count(*) FROM constellation_steps s JOIN jobs j ON j.id = s.job_id
                                                             WHERE j.target_id = $1 AND j.state IN ('queued', 'running') AND s.tier = $2 AND s.action = 'create')) o
          WHERE NOT EXISTS (SELECT 1 FROM constellation_members WHERE constellation_id = $1 AND tier = $2 AND ordinal = o)
            AND NOT EXISTS (SELECT 1 FROM constellation_steps s JOIN jobs j ON j.id = s.job_id
                             WHERE j.target_id = $1 AND j.state IN ('queued', 'running') AND s.tier = $2 AND s.action = 'create' AND s.ordinal = o)`,
        [t.constellationId, t.tier],
      );
      const job = await deps.jobs.enqueue(m, {
        type: 'constellation.replace',
        targetType: 'constellation',
        targetId: t.constellationId,
        createdBy: actor.id,
        payload: { version: t.version, nodeId: t.nodeId },
        retries: 0,
      });
      await m.query(
        `INSERT INTO constellation_steps (job_id, seq, tier, ordinal, action, reasons, node_id, after_seq) VALUES
           ($1, 0, $2, $3, 'create', ARRAY['replaces ' || $5::text], NULL, NULL),
           ($1, 1, $2, $4, 'destroy', ARRAY['replaced by ' || $6::text], $7, 0)`,
        [job.id, t.tier, ordinal, t.ordinal, `${t.tier}-${t.ordinal}`, `${t.tier}-${ordinal}`, t.nodeId],
      );
      // The tier's outputs change with the swap: the members of the tiers that depend on it are configured
      // again once the old member is gone (the handler runs them after the tier's own steps).
      await m.query(
        `INSERT INTO constellation_steps (job_id, seq, tier, ordinal, action, reasons, node_id, after_seq)
         SELECT $1, 1 + row_number() OVER (ORDER BY mb.tier, mb.ordinal), mb.tier, mb.ordinal, 'configure',
                ARRAY['outputs of ' || $3::text || ' change: ' || $4::text || ' replaced by ' || $5::text], mb.node_id, 1
           FROM constellation_members mb
           JOIN nodes n ON n.id = mb.node_id AND n.destroyed_at IS NULL AND n.decommissioned_at IS NULL
           JOIN server_role_nodes srn ON srn.node_id = mb.node_id
           JOIN constellation_versions v ON v.constellation_id = mb.constellation_id AND v.version = $2
          WHERE mb.constellation_id = $6
            AND EXISTS (SELECT 1 FROM jsonb_array_elements(v.spec->'tiers') d
                         WHERE d->>'name' = mb.tier AND coalesce(d->'dependsOn', '[]'::jsonb) ? $3)`,
        [job.id, t.version, t.tier, `${t.tier}-${t.ordinal}`, `${t.tier}-${ordinal}`, t.constellationId],
      );
      return job;
    },
  };
}
