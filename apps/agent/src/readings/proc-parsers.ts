/**
 * Parsers for the /proc files the readings come from (proc(5)). Pure functions over the files' text,
 * so they are tested with fixed inputs as well as against this machine.
 */

const STATES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
type CpuState = (typeof STATES)[number];

/** The aggregate `cpu` line of /proc/stat, in USER_HZ ticks since boot. */
export type CpuTimes = Record<CpuState, number> & {
  /** Every state's ticks (guest time is already counted in user and nice, so it is left out). */
  all: number;
};

export function parseCpuTimes(stat: string): CpuTimes | null {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const values = [user, nice, system, idle, iowait, irq, softirq, steal];
  if (values.some((v) => !Number.isFinite(v))) return null;
  return { user, nice, system, idle, iowait, irq, softirq, steal, all: values.reduce((a, b) => a + b, 0) };
}

/** Number of `cpuN` lines of /proc/stat: the CPUs online. */
export function countCpus(stat: string): number {
  return stat.split('\n').filter((l) => /^cpu\d+\s/.test(l)).length;
}

/** Percent of the time in each state, and `total` (all but idle and iowait). */
export type CpuShare = Record<CpuState | 'total', number>;

/**
 * Percent of the ticks between two samples spent in each state. Counters can step back (iowait does,
 * on some kernels, when a CPU goes idle): a negative difference counts as zero. Null when no tick passed.
 */
export function cpuShare(before: CpuTimes, after: CpuTimes): CpuShare | null {
  const delta = Object.fromEntries(STATES.map((s) => [s, Math.max(0, after[s] - before[s])])) as Record<CpuState, number>;
  const all = STATES.reduce((sum, s) => sum + delta[s], 0);
  if (all <= 0) return null;
  const pct = (ticks: number) => round2((ticks / all) * 100);
  const share = Object.fromEntries(STATES.map((s) => [s, pct(delta[s])])) as Record<CpuState, number>;
  return { total: clampPct(round2(100 - ((delta.idle + delta.iowait) / all) * 100)), ...share };
}

/** /proc/loadavg: the 1, 5 and 15 minute averages. */
export function parseLoadavg(text: string): [number, number, number] | null {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  if (![a, b, c].every((v) => Number.isFinite(v) && v! >= 0)) return null;
  return [a!, b!, c!];
}

/** /proc/meminfo as bytes by field name (its values are in KiB). */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]) * (line.includes('kB') ? 1024 : 1));
  }
  return out;
}

export interface MemoryFigures {
  memory: { total: number; used: number; available: number; free: number; buffers: number; cached: number; usedPct: number };
  swap: { total: number; used: number };
}

/**
 * Memory as free(1) of procps-ng 4 shows it: used = total - available. Kernels before 3.14 have no
 * MemAvailable; there available is free + buffers + page cache, the old estimate.
 */
export function memoryFigures(meminfo: Map<string, number>): MemoryFigures {
  const get = (k: string) => meminfo.get(k) ?? 0;
  const total = get('MemTotal');
  const free = get('MemFree');
  const buffers = get('Buffers');
  const cached = get('Cached') + get('SReclaimable');
  const available = Math.min(total, meminfo.get('MemAvailable') ?? free + buffers + cached);
  const used = Math.max(0, total - available);
  const swapTotal = get('SwapTotal');
  return {
    memory: { total, used, available, free, buffers, cached, usedPct: total > 0 ? clampPct(round2((used / total) * 100)) : 0 },
    swap: { total: swapTotal, used: Math.max(0, swapTotal - get('SwapFree')) },
  };
}

/** /proc/net/dev: receive and transmit byte counters per interface. */
export function parseNetDev(text: string): { iface: string; rxBytes: number; txBytes: number }[] {
  const out: { iface: string; rxBytes: number; txBytes: number }[] = [];
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const iface = line.slice(0, colon).trim();
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    const rxBytes = fields[0];
    const txBytes = fields[8];
    if (!iface || !Number.isFinite(rxBytes) || !Number.isFinite(txBytes)) continue;
    out.push({ iface, rxBytes: rxBytes!, txBytes: txBytes! });
  }
  return out;
}

/** /proc/uptime: seconds since boot. */
export function parseUptime(text: string): number | null {
  const seconds = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

export interface Mount {
  device: string;
  mount: string;
  fstype: string;
}

/** /proc/self/mounts (fstab(5) format; spaces and the like in paths are octal escapes such as `\040`). */
export function parseMounts(text: string): Mount[] {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  const out: Mount[] = [];
  for (const line of text.split('\n')) {
    const [device, mount, fstype] = line.split(' ');
    if (device && mount && fstype) out.push({ device: unescape(device), mount: unescape(mount), fstype });
  }
  return out;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function clampPct(n: number): number {
  return Math.min(100, Math.max(0, n));
}
