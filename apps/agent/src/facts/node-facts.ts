/**
 * The node's facts for the `facts` message: a small, stable description (OS, kernel, CPU, memory,
 * disks and filesystems, network addresses, virtualization, DMI, versions) and the SHA-256 of its
 * canonical JSON, so the agent re-sends only when something changed. Only values that stay put go in:
 * a filesystem's size but not its use (that is a reading), so the hash moves only on a real change.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { arch, cpus, hostname, networkInterfaces, release, totalmem } from 'node:os';
import { dataMounts, measureFilesystem } from '../readings/filesystems.js';
import { parseMounts } from '../readings/proc-parsers.js';
import { readDisks, readDmi } from './hardware-facts.js';
import { detectVirtualization } from './virtualization.js';

const OS_RELEASE_FIELDS = ['ID', 'ID_LIKE', 'NAME', 'PRETTY_NAME', 'VERSION', 'VERSION_ID', 'VERSION_CODENAME'];

/** The fields of os-release(5) worth showing, keyed in lower case. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m || !OS_RELEASE_FIELDS.includes(m[1]!)) continue;
    let value = m[2]!;
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    out[m[1]!.toLowerCase()] = value;
  }
  return out;
}

async function osRelease(): Promise<Record<string, string>> {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return parseOsRelease(await readFile(path, 'utf8'));
    } catch {
      // try the next place
    }
  }
  return {};
}

export interface FilesystemFact {
  mount: string;
  device: string;
  fstype: string;
  sizeBytes: number;
}

/** The data filesystems readings measure (the same selection), with their size alone. */
export async function readFilesystemFacts(mountsPath = '/proc/self/mounts'): Promise<FilesystemFact[]> {
  let text: string;
  try {
    text = await readFile(mountsPath, 'utf8');
  } catch {
    return [];
  }
  const measured = await Promise.all(dataMounts(parseMounts(text)).map(measureFilesystem));
  return measured.flatMap((f) => (f ? [{ mount: f.mount, device: f.device, fstype: f.fstype, sizeBytes: f.size }] : []));
}

export async function collectFacts(agentVersion: string): Promise<Record<string, unknown>> {
  const processors = cpus();
  const [os, disks, filesystems, virtualization, dmi] = await Promise.all([
    osRelease(), readDisks(), readFilesystemFacts(), detectVirtualization(), readDmi(),
  ]);
  const interfaces = Object.entries(networkInterfaces())
    .filter(([, addrs]) => addrs?.some((a) => !a.internal))
    .map(([name, addrs]) => ({
      name,
      mac: addrs?.find((a) => a.mac && a.mac !== '00:00:00:00:00:00')?.mac ?? null,
      addresses: (addrs ?? []).map((a) => ({ family: a.family, address: a.address, cidr: a.cidr })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    hostname: hostname(),
    os,
    kernel: release(),
    arch: arch(),
    cpu: { model: processors[0]?.model.trim() ?? null, count: processors.length },
    memoryBytes: totalmem(),
    network: interfaces,
    disks,
    filesystems,
    virtualization,
    dmi,
    nodeVersion: process.version,
    agentVersion,
  };
}

/** JSON with object keys sorted at every level: the same facts always hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function factsHash(facts: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(facts)).digest('hex');
}
