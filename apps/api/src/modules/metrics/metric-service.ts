/**
 * Readings history as a service: the tiers from the configuration, the partitions and roll-ups the
 * worker maintains every minute, and the reads of the API.
 */
import type { DataSource } from 'typeorm';
import type { MetricsSettings } from '../../config.js';
import { createMetricPartitions } from './metric-partitions.js';
import { createMetricQuery } from './metric-query.js';
import { createMetricRollups } from './metric-rollups.js';
import { createSeriesExpiry } from './metric-series-expiry.js';
import { metricTiers } from './metric-tiers.js';

export function createMetricService(deps: { db: DataSource; settings: MetricsSettings; log: { info(obj: unknown, msg: string): void } }) {
  const tiers = metricTiers(deps.settings);
  const partitions = createMetricPartitions({ db: deps.db, tiers, log: deps.log });
  const rollups = createMetricRollups({ db: deps.db, tiers });
  const reads = createMetricQuery({ db: deps.db, tiers, rollups });
  const series = createSeriesExpiry({ db: deps.db, tiers });
  let seriesPurgedAt = 0;
  return {
    tiers,
    partitions,
    rollups,
    series,
    ...reads,
    /**
     * The worker's once-a-minute task: partitions made ahead and expired ones dropped, then the
     * roll-ups; once an hour, series names nothing writes whose points have all expired.
     */
    async maintain(now = Date.now()) {
      const changes = await partitions.maintain(now);
      const rolled = await rollups.rollUp(now);
      let seriesExpired = 0;
      if (now - seriesPurgedAt >= 3600_000) {
        seriesPurgedAt = now;
        seriesExpired = await series.purge();
      }
      return { ...changes, rolled, seriesExpired };
    },
  };
}

export type MetricService = ReturnType<typeof createMetricService>;
