/**
 * Jobs per pg-boss queue and state, for `GET /metrics`: one grouped count over pg-boss's job table
 * (completed and failed jobs leave it when pg-boss archives them, after 12 hours by default), read on
 * scrape and kept a second, so that scrapers arriving together (an HA pair of Prometheus servers)
 * cost one query.
 */
import type { DataSource } from 'typeorm';

export interface QueueFigure {
  queue: string;
  state: 'queued' | 'active' | 'failed';
  count: number;
}

export function createQueueFigures(deps: { db: Pick<DataSource, 'query'>; cacheMs?: number; schema?: string }) {
  const cacheMs = deps.cacheMs ?? 1000;
  const schema = deps.schema ?? 'pgboss';
  let cached: { at: number; figures: Promise<QueueFigure[]> } | null = null;

  async function load(): Promise<QueueFigure[]> {
    // Every declared queue appears, with zeros, so a rate or an alert never sees a series vanish.
    const rows: { queue: string; state: QueueFigure['state']; count: number }[] = await deps.db.query(
      `WITH counts AS (
         SELECT name, CASE WHEN state IN ('created', 'retry') THEN 'queued' ELSE state::text END AS state, count(*)::int AS n
           FROM ${schema}.job WHERE state IN ('created', 'retry', 'active', 'failed') GROUP BY 1, 2)
       SELECT q.name AS queue, s.state, coalesce(sum(c.n), 0)::int AS count
         FROM ${schema}.queue q
         CROSS JOIN (VALUES ('queued'), ('active'), ('failed')) AS s(state)
         LEFT JOIN counts c ON c.name = q.name AND c.state = s.state
        GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    return rows;
  }

  return {
    read(now = Date.now()): Promise<QueueFigure[]> {
      if (!cached || now - cached.at >= cacheMs) {
        const figures = load();
        cached = { at: now, figures };
        // A failed read is not kept: the next scrape tries again.
        figures.catch(() => {
          if (cached?.figures === figures) cached = null;
        });
      }
      return cached.figures;
    },
  };
}

export type QueueFigures = ReturnType<typeof createQueueFigures>;
