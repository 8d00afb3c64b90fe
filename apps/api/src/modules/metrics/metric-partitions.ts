/**
 * The history tables' time partitions (Postgres declarative partitioning): made ahead of the data
 * and dropped whole once everything in them is past its tier's retention, so expiry never deletes
 * rows one by one. Run by the worker's once-a-minute scheduler, and on demand when a write finds no
 * partition for its time. TimescaleDB is detected and reported, not required (docs/architecture.md).
 */
import type { DataSource } from 'typeorm';
import { floorTo, TIER_ORDER, type Tier, type TierName } from './metric-tiers.js';

const DAY = 86400;

/** `metric_1m_p20261125`, or `metric_raw_p2026112514` for hourly partitions: the start, in UTC. */
export function partitionName(tier: Tier, startMs: number): string {
  const iso = new Date(startMs).toISOString();
  const stamp = iso.slice(0, 10).replaceAll('-', '') + (tier.partitionSeconds < DAY ? iso.slice(11, 13) : '');
  return `${tier.table}_p${stamp}`;
}

function partitionStart(tier: Tier, name: string): number | null {
  const m = new RegExp(`^${tier.table}_p(\\d{4})(\\d{2})(\\d{2})(\\d{2})?$`).exec(name);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0));
}

export interface PartitionChanges {
  created: string[];
  dropped: string[];
}

export function createMetricPartitions(deps: {
  db: DataSource;
  tiers: Record<TierName, Tier>;
  log: { info(obj: unknown, msg: string): void };
}) {
  const { db, tiers } = deps;
  let reported = false;

  /** Says once per process whether TimescaleDB could serve here; the plain partitions work either way. */
  async function reportTimescale(): Promise<void> {
    if (reported) return;
    reported = true;
    const [row] = await db.query(
      `SELECT (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS installed,
              EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') AS available`,
    );
    if (row.installed || row.available) {
      deps.log.info({ timescaledb: row.installed ?? 'available, not installed' }, 'TimescaleDB is present; readings history uses plain declarative partitions (docs/architecture.md)');
    }
  }

  async function children(tier: Tier): Promise<{ name: string; start: number }[]> {
    const rows: { name: string }[] = await db.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass`,
      [tier.table],
    );
    return rows.flatMap((r) => {
      const start = partitionStart(tier, r.name);
      return start === null ? [] : [{ name: r.name, start }];
    });
  }

  return {
    /**
     * Makes the partitions from the oldest time still kept (or written: a roll-up row starts up to a
     * chunk before its bucket) to two partitions ahead, and drops those wholly past retention.
     */
    async maintain(now = Date.now()): Promise<PartitionChanges> {
      await reportTimescale().catch(() => {});
      const changes: PartitionChanges = { created: [], dropped: [] };
      await db.transaction(async (m) => {
        await m.query(`SELECT pg_advisory_xact_lock(hashtext('overmind.metric-partitions'))`);
        await m.query(`SET LOCAL lock_timeout = '10s'`);
        for (const name of TIER_ORDER) {
          const tier = tiers[name];
          const span = tier.partitionSeconds * 1000;
          const keepFrom = now - (tier.retentionSeconds + tier.chunkSeconds) * 1000;
          const existing = await children(tier);
          const have = new Set(existing.map((p) => p.name));
          for (let start = floorTo(keepFrom, tier.partitionSeconds); start <= now + 2 * span; start += span) {
            const partition = partitionName(tier, start);
            if (have.has(partition)) continue;
            await m.query(
              `CREATE TABLE IF NOT EXISTS ${partition} PARTITION OF ${tier.table} FOR VALUES FROM ('${new Date(start).toISOString()}') TO ('${new Date(start + span).toISOString()}')`,
            );
            changes.created.push(partition);
          }
          for (const p of existing) {
            if (p.start + span <= keepFrom) {
              await m.query(`DROP TABLE IF EXISTS ${p.name}`);
              changes.dropped.push(p.name);
            }
          }
        }
      });
      return changes;
    },
  };
}

export type MetricPartitions = ReturnType<typeof createMetricPartitions>;

/** Postgres's error for a row whose time has no partition (23514, "no partition of relation ... found for row"). */
export function isMissingPartition(err: unknown): boolean {
  const e = err as { code?: string; message?: string; driverError?: { code?: string; message?: string } };
  const code = e.code ?? e.driverError?.code;
  const message = e.message ?? e.driverError?.message ?? '';
  return code === '23514' && /no partition/.test(message);
}
