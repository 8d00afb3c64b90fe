/**
 * Expiry of series names (`metric_series`) that nothing writes any more and whose points have all
 * expired: the perfdata series of a deleted check (`check.<checkId>.<label>`), and every series of a
 * destroyed or decommissioned node. Their points go with the partitions; without this their names
 * would stay for ever, and a node's deleted checks would take up its MAX_SERIES_PER_NODE for good.
 * Series of live nodes' readings (a filesystem unmounted) are kept: the agent may report them again,
 * and an API process keeps the ids of its agents' series in memory.
 */
import type { DataSource } from 'typeorm';
import type { Tier, TierName } from './metric-tiers.js';

export function createSeriesExpiry(deps: { db: Pick<DataSource, 'query'>; tiers: Record<TierName, Tier>; batchSize?: number }) {
  const batchSize = deps.batchSize ?? 1000;
  // A series younger than the raw tier's retention may have points still on their way.
  const minAgeSeconds = deps.tiers.raw.retentionSeconds + 3600;

  return {
    /** Deletes at most batchSize such series; returns how many. */
    async purge(): Promise<number> {
      const [, deleted] = (await deps.db.query(
        `DELETE FROM metric_series WHERE id IN (
           SELECT s.id FROM metric_series s
            WHERE s.created_at < now() - make_interval(secs => $1)
              AND ((s.name LIKE 'check.%' AND substring(s.name FROM 7 FOR 36) NOT IN (SELECT id::text FROM checks))
                   OR EXISTS (SELECT 1 FROM nodes n WHERE n.id = s.node_id AND (n.destroyed_at IS NOT NULL OR n.decommissioned_at IS NOT NULL)))
              -- Coarsest first: a series with any point left is usually found there at once.
              AND NOT EXISTS (SELECT 1 FROM metric_1h c WHERE c.series_id = s.id)
              AND NOT EXISTS (SELECT 1 FROM metric_5m c WHERE c.series_id = s.id)
              AND NOT EXISTS (SELECT 1 FROM metric_1m c WHERE c.series_id = s.id)
              AND NOT EXISTS (SELECT 1 FROM metric_raw r WHERE r.node_id = s.node_id AND s.id = ANY (r.series))
            LIMIT $2)`,
        [minAgeSeconds, batchSize],
      )) as [unknown, number];
      return deleted;
    },
  };
}

export type SeriesExpiry = ReturnType<typeof createSeriesExpiry>;
