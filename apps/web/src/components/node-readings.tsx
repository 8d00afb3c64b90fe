import type { NodeHealth, NodeReadings } from '@overmind/sdk';
import { RelativeTime } from './relative-time.js';

export { HEALTHS } from '../api/node-list-query.js';

/** A node's health (the worst of its check states, or stale); a dash when it has no checks. */
export function HealthBadge({ health }: { health: NodeHealth | null | undefined }) {
  if (!health) return <span className="muted" data-health="none">—</span>;
  return <span className={`badge badge-health-${health}`} data-health={health}>{health}</span>;
}

/** One reading as a small bar (a native meter: its colour turns at 80 % and 90 %) with its value. */
export function UsageBar({ label, value, detail }: { label: string; value: number | null | undefined; detail?: string | null }) {
  if (value === null || value === undefined) return <span className="muted" aria-label={`${label}: no reading`}>—</span>;
  const rounded = Math.round(value);
  return (
    <span className="usage" title={`${label}${detail ? ` ${detail}` : ''} ${value.toFixed(1)} %`} data-usage={label}>
      <meter min={0} max={100} low={80} high={90} optimum={0} value={value} aria-label={label} />
      <span className="usage-value">{rounded} %</span>
    </span>
  );
}

/** The latest readings on the node page: CPU, memory and the busiest filesystem as bars, load, when. */
export function NodeReadingsSummary({ readings }: { readings: NodeReadings | null | undefined }) {
  if (!readings) return <p className="muted">No readings: the node has no agent reporting them.</p>;
  return (
    <dl className="facts readings">
      <dt>CPU</dt><dd><UsageBar label="CPU" value={readings.cpu} /></dd>
      <dt>Memory</dt><dd><UsageBar label="Memory" value={readings.memory} /></dd>
      <dt>Disk</dt><dd><UsageBar label="Disk" value={readings.disk} detail={readings.diskMount} />{readings.diskMount && <span className="muted"> {readings.diskMount}</span>}</dd>
      <dt>Load</dt><dd>{readings.load.map((l) => l.toFixed(2)).join(' / ')}</dd>
      <dt>Read</dt><dd><RelativeTime at={readings.at} /></dd>
    </dl>
  );
}
