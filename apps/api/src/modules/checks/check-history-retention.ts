/**
 * Expiry of check state history (`check_state_changes`, one row per state change of a check on a
 * node: it grows for as long as checks flap). Run by the worker's once-a-minute task; rows older than
 * the retention go in batches, oldest first, so a first run over a long backlog never holds one huge
 * transaction or takes the whole minute.
 */
import type { DataSource } from 'typeorm';

export function createCheckHistoryRetention(deps: {
  db: Pick<DataSource, 'query'>;
  retentionDays: number;
  /** Rows per DELETE, and DELETEs per run at most. */
  batchSize?: number;
  maxBatches?: number;
}) {
  const batchSize = deps.batchSize ?? 5000;
  const maxBatches = deps.maxBatches ?? 20;

  return {
    /** Deletes rows older than the retention (at most batchSize × maxBatches); returns how many. */
    async purge(now = Date.now()): Promise<number> {
      const cutoff = new Date(now - deps.retentionDays * 86400_000).toISOString();
      let total = 0;
      for (let i = 0; i < maxBatches; i++) {
        const [, deleted] = (await deps.db.query(
          `DELETE FROM check_state_changes WHERE id IN (
             SELECT id FROM check_state_changes WHERE at < $1::timestamptz ORDER BY at LIMIT $2)`,
          [cutoff, batchSize],
        )) as [unknown, number];
        total += deleted;
        if (deleted < batchSize) break;
      }
      return total;
    },
  };
}

export type CheckHistoryRetention = ReturnType<typeof createCheckHistoryRetention>;
