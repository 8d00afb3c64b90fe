/**
 * The roll-ups: each tier's buckets are averages of the tier before (raw -> 1 minute -> 5 minutes ->
 * 1 hour), computed in Postgres by one INSERT ... SELECT ... GROUP BY bucket ... ON CONFLICT DO UPDATE
 * per tier and run. A tier goes only as far as the one it reads from has gone (`metric_rollups`),
 * and each run computes its last bucket again, so readings that arrived late are counted; running
 * it twice changes nothing. A tier runs when enough new buckets are complete (MIN_SPAN_SECONDS).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { floorTo, ROLLUP_ORDER, type RollupTierName, type Tier, type TierName } from './metric-tiers.js';

/** Readings may still be on their way this long after their time (batched in each API process). */
const GRACE_MS = 15_000;
/**
 * A tier is rolled up once this many seconds of new buckets are complete: every run rewrites the
 * chunk row being filled of every series, so fewer, larger runs write less. Graphs do not wait for
 * it: a query takes what a tier has not rolled up yet from the finer tiers.
 */
const MIN_SPAN_SECONDS: Record<RollupTierName, number> = { '1m': 300, '5m': 1800, '1h': 3600 };
/** At most this many seconds of buckets per tier and run, so catching up after a pause is done in bounded steps. */
const MAX_SPAN_SECONDS: Record<RollupTierName, number> = { '1m': 6 * 3600, '5m': 2 * 86400, '1h': 14 * 86400 };

export const EPOCH = `TIMESTAMPTZ '1970-01-01 00:00:00+00'`;

/** `metric_1m` rows as points: series id, time, value (NULL buckets left out), between $lo and $hi. */
export function chunkPoints(tier: Tier, lo: string, hi: string, seriesFilter = ''): string {
  const t = `c.start + (u.i - 1) * interval '${tier.stepSeconds} seconds'`;
  return `SELECT c.series_id AS sid, ${t} AS t, u.v
            FROM ${tier.table} c CROSS JOIN LATERAL unnest(c.v) WITH ORDINALITY AS u(v, i)
           WHERE c.start > ${lo}::timestamptz - interval '${tier.chunkSeconds} seconds' AND c.start < ${hi}::timestamptz
             ${seriesFilter} AND u.v IS NOT NULL AND ${t} >= ${lo}::timestamptz AND ${t} < ${hi}::timestamptz`;
}

function rollupSql(tier: Tier, source: Tier): string {
  const points =
    source.name === 'raw'
      ? `SELECT u.sid, r.at AS t, u.v FROM metric_raw r CROSS JOIN LATERAL unnest(r.series, r.vals) AS u(sid, v)
          WHERE r.at >= $1::timestamptz AND r.at < $2::timestamptz AND u.v IS NOT NULL`
      : chunkPoints(source, '$1', '$2');
  const chunk = `date_bin('${tier.chunkSeconds} seconds', b, ${EPOCH})`;
  return `
    WITH pts AS (
      SELECT sid, date_bin('${tier.stepSeconds} seconds', t, ${EPOCH}) AS b, avg(v) AS v FROM (${points}) p GROUP BY 1, 2
    ), placed AS (
      SELECT sid, ${chunk} AS start,
             array_agg((extract(epoch FROM b - ${chunk}) / ${tier.stepSeconds})::int + 1) AS pos,
             array_agg(v::real) AS vals
        FROM pts GROUP BY 1, 2
    ), written AS (
      INSERT INTO ${tier.table} (series_id, start, v)
      SELECT sid, start, metric_place(pos, vals) FROM placed
      ON CONFLICT (series_id, start) DO UPDATE SET v = metric_merge(${tier.table}.v, EXCLUDED.v)
      RETURNING 1
    )
    SELECT count(*)::int AS rows FROM written`;
}

export interface RollupRun {
  from: string;
  to: string;
  rows: number;
}

export function createMetricRollups(deps: { db: DataSource; tiers: Record<TierName, Tier> }) {
  const { db, tiers } = deps;
  const sql = Object.fromEntries(ROLLUP_ORDER.map((name) => [name, rollupSql(tiers[name], tiers[tiers[name].source!])])) as Record<RollupTierName, string>;

  async function doneUntil(m: EntityManager | DataSource = db): Promise<Map<string, number>> {
    const rows: { tier: string; done_until: Date }[] = await m.query('SELECT tier, done_until FROM metric_rollups');
    return new Map(rows.map((r) => [r.tier, new Date(r.done_until).getTime()]));
  }

  return {
    doneUntil,

    /** Rolls every tier up as far as its source allows; what each tier did (null: nothing to do, or another process is at it). */
    async rollUp(now = Date.now()): Promise<Record<RollupTierName, RollupRun | null>> {
      const out = {} as Record<RollupTierName, RollupRun | null>;
      for (const name of ROLLUP_ORDER) {
        const tier = tiers[name];
        const source = tiers[tier.source!];
        out[name] = await db.transaction(async (m) => {
          const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [`overmind.metric-rollup.${name}`]);
          if (!locked) return null;
          const done = await doneUntil(m);
          const sourceDone = source.name === 'raw' ? now - GRACE_MS : Math.min(now - GRACE_MS, done.get(source.name) ?? 0);
          const own = done.get(name);
          const lower = own !== undefined ? own - tier.stepSeconds * 1000 : floorTo(sourceDone - source.retentionSeconds * 1000, tier.stepSeconds);
          const upper = Math.min(floorTo(sourceDone, tier.stepSeconds), lower + MAX_SPAN_SECONDS[name] * 1000);
          if (upper <= lower || (own !== undefined && upper - own < MIN_SPAN_SECONDS[name] * 1000)) return null;
          const from = new Date(lower).toISOString();
          const to = new Date(upper).toISOString();
          const [{ rows }] = await m.query(sql[name], [from, to]);
          await m.query(
            `INSERT INTO metric_rollups (tier, done_until) VALUES ($1, $2)
             ON CONFLICT (tier) DO UPDATE SET done_until = greatest(metric_rollups.done_until, EXCLUDED.done_until)`,
            [name, to],
          );
          return { from, to, rows: rows as number };
        });
      }
      return out;
    },
  };
}

export type MetricRollups = ReturnType<typeof createMetricRollups>;
