/** Reads the parts of libvirt domain and volume XML the driver needs, tolerating what it does not know. */
import { XMLParser } from 'fast-xml-parser';
import { METADATA_NS, type OvermindMetadata } from './domain-xml.js';

const REPEATED = new Set(['domain.devices.disk', 'domain.devices.interface']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name, jpath) => REPEATED.has(String(jpath)) || name.endsWith(':volume') || name.endsWith(':tag'),
});

type XmlNode = Record<string, unknown>;

function obj(value: unknown): XmlNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : {};
}

function list(value: unknown): XmlNode[] {
  return Array.isArray(value) ? value.map(obj) : value === undefined ? [] : [obj(value)];
}

/** Text of an element, with or without attributes. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  const inner = obj(value)['#text'];
  return inner === undefined ? undefined : String(inner);
}

function attr(node: unknown, name: string): string | undefined {
  const value = obj(node)[`@_${name}`];
  return value === undefined ? undefined : String(value);
}

const UNIT_BYTES: Record<string, number> = {
  b: 1, bytes: 1, k: 1024, kib: 1024, kb: 1000, m: 1024 ** 2, mib: 1024 ** 2, mb: 1e6,
  g: 1024 ** 3, gib: 1024 ** 3, gb: 1e9, t: 1024 ** 4, tib: 1024 ** 4, tb: 1e12,
};

/** A scaled libvirt size (`<memory unit='KiB'>`, `<capacity unit='bytes'>`) in bytes. */
function bytes(node: unknown, defaultUnit: string): number | null {
  const value = Number(text(node));
  if (!Number.isFinite(value)) return null;
  return value * (UNIT_BYTES[(attr(node, 'unit') ?? defaultUnit).toLowerCase()] ?? 1);
}

export interface DomainDisk {
  target?: string;
  pool?: string;
  volume?: string;
  file?: string;
}

export interface DomainInfo {
  uuid: string;
  name: string;
  type?: string;
  /** Numeric id while running. */
  runningId?: number;
  memoryMb: number | null;
  vcpus: number | null;
  disks: DomainDisk[];
  interfaces: { type?: string; mac?: string; network?: string }[];
  title?: string;
  overmind?: OvermindMetadata;
}

/** Finds Overmind's element among the metadata children by namespace URI, whatever its prefix. */
function overmindMetadata(metadata: XmlNode): OvermindMetadata | undefined {
  for (const [key, value] of Object.entries(metadata)) {
    const [prefix, local] = key.includes(':') ? key.split(':', 2) : ['', key];
    const node = obj(value);
    if (local !== 'node' || attr(node, prefix ? `xmlns:${prefix}` : 'xmlns') !== METADATA_NS) continue;
    const child = (name: string) => node[prefix ? `${prefix}:${name}` : name];
    return {
      idempotencyKey: text(child('idempotency-key')) ?? '',
      imageId: text(child('image')) ?? '',
      sizeId: text(child('size')) ?? '',
      createdAt: text(child('created-at')) ?? '',
      volumes: list(child('volume')).flatMap((v) => {
        const pool = attr(v, 'pool');
        const name = text(v);
        return pool && name ? [{ pool, name }] : [];
      }),
      tags: Object.fromEntries(list(child('tag')).map((t) => [attr(t, 'key') ?? '', text(t) ?? ''])),
    };
  }
  return undefined;
}

export function parseDomainXml(xml: string): DomainInfo {
  const domain = obj(parser.parse(xml).domain);
  const devices = obj(domain.devices);
  const memory = bytes(domain.memory, 'KiB');
  const vcpus = Number(text(domain.vcpu));
  const id = Number(attr(domain, 'id'));
  return {
    uuid: text(domain.uuid) ?? '',
    name: text(domain.name) ?? '',
    type: attr(domain, 'type'),
    ...(Number.isInteger(id) && id > 0 ? { runningId: id } : {}),
    memoryMb: memory === null ? null : Math.round(memory / 1024 ** 2),
    vcpus: Number.isFinite(vcpus) ? vcpus : null,
    disks: list(devices.disk)
      .filter((d) => (attr(d, 'device') ?? 'disk') === 'disk')
      .map((d) => {
        const source = obj(d.source);
        return {
          target: attr(d.target, 'dev'),
          pool: attr(source, 'pool'),
          volume: attr(source, 'volume'),
          file: attr(source, 'file') ?? attr(source, 'dev'),
        };
      }),
    interfaces: list(devices.interface).map((i) => ({
      type: attr(i, 'type'),
      mac: attr(i.mac, 'address'),
      network: attr(i.source, 'network'),
    })),
    title: text(domain.title),
    overmind: overmindMetadata(obj(domain.metadata)),
  };
}

export interface VolumeInfo {
  name: string;
  path?: string;
  format: string;
  capacityBytes: number | null;
}

export function parseVolumeXml(xml: string): VolumeInfo {
  const volume = obj(parser.parse(xml).volume);
  const target = obj(volume.target);
  return {
    name: text(volume.name) ?? '',
    path: text(target.path),
    format: attr(target.format, 'type') ?? 'raw',
    capacityBytes: bytes(volume.capacity, 'bytes'),
  };
}
