import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { RANGES, type RangeKey } from '../components/chart-data.js';
import { overmind } from './overmind-client.js';

export const metricKeys = {
  all: ['metrics'] as const,
  series: (nodeId: string) => [...metricKeys.all, 'series', nodeId] as const,
  range: (nodeId: string, names: readonly string[], range: RangeKey) => [...metricKeys.all, 'range', nodeId, names, range] as const,
};

/** The names of the series a node has history for. */
export const useNodeMetricSeries = (nodeId: string) =>
  useQuery({ queryKey: metricKeys.series(nodeId), queryFn: () => overmind.listNodeMetricSeries(nodeId), staleTime: 60_000 });

/**
 * A range ending now, refetched about every hundredth of it (at least every 30 s, at most every
 * 10 min): a new point of a 1-hour graph shows within a minute, a 13-month one does not poll.
 */
export function useNodeMetrics(nodeId: string, names: readonly string[], range: RangeKey) {
  const seconds = RANGES.find((r) => r.key === range)!.seconds;
  const every = Math.min(Math.max(seconds * 10, 30_000), 600_000);
  return useQuery({
    queryKey: metricKeys.range(nodeId, names, range),
    queryFn: () => {
      const to = new Date();
      return overmind.getNodeMetrics(nodeId, { name: [...names], from: new Date(to.getTime() - seconds * 1000).toISOString(), to: to.toISOString() });
    },
    enabled: names.length > 0,
    staleTime: every,
    refetchInterval: every,
    // The previous range stays drawn while the next loads, but never another node's.
    placeholderData: (previous, query) => (query?.queryKey[2] === nodeId ? keepPreviousData(previous) : undefined),
  });
}
