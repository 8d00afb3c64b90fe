/**
 * Readings: the /proc parsers on fixed inputs, the collector's figures against what this machine's
 * /proc, free(1), df(1) and Node's os module say at the same moment, and the agent sending them only
 * when the server asked.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { loadavg, totalmem, uptime } from 'node:os';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAgentMessage, encodeMessage, type ReadingsMessage } from '@overmind/agent-protocol';
import { dataMounts } from '../src/readings/filesystems.js';
import { cpuShare, memoryFigures, parseCpuTimes, parseMeminfo, parseMounts, parseNetDev } from '../src/readings/proc-parsers.js';
import { ReadingsCollector } from '../src/readings/readings-collector.js';
import { killAgents, makeAgentHome, type AgentHome } from './support/agent-process.js';
import { ProtocolServer } from './support/protocol-server.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('/proc parsers', () => {
  it('reads the aggregate cpu line and shares ticks between samples, a counter stepping back counting as zero', () => {
    const a = parseCpuTimes('cpu  100 0 50 800 10 0 5 0 0 0\ncpu0 50 0 25 400 5 0 2 0 0 0\n')!;
    const b = parseCpuTimes('cpu  160 0 70 900 8 0 10 5 0 0\ncpu0 80 0 35 450 4 0 5 2 0 0\n')!;
    // Ticks: user 60, system 20, idle 100, iowait -2 -> 0, softirq 5, steal 5: 190 in all.
    const share = cpuShare(a, b)!;
    expect(share.user).toBeCloseTo((60 / 190) * 100, 1);
    expect(share.iowait).toBe(0);
    expect(share.total).toBeCloseTo(100 - (100 / 190) * 100, 1);
    expect(share.user + share.nice + share.system + share.idle + share.iowait + share.irq + share.softirq + share.steal).toBeCloseTo(100, 0);
    expect(cpuShare(a, a)).toBeNull();
    expect(parseCpuTimes('intr 1 2 3')).toBeNull();
  });

  it('computes memory as free(1) does, and falls back where MemAvailable is missing (kernels before 3.14)', () => {
    const info = parseMeminfo('MemTotal:        1000 kB\nMemFree:          100 kB\nMemAvailable:     600 kB\nBuffers:           50 kB\nCached:           300 kB\nSReclaimable:      20 kB\nSwapTotal:        200 kB\nSwapFree:         150 kB\nHugePages_Total:       0\n');
    expect(memoryFigures(info)).toEqual({
      memory: { total: 1024000, used: 409600, available: 614400, free: 102400, buffers: 51200, cached: 327680, usedPct: 40 },
      swap: { total: 204800, used: 51200 },
    });
    expect(info.get('HugePages_Total')).toBe(0);
    const old = memoryFigures(parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 300 kB\n'));
    expect(old.memory).toMatchObject({ available: 450 * 1024, used: 550 * 1024, usedPct: 55 });
  });

  it('reads interface counters and mount points with escaped spaces', () => {
    const dev = 'Inter-|   Receive |  Transmit\n face |bytes packets|bytes\n    lo: 10 1 0 0 0 0 0 0 10 1 0 0 0 0 0 0\n  eth0:1872814055  156871    0    0    0     0          0         0 10823005  132624    0    0    0     0       0          0\n';
    expect(parseNetDev(dev)).toEqual([
      { iface: 'lo', rxBytes: 10, txBytes: 10 },
      { iface: 'eth0', rxBytes: 1872814055, txBytes: 10823005 },
    ]);
    expect(parseMounts('/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0\n')).toEqual([{ device: '/dev/sdb1', mount: '/mnt/my disk', fstype: 'ext4' }]);
  });

  it('keeps data filesystems only, each device once at its shortest mount point', () => {
    const mounts = parseMounts(
      [
        'proc /proc proc rw 0 0',
        'sysfs /sys sysfs rw 0 0',
        'tmpfs /run tmpfs rw 0 0',
        '/dev/vda1 / ext4 rw 0 0',
        '/dev/vda1 /var/lib/docker/x ext4 rw 0 0',
        'overlay /var/lib/docker/overlay2/abc/merged overlay rw 0 0',
        '/dev/loop0 /snap/core/1 squashfs ro 0 0',
        '/dev/vdb /data xfs rw 0 0',
        'server:/export /mnt/nfs nfs4 rw 0 0',
        'cgroup2 /sys/fs/cgroup cgroup2 rw 0 0',
        'zroot/home /home zfs rw 0 0',
      ].join('\n'),
    );
    expect(dataMounts(mounts).map((m) => m.mount)).toEqual(['/', '/data', '/home']);
  });
});

/** This machine's aggregate CPU ticks, parsed here independently of the agent's code. */
async function cpuTicks(): Promise<number[]> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
  expect(line).toMatch(/^cpu\s/);
  return line.trim().split(/\s+/).slice(1, 9).map(Number);
}

describe('the collector on this machine', () => {
  it('reports what /proc, free, df and the os module say at the same moment', async () => {
    const collector = new ReadingsCollector();
    const first = await collector.sample(15);
    expect(first.cpu).toBeNull();
    expect(first.network.every((n) => n.rxBps === null && n.txBps === null)).toBe(true);
    expect(decodeAgentMessage(encodeMessage(first))).toMatchObject({ ok: true });

    const before = await cpuTicks();
    await collector.sample(15);
    await sleep(1500);
    const reading = await collector.sample(15);
    const after = await cpuTicks();
    const [free, df] = await Promise.all([run('free', ['-b']), run('df', ['-B1', '-P', '-T'])]);
    expect(decodeAgentMessage(encodeMessage(reading))).toMatchObject({ ok: true });

    // CPU: the same window within a few milliseconds at each end, so the shares agree closely.
    const delta = after.map((v, i) => v - before[i]!);
    const all = delta.reduce((a, b) => a + b, 0);
    const pct = (i: number) => (delta[i]! / all) * 100;
    const cpu = reading.cpu!;
    expect(cpu.count).toBe((await readFile('/proc/stat', 'utf8')).split('\n').filter((l) => /^cpu\d/.test(l)).length);
    expect(Math.abs(cpu.user - pct(0))).toBeLessThan(5);
    expect(Math.abs(cpu.system - pct(2))).toBeLessThan(5);
    expect(Math.abs(cpu.idle - pct(3))).toBeLessThan(5);
    expect(Math.abs(cpu.total - (100 - pct(3) - pct(4)))).toBeLessThan(5);
    const sum = cpu.user + cpu.nice + cpu.system + cpu.idle + cpu.iowait + cpu.irq + cpu.softirq + cpu.steal;
    expect(sum).toBeGreaterThan(99.5);
    expect(sum).toBeLessThan(100.5);

    // Load and uptime: the kernel's own figures.
    reading.load.forEach((l, i) => expect(Math.abs(l - loadavg()[i]!)).toBeLessThanOrEqual(Math.max(0.5, loadavg()[i]! * 0.1)));
    expect(Math.abs(reading.uptimeSeconds - uptime())).toBeLessThan(5);

    // Memory: free(1) of procps-ng 4 (used = total - available), a moment later.
    const mem = free.stdout.split('\n').find((l) => l.startsWith('Mem:'))!.trim().split(/\s+/).slice(1).map(Number);
    const swap = free.stdout.split('\n').find((l) => l.startsWith('Swap:'))!.trim().split(/\s+/).slice(1).map(Number);
    const slack = 128 * 1024 * 1024;
    expect(reading.memory.total).toBe(totalmem());
    expect(reading.memory.total).toBe(mem[0]);
    expect(Math.abs(reading.memory.used - mem[1]!)).toBeLessThan(slack);
    expect(Math.abs(reading.memory.available - mem[5]!)).toBeLessThan(slack);
    expect(reading.memory.usedPct).toBeCloseTo((reading.memory.used / reading.memory.total) * 100, 1);
    expect(reading.swap.total).toBe(swap[0]);

    // Filesystems: df's sizes, and every data filesystem df lists is there.
    const rows = df.stdout.trim().split('\n').slice(1).map((l) => {
      const f = l.trim().split(/\s+/);
      return { type: f[1]!, size: Number(f[2]), used: Number(f[3]), avail: Number(f[4]), pct: Number(f[5]!.replace('%', '')), mount: f.slice(6).join(' ') };
    });
    expect(reading.filesystems.length).toBeGreaterThan(0);
    for (const fs of reading.filesystems) {
      const row = rows.find((r) => r.mount === fs.mount);
      expect(row, `df lists ${fs.mount}`).toBeDefined();
      expect(fs.size).toBe(row!.size);
      expect(Math.abs(fs.used - row!.used)).toBeLessThan(Math.max(64 * 1024 * 1024, fs.size * 0.001));
      expect(Math.abs(fs.avail - row!.avail)).toBeLessThan(Math.max(64 * 1024 * 1024, fs.size * 0.001));
      // df rounds Use% up to a whole percent.
      expect(Math.abs(Math.ceil(fs.usedPct) - row!.pct)).toBeLessThanOrEqual(1);
    }
    const dataTypes = /^(ext[234]|xfs|btrfs|zfs|f2fs|vfat|jfs|reiserfs)$/;
    for (const row of rows.filter((r) => dataTypes.test(r.type))) expect(reading.filesystems.map((f) => f.mount)).toContain(row.mount);

    // Network: the interface counters of /sys, read just after, are at or a little past ours.
    expect(reading.network.some((n) => n.iface === 'lo')).toBe(false);
    for (const n of reading.network) {
      const rx = Number(await readFile(`/sys/class/net/${n.iface}/statistics/rx_bytes`, 'utf8'));
      expect(rx).toBeGreaterThanOrEqual(n.rxBytes);
      expect(rx - n.rxBytes).toBeLessThan(100 * 1024 * 1024);
      expect(n.rxBps).toBeGreaterThanOrEqual(0);
      expect(n.txBps).toBeGreaterThanOrEqual(0);
    }
  });

  it('turns counter differences into rates over the time between samples', async () => {
    // A rate is the counter difference over the time between samples: checked with the counters themselves.
    const collector = new ReadingsCollector();
    const t0 = Date.now();
    const a = await collector.sample(15, t0);
    const b = await collector.sample(15, t0 + 2000);
    for (const n of b.network) {
      const prev = a.network.find((x) => x.iface === n.iface)!;
      expect(n.rxBps).toBeCloseTo((n.rxBytes - prev.rxBytes) / 2, 1);
      expect(n.txBps).toBeCloseTo((n.txBytes - prev.txBytes) / 2, 1);
    }
  });
});

describe('the agent sending readings', () => {
  let server: ProtocolServer;
  let agent: AgentHome;

  beforeAll(async () => {
    server = await ProtocolServer.start({ heartbeatSeconds: 1 });
    agent = await makeAgentHome();
    await agent.enroll(server.url, server.token('node-1'));
  });
  afterAll(async () => {
    await killAgents();
    await server.close();
    await agent.remove();
  });

  it('sends nothing unless the server asks, then one reading per interval, on its schema', async () => {
    const quiet = agent.start();
    await expect.poll(() => server.received('heartbeat').length).toBeGreaterThanOrEqual(4);
    expect(server.welcomedSessions()[0]!.hello!.capabilities).toContain('readings');
    expect(server.received('readings')).toEqual([]);
    await quiet.stop();

    server.options.features = { readings: { intervalSeconds: 2 } };
    const running = agent.start();
    await expect.poll(() => server.received('readings').length, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    const readings: ReadingsMessage[] = server.received('readings');
    // The server decoded each one with the protocol's codec: none was off its schema.
    expect(server.protocolErrors).toEqual([]);
    expect(readings.every((r) => r.intervalSeconds === 2 && r.cpu !== null && r.filesystems.length > 0)).toBe(true);
    const gaps = readings.slice(1).map((r, i) => Date.parse(r.at) - Date.parse(readings[i]!.at));
    for (const gap of gaps.slice(1)) expect(gap).toBeGreaterThan(1500);
    await running.stop();
  });
});
