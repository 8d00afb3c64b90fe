/**
 * What one `readings` message becomes: named series values for the history (`cpu.total`, `load.1`,
 * `memory.used_pct`, `fs./var.used_pct`, `net.eth0.rx_bps`, ...) and the summary the node list shows.
 */
import type { ReadingsMessage } from '@overmind/agent-protocol';

export interface NodeReadingsView {
  at: string;
  intervalSeconds: number;
  /** Percent of CPU time not idle (null until the agent has two samples). */
  cpu: number | null;
  /** Percent of memory used (total - available). */
  memory: number;
  /** The busiest filesystem's use in percent, and where it is mounted. */
  disk: number | null;
  diskMount: string | null;
  load: [number, number, number];
}

const CPU_STATES = ['total', 'user', 'system', 'iowait', 'steal'] as const;

export function readingSeries(r: ReadingsMessage): [name: string, value: number][] {
  const out: [string, number][] = [];
  if (r.cpu) for (const s of CPU_STATES) out.push([`cpu.${s}`, r.cpu[s]]);
  out.push(['load.1', r.load[0]], ['load.5', r.load[1]], ['load.15', r.load[2]]);
  out.push(['memory.used_pct', r.memory.usedPct]);
  if (r.swap.total > 0) out.push(['swap.used_pct', Math.round((r.swap.used / r.swap.total) * 10000) / 100]);
  for (const fs of r.filesystems) out.push([`fs.${fs.mount}.used_pct`, fs.usedPct]);
  // Interfaces that never moved a byte (unused tunnels, ifb) are left out of the history.
  for (const n of r.network) {
    if (n.rxBytes + n.txBytes === 0) continue;
    if (n.rxBps !== null) out.push([`net.${n.iface}.rx_bps`, n.rxBps]);
    if (n.txBps !== null) out.push([`net.${n.iface}.tx_bps`, n.txBps]);
  }
  return out;
}

export function readingsView(r: ReadingsMessage, at: Date): NodeReadingsView {
  const busiest = r.filesystems.reduce<ReadingsMessage['filesystems'][number] | null>((top, fs) => (!top || fs.usedPct > top.usedPct ? fs : top), null);
  return {
    at: at.toISOString(),
    intervalSeconds: r.intervalSeconds,
    cpu: r.cpu?.total ?? null,
    memory: r.memory.usedPct,
    disk: busiest?.usedPct ?? null,
    diskMount: busiest?.mount ?? null,
    load: r.load,
  };
}
