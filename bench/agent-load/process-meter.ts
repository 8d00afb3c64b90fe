/**
 * What a process costs, read from Linux's /proc: resident memory (VmRSS) and CPU time (utime + stime,
 * in clock ticks of 1/100 s), so that a process's share of a core is its own, whatever else runs.
 */
import { readdir, readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100; // `getconf CLK_TCK` on Linux x86-64 and arm64

export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kib) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

/** CPU seconds the process has used so far, in user space and in the kernel. */
export async function cpuTimes(pid: number): Promise<{ user: number; system: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
}

/**
 * A process's parent, and the CPU seconds of the process and of the children it has waited for
 * (utime, stime, cutime, cstime: fields 14 to 17 of the whole line); null once it has exited.
 */
export async function withReaped(pid: number): Promise<{ ppid: number; seconds: number } | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), seconds: fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0) / TICKS_PER_SECOND };
}

/**
 * CPU seconds all of Postgres has used so far: the postmaster, its live backends, and the backends
 * that have exited (the postmaster waited for them: its cutime + cstime). Differences of this count
 * connections opened and closed in between, which a list of processes taken once would miss.
 */
export async function postgresCpuSeconds(dataDir: string): Promise<number> {
  const postmaster = Number((await readFile(`${dataDir}/postmaster.pid`, 'utf8')).split('\n')[0]);
  const own = (await withReaped(postmaster))?.seconds;
  if (own === undefined) throw new Error(`the postmaster ${postmaster} is not running`);
  const live = await cpuSecondsEach((await postgresPids(dataDir)).slice(1));
  return own + live.reduce<number>((sum, s) => sum + (s ?? 0), 0);
}

/**
 * CPU seconds every process on the machine has used so far, by process, with what it is: Chromium's
 * by their role (`--type`: renderer, GPU, the network service; the browser process has none),
 * Postgres' together, the kernel's worker threads together (they rename themselves by the work they
 * do), processes in `names` by their name there, the others by command name.
 */
export async function cpuSecondsOfAll(names: Record<number, string> = {}): Promise<Map<number, { kind: string; seconds: number }>> {
  const out = new Map<number, { kind: string; seconds: number }>();
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d)).map(Number)) {
    try {
      const [stat, cmdline] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/cmdline`, 'utf8')]);
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      // Chromium rewrites its command line into one string: its arguments may be apart by spaces.
      const args = cmdline.split(/[\0 ]/);
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length);
      const sub = args.find((a) => a.startsWith('--utility-sub-type='))?.split('.')[0]?.slice('--utility-sub-type='.length);
      const chromium = type ? `Chromium ${type === 'utility' && sub ? sub : type}` : /chrom/i.test(comm) || /chrom/i.test(args[0] ?? '') ? 'Chromium browser' : undefined;
      const kind = names[pid] ?? chromium ?? (comm.startsWith('postgres') ? 'Postgres' : comm.startsWith('kworker') ? 'kernel workers' : comm);
      out.set(pid, { kind, seconds });
    } catch {
      // exited while being read
    }
  }
  return out;
}

/**
 * What each kind of process used between two readings of cpuSecondsOfAll, most first: a process
 * started in between counts whole, one that exited in between is missing.
 */
export function cpuSecondsSpent(before: Map<number, { seconds: number }>, after: Map<number, { kind: string; seconds: number }>): [kind: string, seconds: number][] {
  const byKind = new Map<string, number>();
  for (const [pid, { kind, seconds }] of after) {
    const spent = seconds - (before.get(pid)?.seconds ?? 0);
    if (spent > 0) byKind.set(kind, (byKind.get(kind) ?? 0) + spent);
  }
  return [...byKind].sort((a, b) => b[1] - a[1]);
}

export async function cpuSeconds(pid: number): Promise<number> {
  const { user, system } = await cpuTimes(pid);
  return user + system;
}

export interface Usage {
  seconds: number;
  /** Share of one core over the window, in percent. */
  cpuPercent: number;
  /** The part of cpuPercent spent in the kernel (sockets, mostly). */
  systemPercent: number;
  rssMeanBytes: number;
  rssMaxBytes: number;
}

/** Samples processes' RSS every `everyMs` for `seconds` and their CPU time at both ends. */
export async function measureUsage(pids: Record<string, number>, seconds: number, everyMs = 1000): Promise<Record<string, Usage>> {
  const names = Object.keys(pids);
  const cpu0 = await Promise.all(names.map((n) => cpuTimes(pids[n]!)));
  const t0 = performance.now();
  const rss: number[][] = names.map(() => []);
  while (performance.now() - t0 < seconds * 1000) {
    const samples = await Promise.all(names.map((n) => rssBytes(pids[n]!)));
    samples.forEach((s, i) => rss[i]!.push(s));
    await new Promise((r) => setTimeout(r, everyMs));
  }
  const cpu1 = await Promise.all(names.map((n) => cpuTimes(pids[n]!)));
  const elapsed = (performance.now() - t0) / 1000;
  const out: Record<string, Usage> = {};
  names.forEach((n, i) => {
    const r = rss[i]!;
    out[n] = {
      seconds: elapsed,
      cpuPercent: ((cpu1[i]!.user + cpu1[i]!.system - cpu0[i]!.user - cpu0[i]!.system) / elapsed) * 100,
      systemPercent: ((cpu1[i]!.system - cpu0[i]!.system) / elapsed) * 100,
      rssMeanBytes: r.reduce((a, b) => a + b, 0) / r.length,
      rssMaxBytes: Math.max(...r),
    };
  });
  return out;
}

/** Postgres' processes: the postmaster (from its pid file) and its children, whose CPU adds up. */
export async function postgresPids(dataDir: string): Promise<number[]> {
  const postmaster = Number((await readFile(`${dataDir}/postmaster.pid`, 'utf8')).split('\n')[0]);
  const children = await readFile(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').catch(() => '');
  return [postmaster, ...children.trim().split(/\s+/).filter(Boolean).map(Number)];
}

/** CPU seconds each of a set of processes has used (null for one that is gone). */
export async function cpuSecondsEach(pids: number[]): Promise<(number | null)[]> {
  return Promise.all(pids.map((p) => cpuSeconds(p).catch(() => null)));
}

/** CPU seconds used between two readings, by the processes alive at both (Postgres' backends come and go). */
export function cpuSecondsBetween(before: (number | null)[], after: (number | null)[]): number {
  return before.reduce<number>((sum, b, i) => (b === null || after[i] === null || after[i] === undefined ? sum : sum + (after[i]! - b)), 0);
}

/** The whole machine's CPU time so far, busy and in all, in ticks (from /proc/stat's first line). */
export async function machineTicks(): Promise<{ busy: number; total: number }> {
  const fields = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3]! + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/** Times a listening socket's accept queue overflowed (SYNs or connections dropped), machine-wide. */
export async function listenOverflows(): Promise<number> {
  const lines = (await readFile('/proc/net/netstat', 'utf8')).split('\n');
  const header = lines.findIndex((l) => l.startsWith('TcpExt:'));
  const names = lines[header]!.split(/\s+/);
  const values = lines[header + 1]!.split(/\s+/);
  return Number(values[names.indexOf('ListenOverflows')] ?? 0);
}
