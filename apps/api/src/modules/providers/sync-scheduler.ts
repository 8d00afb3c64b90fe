import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../lib/actor.js';
import type { JobService } from '../jobs/job-service.js';

/**
 * Queues the periodic provider work: a node sync for every provider whose own sync interval has
 * passed, and a catalog refresh (images, sizes, locations) for every provider whose catalog is older
 * than `catalogMaxAgeSeconds`, each only when none is queued or running already.
 */
export function createSyncScheduler(deps: { db: DataSource; jobs: Pick<JobService, 'enqueue'>; actor: Actor; catalogMaxAgeSeconds: number }) {
  async function queue(m: EntityManager, type: 'provider.sync' | 'provider.refresh', dueSql: string, params: unknown[]): Promise<number> {
    const due: { id: string }[] = await m.query(
      `SELECT p.id FROM providers p
        WHERE p.deleted_at IS NULL AND (${dueSql})
          AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.target_id = p.id AND j.type = $1 AND j.state IN ('queued', 'running'))`,
      [type, ...params],
    );
    for (const { id } of due) {
      await deps.jobs.enqueue(m, { type, targetType: 'provider', targetId: id, providerId: id, createdBy: deps.actor.id });
    }
    return due.length;
  }

  return {
    async queueDue(): Promise<{ syncs: number; refreshes: number }> {
      return deps.db.transaction(async (m) => {
        // One scheduler at a time across processes; the others skip this round.
        const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtext('overmind.sync-scheduler')) AS locked`);
        if (!locked) return { syncs: 0, refreshes: 0 };
        const syncs = await queue(m, 'provider.sync', 'p.last_sync_at IS NULL OR p.last_sync_at + make_interval(secs => p.sync_interval_seconds) <= now()', []);
        const refreshes = await queue(m, 'provider.refresh', 'p.catalog_refreshed_at IS NULL OR p.catalog_refreshed_at + make_interval(secs => $2) <= now()', [deps.catalogMaxAgeSeconds]);
        return { syncs, refreshes };
      });
    },
  };
}
