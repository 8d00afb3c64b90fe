/**
 * Turns the API's metrics (`GET /nodes/{id}/metrics`: per series, bucket starts in ms and their
 * averages) into what uPlot draws: one shared x axis in seconds and one y array per series, null
 * where a series has no point, and a null after a gap so the line breaks where the agent was away
 * instead of drawing a straight line across it.
 */
import type { NodeMetrics } from '@overmind/sdk';

export type AlignedData = [xs: number[], ...ys: (number | null)[][]];

/** A gap wider than this many steps between two points breaks the line. */
const GAP_STEPS = 2;

export function alignSeries(metrics: Pick<NodeMetrics, 'series' | 'stepSeconds'>, names: readonly string[]): { names: string[]; data: AlignedData } {
  type Series = NodeMetrics['series'][number];
  const present = names.map((name) => metrics.series.find((s) => s.name === name)).filter((s): s is Series => s !== undefined && s.t.length > 0);
  const times = new Set<number>();
  for (const s of present) for (const t of s.t) times.add(t);
  const sorted = [...times].sort((a, b) => a - b);
  // A null point one step after the last point before each gap.
  const stepMs = metrics.stepSeconds * 1000;
  const xsMs: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    xsMs.push(sorted[i]!);
    const next = sorted[i + 1];
    if (next !== undefined && next - sorted[i]! > GAP_STEPS * stepMs) xsMs.push(sorted[i]! + stepMs);
  }
  const index = new Map(xsMs.map((t, i) => [t, i]));
  const ys = present.map((s) => {
    const y: (number | null)[] = new Array(xsMs.length).fill(null);
    for (let i = 0; i < s.t.length; i++) y[index.get(s.t[i]!)!] = s.v[i]!;
    return y;
  });
  return { names: present.map((s) => s.name), data: [xsMs.map((t) => t / 1000), ...ys] };
}

export type ChartUnit = 'percent' | 'load' | 'bytesPerSecond' | 'number';

const BYTE_UNITS = ['B/s', 'kB/s', 'MB/s', 'GB/s', 'TB/s'];

/** A value as the axis and legend show it. */
export function formatValue(value: number | null | undefined, unit: ChartUnit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'percent':
      return `${value.toFixed(value < 10 ? 1 : 0)} %`;
    case 'load':
      return value.toFixed(2);
    case 'bytesPerSecond': {
      let v = Math.abs(value);
      let u = 0;
      while (v >= 1000 && u < BYTE_UNITS.length - 1) {
        v /= 1000;
        u++;
      }
      return `${value < 0 ? '-' : ''}${v.toFixed(v < 10 && u > 0 ? 1 : 0)} ${BYTE_UNITS[u]}`;
    }
    default:
      return Math.abs(value) >= 1000 || Number.isInteger(value) ? String(Math.round(value)) : value.toPrecision(3);
  }
}

/** The charts of a node's readings, from the names `GET /nodes/{id}/metrics/series` lists. */
export interface ChartSpec {
  key: string;
  title: string;
  unit: ChartUnit;
  names: string[];
  /** Legend labels, by series name. */
  labels: Record<string, string>;
}

/** The API takes at most this many names per request. */
export const MAX_NAMES_PER_CHART = 20;

const between = (name: string, prefix: string, suffix: string) =>
  name.startsWith(prefix) && name.endsWith(suffix) && name.length > prefix.length + suffix.length ? name.slice(prefix.length, name.length - suffix.length) : null;

/**
 * Groups a node's series into charts: CPU, load, memory, disk use (all filesystems on one chart),
 * one network chart per interface, and whatever else is stored (check performance data) one chart per
 * prefix before the last dot.
 */
export function chartSpecs(available: readonly string[]): ChartSpec[] {
  const has = new Set(available);
  const specs: ChartSpec[] = [];
  const pick = (names: string[]) => names.filter((n) => has.has(n));
  const used = new Set<string>();
  const add = (spec: Omit<ChartSpec, 'names'> & { names: string[] }) => {
    const names = spec.names.slice(0, MAX_NAMES_PER_CHART);
    if (names.length === 0) return;
    for (const n of spec.names) used.add(n);
    specs.push({ ...spec, names });
  };
  const cpu = pick(['cpu.total', 'cpu.user', 'cpu.system', 'cpu.iowait', 'cpu.steal']);
  add({ key: 'cpu', title: 'CPU', unit: 'percent', names: cpu, labels: Object.fromEntries(cpu.map((n) => [n, n.slice(4)])) });
  const load = pick(['load.1', 'load.5', 'load.15']);
  add({ key: 'load', title: 'Load', unit: 'load', names: load, labels: Object.fromEntries(load.map((n) => [n, `${n.slice(5)} min`])) });
  const memory = pick(['memory.used_pct', 'swap.used_pct']);
  add({ key: 'memory', title: 'Memory', unit: 'percent', names: memory, labels: { 'memory.used_pct': 'memory', 'swap.used_pct': 'swap' } });
  const mounts = available.map((n) => [n, between(n, 'fs.', '.used_pct')] as const).filter(([, m]) => m !== null).sort(([, a], [, b]) => a!.localeCompare(b!));
  add({ key: 'disk', title: 'Disk use', unit: 'percent', names: mounts.map(([n]) => n), labels: Object.fromEntries(mounts) as Record<string, string> });
  const interfaces = new Set<string>();
  for (const n of available) {
    const iface = between(n, 'net.', '.rx_bps') ?? between(n, 'net.', '.tx_bps');
    if (iface !== null) interfaces.add(iface);
  }
  for (const iface of [...interfaces].sort()) {
    const names = pick([`net.${iface}.rx_bps`, `net.${iface}.tx_bps`]);
    add({ key: `net:${iface}`, title: `Network ${iface}`, unit: 'bytesPerSecond', names, labels: { [`net.${iface}.rx_bps`]: 'received', [`net.${iface}.tx_bps`]: 'sent' } });
  }
  const rest = new Map<string, string[]>();
  for (const n of available) {
    if (used.has(n)) continue;
    const cut = n.lastIndexOf('.');
    const group = cut > 0 ? n.slice(0, cut) : n;
    rest.set(group, [...(rest.get(group) ?? []), n]);
  }
  for (const [group, names] of [...rest].sort(([a], [b]) => a.localeCompare(b))) {
    names.sort();
    add({ key: `other:${group}`, title: group, unit: 'number', names, labels: Object.fromEntries(names.map((n) => [n, n === group ? n : n.slice(group.length + 1)])) });
  }
  return specs;
}

/** The ranges the node page offers: the API picks the tier that answers each in about 1,000 points. */
export const RANGES = [
  { key: '1h', label: '1 h', seconds: 3600 },
  { key: '6h', label: '6 h', seconds: 6 * 3600 },
  { key: '24h', label: '24 h', seconds: 86400 },
  { key: '7d', label: '7 d', seconds: 7 * 86400 },
  { key: '30d', label: '30 d', seconds: 30 * 86400 },
  { key: '13mo', label: '13 months', seconds: 395 * 86400 },
] as const;
export type RangeKey = (typeof RANGES)[number]['key'];
