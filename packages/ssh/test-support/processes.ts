/** Process lookups through /proc, so fixtures and tests need no procps. */
import { readFile, readdir } from 'node:fs/promises';

interface ProcEntry {
  pid: number;
  ppid: number;
  /** argv joined by spaces. */
  cmdline: string;
}

export async function listProcesses(): Promise<ProcEntry[]> {
  const out: ProcEntry[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const [stat, cmdline] = await Promise.all([
      readFile(`/proc/${entry}/stat`, 'utf8').catch(() => ''),
      readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => ''),
    ]);
    // The command name sits in parentheses and may contain spaces; fields resume after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!stat || !Number.isFinite(ppid)) continue;
    out.push({ pid: Number(entry), ppid, cmdline: cmdline.split('\0').join(' ').trim() });
  }
  return out;
}

/** All descendants of `pid`. */
export async function descendants(pid: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const p of await listProcesses()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const out: number[] = [];
  const walk = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

/** Processes whose command line contains `text`. */
export async function processesMatching(text: string): Promise<ProcEntry[]> {
  return (await listProcesses()).filter((p) => p.cmdline.includes(text) && p.pid !== process.pid);
}
