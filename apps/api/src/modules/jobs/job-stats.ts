import type { DataSource } from 'typeorm';

export interface JobHour {
  /** The hour's start (UTC). */
  at: string;
  /** Jobs created in the hour. */
  started: number;
  /** Jobs that finished in the hour, by how. */
  succeeded: number;
  failed: number;
  cancelled: number;
}

const HOUR_MS = 3_600_000;
const FINISHED = ['succeeded', 'failed', 'cancelled'] as const;

/**
 * Jobs started and finished per hour over the last `hours` hours, oldest first, the current hour last; every hour
 * is present (zeros where nothing happened). Two grouped scans, on created_at and finished_at.
 */
export async function jobsPerHour(db: DataSource, hours: number, now = new Date()): Promise<JobHour[]> {
  const last = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const first = new Date(last - (hours - 1) * HOUR_MS);
  const [created, finished] = await Promise.all([
    db.query<{ at: Date; n: number }[]>(
      `SELECT date_trunc('hour', created_at) AS at, count(*)::int AS n FROM jobs WHERE created_at >= $1 GROUP BY 1`,
      [first],
    ),
    db.query<{ at: Date; state: string; n: number }[]>(
      `SELECT date_trunc('hour', finished_at) AS at, state, count(*)::int AS n FROM jobs
        WHERE finished_at >= $1 AND state = ANY($2) GROUP BY 1, 2`,
      [first, FINISHED],
    ),
  ]);
  const buckets = Array.from({ length: hours }, (_, i): JobHour => ({ at: new Date(first.getTime() + i * HOUR_MS).toISOString(), started: 0, succeeded: 0, failed: 0, cancelled: 0 }));
  const bucketOf = (at: Date) => buckets[Math.round((new Date(at).getTime() - first.getTime()) / HOUR_MS)];
  for (const row of created) {
    const b = bucketOf(row.at);
    if (b) b.started += row.n;
  }
  for (const row of finished) {
    const b = bucketOf(row.at);
    if (b) b[row.state as (typeof FINISHED)[number]] += row.n;
  }
  return buckets;
}
