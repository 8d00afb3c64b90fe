/** Turns what virsh reports about a domain into a ProviderNode. */
import { BlockList, isIP } from 'node:net';
import { createStateMapper, type NodeState, type ProviderNode } from '@overmind/provider';
import type { DomainInfo } from './domain-xml-parser.js';

/** `virsh domstate` words (LC_ALL=C) to normalized states; anything else is `unknown`. */
export const DOMSTATE_MAP: Readonly<Record<string, NodeState>> = {
  running: 'running',
  idle: 'running',
  blocked: 'running',
  // A paused guest keeps its memory but runs nothing: not running, and resumable rather than bootable.
  paused: 'stopped',
  'in shutdown': 'stopping',
  'shut off': 'stopped',
  crashed: 'error',
  pmsuspended: 'stopped',
};

export const mapDomainState = createStateMapper(DOMSTATE_MAP);

/** Splits `virsh domstate --reason` output, e.g. `shut off (destroyed)`. */
export function parseDomState(output: string): { raw: string; reason: string | null } {
  const line = output.trim().split('\n')[0]?.trim() ?? '';
  const match = /^(.*?)\s*\(([^)]*)\)$/.exec(line);
  return match ? { raw: match[1]!, reason: match[2]! } : { raw: line, reason: null };
}

export interface InterfaceAddress {
  interface: string;
  mac: string | null;
  protocol: string;
  address: string;
  prefix: number | null;
}

/**
 * Parses the `virsh domifaddr` table. Rows of a second address on the same interface show `-` for
 * the name and MAC; they inherit the row above.
 */
export function parseDomIfAddr(output: string): InterfaceAddress[] {
  const out: InterfaceAddress[] = [];
  let last: { name: string; mac: string | null } | undefined;
  for (const line of output.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length !== 4 || !/^ipv[46]$/.test(cols[2]!)) continue;
    const [name, mac, protocol, cidr] = cols as [string, string, string, string];
    const current = name === '-' && last ? last : { name, mac: mac === '-' ? null : mac };
    last = current;
    const [address, prefix] = cidr.split('/');
    if (!address || !isIP(address)) continue;
    out.push({ interface: current.name, mac: current.mac, protocol, address, prefix: prefix ? Number(prefix) : null });
  }
  return out;
}

const PRIVATE = new BlockList();
for (const [net, bits] of [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10], ['169.254.0.0', 16], ['127.0.0.0', 8]] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['fc00::', 7], ['fe80::', 10], ['::1', 128]] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  return PRIVATE.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

export interface DomainReport {
  info: DomainInfo;
  domstate: string;
  addresses: InterfaceAddress[];
}

export function mapDomain(report: DomainReport, locationId: string): ProviderNode {
  const { info, addresses } = report;
  const { raw, reason } = parseDomState(report.domstate);
  const ips = [...new Set(addresses.map((a) => a.address))];
  const meta = info.overmind;
  return {
    id: info.uuid,
    name: info.name,
    state: mapDomainState(raw),
    publicIps: ips.filter((ip) => !isPrivateAddress(ip)),
    privateIps: ips.filter(isPrivateAddress),
    imageId: meta?.imageId || null,
    sizeId: meta?.sizeId || null,
    locationId,
    createdAt: meta?.createdAt || null,
    extra: {
      domstate: raw,
      stateReason: reason,
      domainType: info.type ?? null,
      domainId: info.runningId ?? null,
      memoryMb: info.memoryMb,
      vcpus: info.vcpus,
      disks: info.disks,
      interfaces: info.interfaces,
      addresses,
      managedByOvermind: meta !== undefined,
      ...(info.title ? { title: info.title } : {}),
      ...(meta && Object.keys(meta.tags).length ? { tags: meta.tags } : {}),
      ...(meta?.volumes.length ? { clonedVolumes: meta.volumes } : {}),
    },
  };
}
