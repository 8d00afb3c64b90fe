/**
 * Turns the facts script's output into NodeFacts. Each section is parsed on its own: one that is
 * empty or unreadable leaves its field out and never spoils the rest.
 */
import type { NodeFacts } from '@overmind/provider';
import { splitSections } from './facts-script.js';
import { parseInterfaces } from './facts-network.js';

type Disk = NonNullable<NodeFacts['disks']>[number];
type Filesystem = NonNullable<NodeFacts['filesystems']>[number];

// Virtual filesystems that say nothing about the server's storage.
const PSEUDO_FS = new Set(['tmpfs', 'devtmpfs', 'proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts', 'squashfs', 'efivarfs', 'securityfs']);

function safe<T>(parse: () => T | undefined): T | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}

function int(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*-?\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** `KEY=value` lines, values optionally quoted (os-release, lsblk -P pairs). */
function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) out[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return out;
}

function parseOs(text: string): NodeFacts['os'] {
  const kv = keyValues(text);
  if (!kv.ID && !kv.NAME) return undefined;
  return {
    ...(kv.ID ? { id: kv.ID } : {}),
    ...(kv.NAME ? { name: kv.NAME } : {}),
    ...(kv.VERSION ? { version: kv.VERSION } : {}),
    ...(kv.VERSION_ID ? { versionId: kv.VERSION_ID } : {}),
    ...(kv.PRETTY_NAME ? { prettyName: kv.PRETTY_NAME } : {}),
    ...(kv.ID_LIKE ? { idLike: kv.ID_LIKE.split(/\s+/).filter(Boolean) } : {}),
  };
}

function parseKernel(text: string): NodeFacts['kernel'] {
  const [name, release, version, machine] = text.split('\n').map((l) => l.trim());
  if (!release) return undefined;
  return { ...(name ? { name } : {}), release, ...(version ? { version } : {}), ...(machine ? { machine } : {}) };
}

function parseCpu(cpuinfo: string, nproc: string): NodeFacts['cpu'] {
  const entries = cpuinfo.split('\n').map((line) => {
    const at = line.indexOf(':');
    return at === -1 ? ['', ''] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
  });
  const values = (key: string) => entries.filter(([k]) => k === key).map(([, v]) => v!);
  const processors = values('processor').length;
  const count = processors || int(nproc);
  const model = values('model name')[0] ?? values('Hardware')[0] ?? values('Model')[0];
  const sockets = new Set(values('physical id')).size;
  const coresPerSocket = int(values('cpu cores')[0]);
  const mhz = Number(values('cpu MHz')[0]);
  if (!count && !model) return undefined;
  return {
    ...(model ? { model } : {}),
    ...(count ? { count } : {}),
    ...(sockets ? { sockets } : {}),
    ...(coresPerSocket ? { cores: coresPerSocket * Math.max(sockets, 1) } : {}),
    ...(Number.isFinite(mhz) && mhz > 0 ? { mhz: Math.round(mhz) } : {}),
  };
}

function parseMemory(text: string): NodeFacts['memory'] {
  const kib = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const total = kib('MemTotal');
  if (total === undefined) return undefined;
  const available = kib('MemAvailable');
  const swap = kib('SwapTotal');
  return { totalBytes: total, ...(available !== undefined ? { availableBytes: available } : {}), ...(swap !== undefined ? { swapTotalBytes: swap } : {}) };
}

function parseDisks(lsblk: string, sysblock: string): Disk[] | undefined {
  const disks: Disk[] = [];
  if (lsblk) {
    for (const line of lsblk.split('\n')) {
      const pairs: Record<string, string> = {};
      for (const m of line.matchAll(/([A-Z-]+)="([^"]*)"/g)) pairs[m[1]!] = m[2]!;
      const size = int(pairs.SIZE);
      if (!pairs.NAME || !size) continue;
      disks.push({
        name: pairs.NAME,
        sizeBytes: size,
        ...(pairs.TYPE ? { type: pairs.TYPE } : {}),
        ...(pairs.MODEL?.trim() ? { model: pairs.MODEL.trim() } : {}),
        ...(pairs.ROTA === '0' || pairs.ROTA === '1' ? { rotational: pairs.ROTA === '1' } : {}),
      });
    }
    return disks;
  }
  for (const line of sysblock.split('\n')) {
    const [name, sectors, rota] = line.trim().split(/\s+/);
    const size = int(sectors);
    if (!name || !size || /^(loop|ram|zram)/.test(name)) continue;
    disks.push({ name, sizeBytes: size * 512, type: 'disk', ...(rota === '0' || rota === '1' ? { rotational: rota === '1' } : {}) });
  }
  return sysblock ? disks : undefined;
}

function parseFilesystems(text: string): Filesystem[] | undefined {
  const lines = text.split('\n').filter(Boolean);
  const header = lines.shift();
  if (!header) return undefined;
  const typed = /\bType\b/.test(header);
  const out: Filesystem[] = [];
  for (const line of lines) {
    const cols = line.trim().split(/\s+/);
    const [device, maybeType] = cols;
    const rest = typed ? cols.slice(2) : cols.slice(1);
    // blocks used available capacity mountpoint (the mount point may contain spaces)
    const [blocks, used, available] = rest.map((c) => int(c));
    const mountPoint = rest.slice(4).join(' ');
    if (!device || blocks === undefined || used === undefined || available === undefined || !mountPoint) continue;
    const type = typed ? maybeType : undefined;
    if (type && PSEUDO_FS.has(type)) continue;
    out.push({ device, mountPoint, ...(type ? { type } : {}), sizeBytes: blocks * 1024, usedBytes: used * 1024, availableBytes: available * 1024 });
  }
  return out;
}

function parseDmi(text: string): NodeFacts['hardware'] {
  const kv = keyValues(text);
  const hardware = {
    ...(kv.sys_vendor ? { vendor: kv.sys_vendor } : {}),
    ...(kv.product_name ? { product: kv.product_name } : {}),
    ...(kv.product_serial ? { serial: kv.product_serial } : {}),
    ...(kv.bios_version ? { biosVersion: kv.bios_version } : {}),
  };
  return Object.keys(hardware).length ? hardware : undefined;
}

/** Parses the facts script's whole output. */
export function parseFacts(output: string, gatheredAt = new Date()): NodeFacts {
  const s = splitSections(output);
  const get = (name: string) => s.get(name) ?? '';
  const facts: NodeFacts = { gatheredAt: gatheredAt.toISOString() };
  const hostname = get('hostname').split('\n')[0]?.trim();
  if (hostname) facts.hostname = hostname;
  const assign = <K extends keyof NodeFacts>(key: K, value: NodeFacts[K] | undefined) => {
    if (value !== undefined) facts[key] = value;
  };
  assign('os', safe(() => parseOs(get('os-release'))));
  assign('kernel', safe(() => parseKernel(get('uname'))));
  assign('cpu', safe(() => parseCpu(get('cpuinfo'), get('nproc'))));
  assign('memory', safe(() => parseMemory(get('meminfo'))));
  assign('disks', safe(() => parseDisks(get('lsblk'), get('sysblock'))));
  assign('filesystems', safe(() => parseFilesystems(get('df'))));
  assign('network', safe(() => parseInterfaces(get('ip-addr'), get('ip-link'), get('sysnet'), get('route'))));
  assign('uptimeSeconds', safe(() => {
    const seconds = Number(get('uptime').split(/\s+/)[0]);
    return get('uptime') && Number.isFinite(seconds) ? Math.floor(seconds) : undefined;
  }));
  const virt = get('virt').split('\n')[0]?.trim();
  if (virt) facts.virtualization = virt;
  assign('hardware', safe(() => parseDmi(get('dmi'))));
  return facts;
}
