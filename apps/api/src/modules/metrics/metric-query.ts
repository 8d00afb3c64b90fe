/**
 * `GET /nodes/{id}/metrics`: a node's series between two times, from the finest tier that keeps that
 * range and answers it in at most MAX_POINTS points (averaged into wider buckets when even the
 * coarsest has more). The end a tier has not rolled up yet comes from the finer tiers, so a graph
 * reaches the latest reading whatever its range.
 */
import type { DataSource } from 'typeorm';
import { NotFoundError } from '../../lib/errors.js';
import { chunkPoints, EPOCH, type MetricRollups } from './metric-rollups.js';
import type { NodeReadingsView } from './reading-series.js';
import { TIER_ORDER, type Tier, type TierName } from './metric-tiers.js';

export const MAX_POINTS = 1000;

export interface MetricsQuery {
  nodeId: string;
  names: string[];
  from: Date;
  to: Date;
}

export interface MetricsAnswer {
  nodeId: string;
  from: string;
  to: string;
  tier: TierName;
  stepSeconds: number;
  series: { name: string; t: number[]; v: number[] }[];
}

/** The finest tier that still keeps `from` and has at most MAX_POINTS steps in the range; else the coarsest, in wider buckets. */
export function chooseTier(tiers: Record<TierName, Tier>, from: number, to: number, now: number): { tier: Tier; stepSeconds: number } {
  const seconds = (to - from) / 1000;
  for (const name of TIER_ORDER) {
    const tier = tiers[name];
    if (from >= now - tier.retentionSeconds * 1000 && seconds / tier.stepSeconds <= MAX_POINTS) return { tier, stepSeconds: tier.stepSeconds };
  }
  const coarsest = tiers[TIER_ORDER.at(-1)!];
  return { tier: coarsest, stepSeconds: Math.max(1, Math.ceil(seconds / MAX_POINTS / coarsest.stepSeconds)) * coarsest.stepSeconds };
}

export function createMetricQuery(deps: { db: DataSource; tiers: Record<TierName, Tier>; rollups: Pick<MetricRollups, 'doneUntil'> }) {
  const { db, tiers } = deps;

  return {
    async query(q: MetricsQuery, now = Date.now()): Promise<MetricsAnswer> {
      const [node] = await db.query('SELECT 1 FROM nodes WHERE id = $1', [q.nodeId]);
      if (!node) throw new NotFoundError('Node', q.nodeId);
      const from = q.from.getTime();
      const to = q.to.getTime();
      const { tier, stepSeconds } = chooseTier(tiers, from, to, now);
      const found: { id: number; name: string }[] = await db.query('SELECT id, name FROM metric_series WHERE node_id = $1 AND name = ANY($2::text[])', [q.nodeId, q.names]);
      const byId = new Map(found.map((s) => [s.id, { name: s.name, t: [] as number[], v: [] as number[] }]));

      if (found.length > 0) {
        // The chosen tier up to where it is rolled up, then each finer tier up to where it is.
        const done = await deps.rollups.doneUntil();
        const values: unknown[] = [found.map((s) => s.id)];
        const param = (v: unknown) => `$${values.push(v)}`;
        const parts: string[] = [];
        let lo = from;
        for (const name of TIER_ORDER.slice(0, TIER_ORDER.indexOf(tier.name) + 1).reverse()) {
          const hi = name === 'raw' ? to : Math.min(to, done.get(name) ?? lo);
          if (hi > lo) {
            const [l, h] = [param(new Date(lo).toISOString()), param(new Date(hi).toISOString())];
            parts.push(
              name === 'raw'
                ? `SELECT u.sid, r.at AS t, u.v FROM metric_raw r CROSS JOIN LATERAL unnest(r.series, r.vals) AS u(sid, v)
                    WHERE r.node_id = ${param(q.nodeId)} AND r.at >= ${l}::timestamptz AND r.at < ${h}::timestamptz AND u.sid = ANY($1::int[]) AND u.v IS NOT NULL`
                : chunkPoints(tiers[name], l, h, 'AND c.series_id = ANY($1::int[])'),
            );
            lo = hi;
          }
        }
        if (parts.length > 0) {
          const rows: { sid: number; t: string; v: number }[] = await db.query(
            `SELECT sid, (extract(epoch FROM date_bin('${stepSeconds} seconds', t, ${EPOCH})) * 1000)::bigint AS t, avg(v) AS v
               FROM (${parts.join(' UNION ALL ')}) p GROUP BY 1, 2 ORDER BY 1, 2`,
            values,
          );
          for (const r of rows) {
            const s = byId.get(r.sid)!;
            s.t.push(Number(r.t));
            s.v.push(Math.round(r.v * 1000) / 1000);
          }
        }
      }

      const byName = new Map([...byId.values()].map((s) => [s.name, s]));
      return {
        nodeId: q.nodeId,
        from: q.from.toISOString(),
        to: q.to.toISOString(),
        tier: tier.name,
        stepSeconds,
        series: q.names.map((name) => byName.get(name) ?? { name, t: [], v: [] }),
      };
    },

    async seriesNames(nodeId: string): Promise<string[]> {
      const [node] = await db.query('SELECT 1 FROM nodes WHERE id = $1', [nodeId]);
      if (!node) throw new NotFoundError('Node', nodeId);
      const rows: { name: string }[] = await db.query('SELECT name FROM metric_series WHERE node_id = $1 ORDER BY name', [nodeId]);
      return rows.map((r) => r.name);
    },

    async latest(nodeId: string): Promise<NodeReadingsView | null> {
      const [row] = await db.query('SELECT json FROM node_readings WHERE node_id = $1', [nodeId]);
      return row ? (JSON.parse(row.json) as NodeReadingsView) : null;
    },
  };
}

export type MetricQuery = ReturnType<typeof createMetricQuery>;
