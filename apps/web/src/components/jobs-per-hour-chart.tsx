import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { jobKeys } from '../api/job-queries.js';
import { overmind } from '../api/overmind-client.js';
import { call } from '../api/sdk-call.js';
import type { AlignedData } from './chart-data.js';
import { ErrorNotice } from './error-notice.js';
import { TimeSeriesChart } from './time-series-chart.js';

// In the chart palette's order: blue, red, green.
const LABELS = ['Started', 'Failed', 'Succeeded'];

/** Jobs started, succeeded and failed per hour over the last day (GET /jobs/stats); refreshed with the job lists. */
export function JobsPerHourChart() {
  const stats = useQuery({
    queryKey: [...jobKeys.all, 'stats', 24],
    queryFn: () => call(overmind.raw.GET('/api/v1/jobs/stats', { params: { query: { hours: 24 } } })),
    refetchInterval: 60_000,
  });
  const data = useMemo((): AlignedData | undefined => {
    const hours = stats.data?.hours;
    if (!hours) return undefined;
    return [hours.map((h) => Date.parse(h.at) / 1000), hours.map((h) => h.started), hours.map((h) => h.failed), hours.map((h) => h.succeeded)];
  }, [stats.data]);
  if (stats.error) return <ErrorNotice error={stats.error} />;
  if (!data) return <p aria-busy="true" className="chart-placeholder">Loading…</p>;
  const failed = stats.data!.hours.reduce((sum, h) => sum + h.failed, 0);
  const finished = stats.data!.hours.reduce((sum, h) => sum + h.succeeded + h.failed, 0);
  return (
    <>
      <TimeSeriesChart title="Jobs per hour, last 24 hours" unit="number" labels={LABELS} data={data} />
      <p className="muted" data-jobs-failed={failed}>
        {finished === 0 ? 'No job finished in the last day.' : `${failed} of ${finished} finished jobs failed in the last day (${Math.round((100 * failed) / finished)} %).`}
      </p>
    </>
  );
}
