import type { DataSource } from 'typeorm';
import type { Actor } from '../../lib/actor.js';
import type { JobService } from '../jobs/job-service.js';

/** Queues a sync for every provider whose interval has passed and that has none queued or running. */
export function createSyncScheduler(deps: { db: DataSource; jobs: Pick<JobService, 'enqueue'>; actor: Actor }) {
  return {
    async queueDueSyncs(): Promise<number> {
      return deps.db.transaction(async (m) => {
        // One scheduler at a time across processes; the others skip this round.
        const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtext('overmind.sync-scheduler')) AS locked`);
        if (!locked) return 0;
        const due: { id: string }[] = await m.query(
          `SELECT p.id FROM providers p
            WHERE p.deleted_at IS NULL
              AND (p.last_sync_at IS NULL OR p.last_sync_at + make_interval(secs => p.sync_interval_seconds) <= now())
              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.target_id = p.id AND j.type = 'provider.sync'
                                AND j.state IN ('queued', 'running'))`,
        );
        for (const { id } of due) {
          await deps.jobs.enqueue(m, { type: 'provider.sync', targetType: 'provider', targetId: id, providerId: id, createdBy: deps.actor.id });
        }
        return due.length;
      });
    },
  };
}
