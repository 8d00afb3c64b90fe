/**
 * Samples the node's vital signs for the `readings` message, straight from /proc: CPU time shares
 * and network rates are differences from the previous sample, so the collector keeps that one sample
 * (a few numbers per interface) and nothing else between calls.
 */
import { readFile } from 'node:fs/promises';
import { MAX_READING_INTERFACES, type ReadingsMessage } from '@overmind/agent-protocol';
import { dataMounts, measureFilesystem } from './filesystems.js';
import {
  countCpus,
  cpuShare,
  memoryFigures,
  parseCpuTimes,
  parseLoadavg,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseUptime,
  round2,
  type CpuTimes,
} from './proc-parsers.js';

interface Previous {
  at: number;
  cpu: CpuTimes | null;
  net: Map<string, { rx: number; tx: number }>;
}

export class ReadingsCollector {
  #previous: Previous | null = null;

  /** Takes a sample and the figures since the previous one. */
  async sample(intervalSeconds: number, now = Date.now()): Promise<ReadingsMessage> {
    const [stat, loadavg, meminfo, netdev, uptime, mounts] = await Promise.all(
      ['/proc/stat', '/proc/loadavg', '/proc/meminfo', '/proc/net/dev', '/proc/uptime', '/proc/self/mounts'].map((p) => readFile(p, 'utf8').catch(() => '')),
    );
    const cpuTimes = parseCpuTimes(stat!);
    const previous = this.#previous;
    const share = previous?.cpu && cpuTimes ? cpuShare(previous.cpu, cpuTimes) : null;
    const seconds = previous ? (now - previous.at) / 1000 : 0;
    const counters = parseNetDev(netdev!).filter((n) => n.iface !== 'lo');
    const rate = (after: number, before: number | undefined) =>
      before === undefined || seconds <= 0 || after < before ? null : round2((after - before) / seconds);
    const network = counters.slice(0, MAX_READING_INTERFACES).map((n) => {
      const before = previous?.net.get(n.iface);
      return { iface: n.iface.slice(0, 64), rxBytes: n.rxBytes, txBytes: n.txBytes, rxBps: rate(n.rxBytes, before?.rx), txBps: rate(n.txBytes, before?.tx) };
    });
    const filesystems = (await Promise.all(dataMounts(parseMounts(mounts!)).map(measureFilesystem))).filter((f) => f !== null);
    this.#previous = { at: now, cpu: cpuTimes, net: new Map(counters.map((n) => [n.iface, { rx: n.rxBytes, tx: n.txBytes }])) };
    const { memory, swap } = memoryFigures(parseMeminfo(meminfo!));
    return {
      type: 'readings',
      at: new Date(now).toISOString(),
      intervalSeconds,
      cpu: share ? { count: Math.max(1, countCpus(stat!)), ...share } : null,
      load: parseLoadavg(loadavg!) ?? [0, 0, 0],
      memory,
      swap,
      filesystems,
      network,
      uptimeSeconds: parseUptime(uptime!) ?? 0,
    };
  }

  /** Forgets the previous sample (after a long pause its differences would mean little). */
  reset(): void {
    this.#previous = null;
  }
}
