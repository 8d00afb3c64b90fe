/** Generates the domain XML Overmind defines, and the identity rules it relies on. */
import { createHash } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import type { DomainType } from './libvirt-settings.js';

/** Namespace of Overmind's element in a domain's `<metadata>`. */
export const METADATA_NS = 'https://overmind.dev/xmlns/libvirt/1';
export const METADATA_PREFIX = 'ovm';
export const DISKLESS_IMAGE = 'none';

/** Domain names we create: a safe subset of what libvirt allows, so they also fit volume file names. */
const DOMAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isValidDomainName(name: string): boolean {
  return DOMAIN_NAME.test(name);
}

export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/**
 * The domain UUID for an idempotency key. A retried create therefore looks the domain up directly,
 * and libvirt itself refuses a second domain with the same UUID under another name.
 */
export function domainUuid(idempotencyKey: string): string {
  const b = createHash('sha256').update(`overmind-libvirt-node:${idempotencyKey}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80; // version 8: custom, name-derived
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Name of the volume cloned for a domain: its name, a UUID fragment, and the base's extension. */
export function clonedVolumeName(domainName: string, uuid: string, baseVolume: string): string {
  const ext = /\.[A-Za-z0-9]{1,8}$/.exec(baseVolume)?.[0] ?? '';
  return `${domainName}-${uuid.slice(0, 8)}${ext}`;
}

export interface OvermindMetadata {
  idempotencyKey: string;
  imageId: string;
  sizeId: string;
  createdAt: string;
  /** Volumes Overmind cloned for this domain: the only ones destroyNode deletes. */
  volumes: { pool: string; name: string }[];
  tags: Record<string, string>;
}

export interface DomainSpec {
  type: DomainType;
  name: string;
  uuid: string;
  memoryMb: number;
  vcpus: number;
  /** A volume in a pool, e.g. the clone of a base image; absent for diskless nodes. */
  disk?: { pool: string; volume: string; format: string };
  /** libvirt network name; absent for no NIC. */
  network?: string;
  metadata: OvermindMetadata;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });

function metadataElement(m: OvermindMetadata): Record<string, unknown> {
  const p = (local: string) => `${METADATA_PREFIX}:${local}`;
  return {
    [p('node')]: {
      [`@_xmlns:${METADATA_PREFIX}`]: METADATA_NS,
      [p('idempotency-key')]: m.idempotencyKey,
      [p('image')]: m.imageId,
      [p('size')]: m.sizeId,
      [p('created-at')]: m.createdAt,
      ...(m.volumes.length ? { [p('volume')]: m.volumes.map((v) => ({ '@_pool': v.pool, '#text': v.name })) } : {}),
      ...(Object.keys(m.tags).length
        ? { [p('tag')]: Object.entries(m.tags).map(([key, value]) => ({ '@_key': key, '#text': value })) }
        : {}),
    },
  };
}

export function buildDomainXml(spec: DomainSpec): string {
  const devices: Record<string, unknown> = {};
  if (spec.disk) {
    devices.disk = {
      '@_type': 'volume',
      '@_device': 'disk',
      driver: { '@_name': 'qemu', '@_type': spec.disk.format },
      source: { '@_pool': spec.disk.pool, '@_volume': spec.disk.volume },
      target: { '@_dev': 'vda', '@_bus': 'virtio' },
    };
  }
  if (spec.network) {
    devices.interface = { '@_type': 'network', source: { '@_network': spec.network }, model: { '@_type': 'virtio' } };
  }
  devices.serial = { '@_type': 'pty' };
  devices.console = { '@_type': 'pty' };
  return builder.build({
    domain: {
      '@_type': spec.type,
      name: spec.name,
      uuid: spec.uuid,
      metadata: metadataElement(spec.metadata),
      memory: { '@_unit': 'MiB', '#text': spec.memoryMb },
      vcpu: spec.vcpus,
      os: { type: 'hvm', boot: { '@_dev': 'hd' } },
      // ACPI lets `virsh shutdown` ask the guest to power off.
      features: { acpi: '' },
      ...(spec.type === 'kvm' ? { cpu: { '@_mode': 'host-passthrough' } } : {}),
      devices,
    },
  });
}
