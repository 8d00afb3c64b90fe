/**
 * Drift correction for pull nodes: a server role with a converge interval has each of its pull nodes
 * converge again once that long has passed since its last configure, offset per node by up to the
 * role's splay (a stable share of it, from the node's id) so a thousand nodes do not start at once.
 */
import type { DataSource } from 'typeorm';
import { NodeEntity } from '../../db/entities/index.js';
import { enqueueConfigure, type ConfigureQueueDeps } from './configure-queue.js';

/** At most this many configures are queued per scheduler round (once a minute). */
const MAX_PER_ROUND = 500;

export function createPeriodicConverge(deps: ConfigureQueueDeps & { db: DataSource }) {
  return {
    async queueDue(): Promise<number> {
      return deps.db.transaction(async (m) => {
        const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtext('overmind.periodic-converge')) AS locked`);
        if (!locked) return 0;
        const due: { id: string }[] = await m.query(
          `SELECT n.id FROM server_role_nodes s
             JOIN server_roles r ON r.id = s.server_role_id
             JOIN nodes n ON n.id = s.node_id
            WHERE r.converge_interval_seconds IS NOT NULL
              AND coalesce(n.config_mode, r.config_mode) = 'pull'
              AND n.agent_id IS NOT NULL AND n.destroyed_at IS NULL AND n.decommissioned_at IS NULL
              AND n.state IN ('running', 'error')
              AND coalesce(s.last_configured_at, '-infinity') <
                  now() - make_interval(secs => r.converge_interval_seconds + abs(hashtext(n.id::text)) % (r.converge_splay_seconds + 1))
              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.target_id = n.id AND j.state IN ('queued', 'running'))
            ORDER BY s.last_configured_at NULLS FIRST
            LIMIT ${MAX_PER_ROUND}
            FOR UPDATE OF n SKIP LOCKED`,
        );
        for (const { id } of due) await enqueueConfigure(deps, m, await m.findOneByOrFail(NodeEntity, { id }), null);
        return due.length;
      });
    },
  };
}
