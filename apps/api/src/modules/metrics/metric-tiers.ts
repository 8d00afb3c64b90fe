/**
 * The tiers of readings history: raw readings, then averages over 1 minute, 5 minutes and 1 hour,
 * each rolled up from the one before. Table names and intervals here are constants (never input),
 * so SQL is built from them directly.
 */
import type { MetricsSettings } from '../../config.js';

export type TierName = 'raw' | '1m' | '5m' | '1h';
export type RollupTierName = Exclude<TierName, 'raw'>;

export interface Tier {
  name: TierName;
  table: string;
  /** Seconds per point (raw: the readings interval, for choosing a tier). */
  stepSeconds: number;
  /** Seconds of buckets one row holds (raw: one reading per row). */
  chunkSeconds: number;
  /** Seconds one partition spans; partitions start at multiples of it since the epoch. */
  partitionSeconds: number;
  retentionSeconds: number;
  /** The tier it is rolled up from. */
  source: TierName | null;
}

const HOUR = 3600;
const DAY = 86400;

export function metricTiers(settings: MetricsSettings): Record<TierName, Tier> {
  const r = settings.retentionSeconds;
  return {
    raw: { name: 'raw', table: 'metric_raw', stepSeconds: settings.readingsIntervalSeconds || 15, chunkSeconds: 0, partitionSeconds: HOUR, retentionSeconds: r.raw, source: null },
    '1m': { name: '1m', table: 'metric_1m', stepSeconds: 60, chunkSeconds: 2 * HOUR, partitionSeconds: DAY, retentionSeconds: r['1m'], source: 'raw' },
    '5m': { name: '5m', table: 'metric_5m', stepSeconds: 300, chunkSeconds: DAY, partitionSeconds: DAY, retentionSeconds: r['5m'], source: '1m' },
    '1h': { name: '1h', table: 'metric_1h', stepSeconds: HOUR, chunkSeconds: 7 * DAY, partitionSeconds: 28 * DAY, retentionSeconds: r['1h'], source: '5m' },
  };
}

export const TIER_ORDER: readonly TierName[] = ['raw', '1m', '5m', '1h'];
export const ROLLUP_ORDER: readonly RollupTierName[] = ['1m', '5m', '1h'];

/** The start of the period of `seconds` containing `ms` (UTC, aligned to the epoch). */
export function floorTo(ms: number, seconds: number): number {
  const step = seconds * 1000;
  return Math.floor(ms / step) * step;
}
