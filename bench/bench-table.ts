/** How every benchmark prints its figures: a Markdown table of each figure, its ceiling, their ratio and the targets. */
import { cpus, loadavg, totalmem } from 'node:os';

/** The 1-minute load average now, for the line of each measure taken on a shared machine. */
export const load1 = () => loadavg()[0]!.toFixed(2);

/** The machine and the moment, for the heading of a results table. */
export function machineLine(extra = ''): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}${extra}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

/**
 * One line of a results table: Overmind's figure next to the same work's ceiling measured in the
 * same run (the same thing with nothing of Overmind's in the way), their ratio, and the targets.
 */
export interface Measure {
  measure: string;
  overmind: string;
  ceiling?: string;
  /** Overmind ÷ ceiling, as printed (e.g. "0.42" or "1.8×"). */
  ratio?: string;
  /** The targets, ratio and absolute, e.g. "≥ 0.5; ≥ 3,000 req/s". */
  target?: string;
  /** Whether every target was met; undefined when there is none. */
  met?: boolean;
  /** The 1-minute load average when the Overmind figure was taken. */
  load?: string;
}

/** Overmind ÷ ceiling with two decimals, or — when either is missing. */
export function ratio(overmind: number | null | undefined, ceiling: number | null | undefined, suffix = ''): string {
  if (overmind == null || ceiling == null || ceiling === 0) return '—';
  return `${(overmind / ceiling).toFixed(2)}${suffix}`;
}

export function printTable(heading: string, rows: Measure[]): void {
  console.log(`\n${heading}\n`);
  console.log('| Measure | Overmind | Ceiling | Ratio | Target (ratio; absolute) | Met | Load |\n| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const met = r.met === undefined ? '' : r.met ? 'yes' : '**no**';
    console.log(`| ${r.measure} | ${r.overmind} | ${r.ceiling ?? ''} | ${r.ratio ?? ''} | ${r.target ?? ''} | ${met} | ${r.load ?? ''} |`);
  }
}
