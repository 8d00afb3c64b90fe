/** A registered node as a ProviderNode: state from BMC power and SSH reachability, IPs, details in extra. */
import { isIP } from 'node:net';
import type { NodeFacts, NodeState, ProviderNode, RegisteredNode } from '@overmind/provider';
import type { BmcPowerState } from './bmc.js';
import { describeBmc, type NodeRegistration } from './node-registration.js';

export interface Observation {
  /** Null without a BMC; `unknown` when the BMC could not tell. */
  power: BmcPowerState | null;
  /** Null when not checked. */
  sshUp: boolean | null;
  bmcError?: string;
  registrationError?: string;
}

/** The last power action Overmind took, kept in the node's state. */
export interface PowerActionRecord {
  action: 'on' | 'reboot' | 'cycle' | 'off' | 'soft';
  at: string;
}

const BOOTING: Record<PowerActionRecord['action'], NodeState | undefined> = {
  on: 'starting',
  reboot: 'rebooting',
  cycle: 'rebooting',
  off: undefined,
  soft: undefined,
};

export function deriveState(state: RegisteredNode['state'], seen: Observation, bootTimeoutMs: number, now = Date.now()): NodeState {
  if (state.decommissionedAt) return 'terminated';
  if (seen.registrationError) return 'error';
  if (seen.power === 'off') return 'stopped';
  if (seen.power === 'poweringOff') return 'stopping';
  if (seen.power === 'poweringOn') return 'starting';
  if (seen.sshUp) return 'running';
  // Powered (or no BMC) but SSH silent: booting if we started it a moment ago, else we cannot tell.
  const last = state.lastPowerAction as PowerActionRecord | undefined;
  const booting = last ? BOOTING[last.action] : undefined;
  if (booting && now - Date.parse(last!.at) < bootTimeoutMs) return booting;
  return 'unknown';
}

function isPrivate(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b < 128);
  }
  const lower = ip.toLowerCase();
  return lower === '::1' || lower.startsWith('fc') || lower.startsWith('fd') || lower.startsWith('fe80');
}

function addresses(address: string, facts: NodeFacts | undefined): { publicIps: string[]; privateIps: string[] } {
  const ips = new Set<string>();
  if (isIP(address)) ips.add(address);
  for (const iface of facts?.network?.interfaces ?? []) {
    if (iface.name === 'lo') continue;
    for (const a of iface.addresses) if (!a.address.toLowerCase().startsWith('fe80')) ips.add(a.address);
  }
  const all = [...ips];
  return { publicIps: all.filter((ip) => !isPrivate(ip)), privateIps: all.filter(isPrivate) };
}

export function nodeView(
  record: RegisteredNode,
  registration: NodeRegistration | undefined,
  seen: Observation,
  bootTimeoutMs: number,
): ProviderNode {
  const facts = record.state.facts as NodeFacts | undefined;
  const address = registration?.address ?? String(record.registration.address ?? '');
  return {
    id: record.id,
    name: record.name,
    state: deriveState(record.state, seen, bootTimeoutMs),
    ...addresses(address, facts),
    imageId: null,
    sizeId: null,
    locationId: null,
    createdAt: typeof record.state.registeredAt === 'string' ? record.state.registeredAt : null,
    extra: {
      address,
      ...(registration ? { sshPort: registration.ssh.port, sshUsername: registration.ssh.username } : {}),
      bmc: registration?.bmc ? describeBmc(registration.bmc) : null,
      power: seen.power,
      sshReachable: seen.sshUp,
      hostKeyFingerprint: record.state.hostKeyFingerprint ?? null,
      ...(facts ? { facts } : {}),
      ...(seen.bmcError ? { bmcError: seen.bmcError } : {}),
      ...(seen.registrationError ? { registrationError: seen.registrationError } : {}),
      ...(record.state.decommissionedAt ? { decommissionedAt: record.state.decommissionedAt } : {}),
    },
  };
}
