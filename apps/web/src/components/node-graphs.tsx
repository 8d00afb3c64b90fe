import { useMemo, useState } from 'react';
import { useNodeMetricSeries, useNodeMetrics } from '../api/metric-queries.js';
import { alignSeries, chartSpecs, RANGES, type ChartSpec, type RangeKey } from './chart-data.js';
import { ErrorNotice } from './error-notice.js';
import { TimeSeriesChart } from './time-series-chart.js';

const PERCENT: [number, number] = [0, 100];

function SpecChart({ nodeId, spec, range }: { nodeId: string; spec: ChartSpec; range: RangeKey }) {
  const metrics = useNodeMetrics(nodeId, spec.names, range);
  // Memoized: the chart is redrawn when these change, not on every render of the page.
  const aligned = useMemo(() => (metrics.data ? alignSeries(metrics.data, spec.names) : null), [metrics.data, spec.names]);
  const labels = useMemo(() => aligned?.names.map((n) => spec.labels[n] ?? n) ?? [], [aligned, spec.labels]);
  const xRange = useMemo<[number, number] | undefined>(() => (metrics.data ? [Date.parse(metrics.data.from) / 1000, Date.parse(metrics.data.to) / 1000] : undefined), [metrics.data]);
  if (metrics.error) return <ErrorNotice error={metrics.error} />;
  if (!aligned) return <p aria-busy="true" className="chart-placeholder">{spec.title}: loading…</p>;
  if (aligned.names.length === 0) return <p className="chart-placeholder muted">{spec.title}: no history in this range.</p>;
  return <TimeSeriesChart title={spec.title} unit={spec.unit} labels={labels} data={aligned.data} yRange={spec.unit === 'percent' ? PERCENT : undefined} xRange={xRange} />;
}

/** A node's history: CPU, load, memory, disk, network and check performance data over a chosen range. */
export function NodeGraphs({ nodeId }: { nodeId: string }) {
  const [range, setRange] = useState<RangeKey>('1h');
  const series = useNodeMetricSeries(nodeId);
  const specs = useMemo(() => chartSpecs(series.data?.names ?? []), [series.data]);
  return (
    <section aria-labelledby="graphs-title" className="node-graphs">
      <h2 id="graphs-title">Graphs</h2>
      <div role="group" aria-label="Range" className="range-buttons">
        {RANGES.map((r) => (
          <button key={r.key} type="button" aria-pressed={range === r.key} onClick={() => setRange(r.key)}>{r.label}</button>
        ))}
      </div>
      <ErrorNotice error={series.error} />
      {series.data && specs.length === 0 && <p className="muted">No history yet: the node's agent has not reported readings.</p>}
      <div className="charts">
        {specs.map((spec) => <SpecChart key={spec.key} nodeId={nodeId} spec={spec} range={range} />)}
      </div>
    </section>
  );
}
