import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import {
  createStateMapper,
  type CreateNodeRequest,
  type NodeState,
  type ProviderImage,
  type ProviderLocation,
  type ProviderNode,
  type ProviderSize,
} from '@overmind/provider';
import type {
  GlanceImage,
  NovaAvailabilityZone,
  NovaCreateServerRequest,
  NovaFlavor,
  NovaNetworks,
  NovaServer,
} from './openstack-types.js';
import { FLOATING_IP_KEY } from './openstack-networks.js';

/** Nova server `status` to NodeState; anything else becomes `unknown`. */
export const SERVER_STATES = {
  ACTIVE: 'running',
  BUILD: 'pending',
  REBUILD: 'pending',
  REBOOT: 'rebooting',
  HARD_REBOOT: 'rebooting',
  SHUTOFF: 'stopped',
  STOPPED: 'stopped',
  PAUSED: 'stopped',
  SUSPENDED: 'stopped',
  SHELVED: 'stopped',
  SHELVED_OFFLOADED: 'stopped',
  RESIZE: 'configuring',
  VERIFY_RESIZE: 'configuring',
  REVERT_RESIZE: 'configuring',
  PASSWORD: 'configuring',
  RESCUE: 'configuring',
  MIGRATING: 'running',
  ERROR: 'error',
  DELETED: 'terminated',
  SOFT_DELETED: 'terminated',
  UNKNOWN: 'unknown',
} as const satisfies Record<string, NodeState>;

/** A task in flight says more than the status it will leave (ACTIVE + powering-off is stopping). */
export const TASK_STATES = {
  // A real Nova shows ACTIVE while it builds networks or deletes: the task says what is going on.
  scheduling: 'pending',
  networking: 'pending',
  block_device_mapping: 'pending',
  spawning: 'pending',
  deleting: 'stopping',
  'powering-off': 'stopping',
  'powering-on': 'starting',
  rebooting: 'rebooting',
  reboot_pending: 'rebooting',
  reboot_started: 'rebooting',
  rebooting_hard: 'rebooting',
  reboot_pending_hard: 'rebooting',
  reboot_started_hard: 'rebooting',
} as const satisfies Record<string, NodeState>;

const serverStatus = createStateMapper(SERVER_STATES);
const taskState = createStateMapper(TASK_STATES);

export function serverState(server: Pick<NovaServer, 'status' | 'OS-EXT-STS:task_state'>): NodeState {
  const task = taskState(server['OS-EXT-STS:task_state']);
  return task === 'unknown' ? serverStatus(server.status) : task;
}

/** Metadata key carrying the Overmind idempotency key on a server. */
export const IDEMPOTENCY_METADATA_KEY = 'overmind-idempotency-key';

// Nova metadata values are at most 255 characters.
export function idempotencyValue(key: string): string {
  return key.length <= 255 ? key : createHash('sha256').update(key).digest('hex');
}

const privateRanges = new BlockList();
privateRanges.addSubnet('10.0.0.0', 8);
privateRanges.addSubnet('172.16.0.0', 12);
privateRanges.addSubnet('192.168.0.0', 16);
privateRanges.addSubnet('100.64.0.0', 10);
privateRanges.addSubnet('fc00::', 7, 'ipv6');
privateRanges.addSubnet('fe80::', 10, 'ipv6');

function isPrivate(addr: string): boolean {
  const family = isIP(addr);
  return family !== 0 && privateRanges.check(addr, family === 6 ? 'ipv6' : 'ipv4');
}

/** Floating addresses are public, fixed ones private; untyped ones are judged by their range. */
function addresses(server: NovaServer): { publicIps: string[]; privateIps: string[] } {
  const publicIps: string[] = [];
  const privateIps: string[] = [];
  for (const list of Object.values(server.addresses ?? {})) {
    for (const a of Array.isArray(list) ? list : []) {
      if (typeof a?.addr !== 'string') continue;
      const type = a['OS-EXT-IPS:type'];
      const isPublic = type === 'floating' || (type !== 'fixed' && !isPrivate(a.addr));
      (isPublic ? publicIps : privateIps).push(a.addr);
    }
  }
  // Nova shows a floating IP only once its network cache refreshes; the address Overmind allocated is known now.
  for (const access of [server.metadata?.[FLOATING_IP_KEY], server.accessIPv4, server.accessIPv6]) {
    if (access && !publicIps.includes(access) && !privateIps.includes(access)) publicIps.push(access);
  }
  return { publicIps, privateIps };
}

export function toNode(server: NovaServer): ProviderNode {
  const image = server.image && typeof server.image === 'object' ? server.image : null;
  return {
    id: server.id,
    name: server.name ?? '',
    state: serverState(server),
    ...addresses(server),
    imageId: image?.id ?? null,
    sizeId: server.flavor?.id ?? server.flavor?.original_name ?? null,
    locationId: server['OS-EXT-AZ:availability_zone'] || null,
    createdAt: server.created ?? null,
    extra: {
      status: server.status,
      taskState: server['OS-EXT-STS:task_state'] ?? null,
      vmState: server['OS-EXT-STS:vm_state'] ?? null,
      // Why a server is in ERROR (`No valid host was found.`), where Nova says.
      fault: server.fault?.message ?? null,
      powerState: server['OS-EXT-STS:power_state'] ?? null,
      keyName: server.key_name ?? null,
      metadata: server.metadata ?? {},
      tenantId: server.tenant_id,
      hostId: server.hostId,
      flavor: server.flavor,
      securityGroups: (server.security_groups ?? []).map((g) => g?.name),
      volumesAttached: (server['os-extended-volumes:volumes_attached'] ?? []).map((v) => v?.id),
    },
  };
}

export function toSize(flavor: NovaFlavor): ProviderSize {
  return {
    id: flavor.id,
    name: flavor.name ?? flavor.id,
    cpus: flavor.vcpus ?? null,
    ramMb: flavor.ram ?? null,
    diskGb: flavor.disk ?? null,
    // OpenStack publishes no prices; an operator's billing system does.
    priceHourly: null,
    priceMonthly: null,
    extra: {
      ephemeralGb: flavor['OS-FLV-EXT-DATA:ephemeral'] ?? 0,
      swapMb: typeof flavor.swap === 'number' ? flavor.swap : 0,
      isPublic: flavor['os-flavor-access:is_public'] ?? null,
      disabled: flavor['OS-FLV-DISABLED:disabled'] ?? false,
      description: flavor.description ?? null,
    },
  };
}

const OS_FAMILY: Record<string, string> = { windows: 'windows', freebsd: 'freebsd', openbsd: 'openbsd', netbsd: 'netbsd' };

export function toImage(image: GlanceImage): ProviderImage {
  const distro = (image.os_distro ?? image.os_type ?? '').toLowerCase();
  return {
    id: image.id,
    name: image.name ?? image.id,
    os: distro ? (OS_FAMILY[distro] ?? 'linux') : null,
    extra: {
      status: image.status,
      visibility: image.visibility,
      diskFormat: image.disk_format ?? null,
      containerFormat: image.container_format ?? null,
      minDiskGb: image.min_disk ?? 0,
      minRamMb: image.min_ram ?? 0,
      sizeBytes: image.size ?? null,
      owner: image.owner ?? null,
      osDistro: image.os_distro ?? null,
      osVersion: image.os_version ?? null,
      tags: image.tags ?? [],
      createdAt: image.created_at ?? null,
    },
  };
}

export function toLocation(zone: NovaAvailabilityZone): ProviderLocation {
  return { id: zone.zoneName, name: zone.zoneName, country: null, extra: { available: zone.zoneState?.available ?? false } };
}

/** The POST /servers body for an Overmind create request. */
export function toCreateServer(
  request: CreateNodeRequest,
  options: { keyName?: string | undefined; networks: NovaNetworks | undefined },
): NovaCreateServerRequest {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.tags ?? {})) metadata[k.slice(0, 255)] = String(v).slice(0, 255);
  metadata[IDEMPOTENCY_METADATA_KEY] = idempotencyValue(request.idempotencyKey);
  return {
    server: {
      name: request.name,
      flavorRef: request.sizeId,
      imageRef: request.imageId,
      ...(request.locationId ? { availability_zone: request.locationId } : {}),
      ...(options.keyName ? { key_name: options.keyName } : {}),
      ...(request.userData !== undefined ? { user_data: Buffer.from(request.userData, 'utf8').toString('base64') } : {}),
      metadata,
      ...(options.networks === undefined ? {} : { networks: options.networks }),
    },
  };
}
