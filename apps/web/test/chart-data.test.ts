import { describe, expect, it } from 'vitest';
import { alignSeries, chartSpecs, formatValue, MAX_NAMES_PER_CHART } from '../src/components/chart-data.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);

describe('chart data shaping', () => {
  it('puts series on one time axis in seconds, null where a series has no point, in the order asked', () => {
    const { names, data } = alignSeries({
      stepSeconds: 60,
      series: [
        { name: 'cpu.user', t: [T0, T0 + MIN, T0 + 2 * MIN], v: [1, 2, 3] },
        { name: 'cpu.total', t: [T0 + MIN, T0 + 3 * MIN], v: [10, 30] },
      ],
    }, ['cpu.total', 'cpu.user', 'cpu.steal']);
    expect(names).toEqual(['cpu.total', 'cpu.user']); // cpu.steal has no history: no empty line
    expect(data).toEqual([
      [T0 / 1000, T0 / 1000 + 60, T0 / 1000 + 120, T0 / 1000 + 180],
      [null, 10, null, 30],
      [1, 2, 3, null],
    ]);
  });

  it('breaks the line after a gap of more than two steps (agent away), not between adjacent points', () => {
    const { data } = alignSeries({ stepSeconds: 60, series: [{ name: 'load.1', t: [T0, T0 + MIN, T0 + 2 * MIN, T0 + 10 * MIN, T0 + 11 * MIN], v: [1, 2, 3, 4, 5] }] }, ['load.1']);
    expect(data[0].map((s) => (s * 1000 - T0) / MIN)).toEqual([0, 1, 2, 3, 10, 11]);
    expect(data[1]).toEqual([1, 2, 3, null, 4, 5]);
  });

  it('shapes a thousand points of a 30-day range without losing one', () => {
    const hour = 3600_000;
    const t = Array.from({ length: 1000 }, (_, i) => T0 + i * hour);
    const v = t.map((_, i) => i % 100);
    const { data } = alignSeries({ stepSeconds: 3600, series: [{ name: 'cpu.total', t, v }] }, ['cpu.total']);
    expect(data[0]).toHaveLength(1000);
    expect(data[1]).toEqual(v);
  });

  it('groups a node’s series into CPU, load, memory, disk, one chart per interface, and the rest (performance data)', () => {
    const specs = chartSpecs([
      'net.eth0.tx_bps', 'cpu.total', 'fs./var.used_pct', 'load.5', 'fs./.used_pct', 'memory.used_pct', 'net.eth0.rx_bps', 'load.1',
      'net.wg0.rx_bps', 'swap.used_pct', 'cpu.iowait', 'check.root disk.free', 'check.root disk.used', 'uptime',
    ]);
    expect(specs.map((s) => [s.title, s.unit, s.names])).toEqual([
      ['CPU', 'percent', ['cpu.total', 'cpu.iowait']],
      ['Load', 'load', ['load.1', 'load.5']],
      ['Memory', 'percent', ['memory.used_pct', 'swap.used_pct']],
      ['Disk use', 'percent', ['fs./.used_pct', 'fs./var.used_pct']],
      ['Network eth0', 'bytesPerSecond', ['net.eth0.rx_bps', 'net.eth0.tx_bps']],
      ['Network wg0', 'bytesPerSecond', ['net.wg0.rx_bps']],
      ['check.root disk', 'number', ['check.root disk.free', 'check.root disk.used']],
      ['uptime', 'number', ['uptime']],
    ]);
    expect(specs[3]!.labels).toEqual({ 'fs./.used_pct': '/', 'fs./var.used_pct': '/var' });
    expect(specs[4]!.labels).toEqual({ 'net.eth0.rx_bps': 'received', 'net.eth0.tx_bps': 'sent' });
    expect(specs[6]!.labels['check.root disk.free']).toBe('free');
  });

  it('asks for at most as many series per chart as the API takes in one request', () => {
    const mounts = Array.from({ length: 30 }, (_, i) => `fs./srv/${String(i).padStart(2, '0')}.used_pct`);
    const [disk] = chartSpecs(mounts);
    expect(disk!.names).toHaveLength(MAX_NAMES_PER_CHART);
    expect(disk!.names[0]).toBe('fs./srv/00.used_pct');
  });

  it('formats values by unit', () => {
    expect(formatValue(42.4, 'percent')).toBe('42 %');
    expect(formatValue(4.25, 'percent')).toBe('4.3 %');
    expect(formatValue(0.5, 'load')).toBe('0.50');
    expect(formatValue(999, 'bytesPerSecond')).toBe('999 B/s');
    expect(formatValue(1_250_000, 'bytesPerSecond')).toBe('1.3 MB/s');
    expect(formatValue(null, 'percent')).toBe('—');
  });
});
