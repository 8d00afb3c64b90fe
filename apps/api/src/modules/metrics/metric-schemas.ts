import { Type } from 'typebox';
import { DateTime, Nullable } from '../../lib/schemas.js';

export const NodeReadingsSchema = Type.Object(
  {
    at: DateTime,
    intervalSeconds: Type.Integer({ minimum: 1 }),
    cpu: Nullable(Type.Number({ description: 'Percent of CPU time not idle; null until the agent has two samples' })),
    memory: Type.Number({ description: 'Percent of memory used (total minus available)' }),
    disk: Nullable(Type.Number({ description: "The busiest filesystem's use in percent" })),
    diskMount: Nullable(Type.String()),
    load: Type.Array(Type.Number(), { minItems: 3, maxItems: 3, description: '1, 5 and 15 minute load averages' }),
  },
  { title: 'NodeReadings', description: "The latest readings of the node's agent (at most one update per readings interval)" },
);

export const MetricsSeriesSchema = Type.Object(
  {
    name: Type.String(),
    t: Type.Array(Type.Integer(), { description: 'Bucket starts, in milliseconds since the epoch' }),
    v: Type.Array(Type.Number(), { description: 'The average of each bucket, in the series unit (percent, bytes per second, load)' }),
  },
  { title: 'MetricsSeries' },
);

export const NodeMetricsSchema = Type.Object(
  {
    nodeId: Type.String(),
    from: DateTime,
    to: DateTime,
    tier: Type.Enum(['raw', '1m', '5m', '1h'], { description: 'The history tier the points come from (its end may come from finer tiers)' }),
    stepSeconds: Type.Integer({ minimum: 1, description: 'Width of each bucket' }),
    series: Type.Array(MetricsSeriesSchema),
  },
  { title: 'NodeMetrics' },
);

/** `cpu.total`, `fs./var.used_pct`, `net.eth0.rx_bps`: printable, no control characters. */
export const MetricName = Type.String({ minLength: 1, maxLength: 600, pattern: '^[^\\u0000-\\u001f\\u007f]+$' });
