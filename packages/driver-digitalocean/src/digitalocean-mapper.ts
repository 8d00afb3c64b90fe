import { createHash } from 'node:crypto';
import {
  createStateMapper,
  type CreateNodeRequest,
  type NodeState,
  type ProviderImage,
  type ProviderLocation,
  type ProviderNode,
  type ProviderSize,
} from '@overmind/provider';
import type { DoCreateDropletRequest, DoDroplet, DoImage, DoRegion, DoSize } from './digitalocean-types.js';

/** Droplet `status` to NodeState; anything else becomes `unknown`. */
export const DROPLET_STATES = {
  new: 'pending',
  active: 'running',
  off: 'stopped',
  archive: 'terminated',
} as const satisfies Record<string, NodeState>;

export const dropletState = createStateMapper(DROPLET_STATES);

/** Prefix of the tag that carries the Overmind idempotency key on a droplet. */
export const IDEMPOTENCY_TAG_PREFIX = 'overmind-idem:';

// DigitalOcean tags allow letters, digits, `_`, `-` and `:` up to 255 characters.
const TAG_CHARS = /^[A-Za-z0-9_:-]+$/;

/** The tag marking droplets made for `key`; keys that are not valid tag text are hashed. */
export function idempotencyTag(key: string): string {
  const body = TAG_CHARS.test(key) && key.length <= 200 ? key : createHash('sha256').update(key).digest('hex').slice(0, 40);
  return `${IDEMPOTENCY_TAG_PREFIX}${body}`;
}

function tagText(value: string): string {
  return value.replace(/[^A-Za-z0-9_:-]/g, '_').slice(0, 255);
}

/** Image reference used for both listing and creating: the stable slug when there is one. */
export function imageRef(image: Pick<DoImage, 'id' | 'slug'> | null | undefined): string | null {
  if (!image) return null;
  return image.slug ?? (image.id === undefined ? null : String(image.id));
}

function ips(droplet: DoDroplet, type: 'public' | 'private'): string[] {
  const v4 = droplet.networks?.v4 ?? [];
  const v6 = droplet.networks?.v6 ?? [];
  return [...v4, ...v6].filter((n) => n?.type === type && typeof n.ip_address === 'string').map((n) => n.ip_address);
}

export function toNode(droplet: DoDroplet): ProviderNode {
  return {
    id: String(droplet.id),
    name: droplet.name ?? '',
    state: dropletState(droplet.status),
    publicIps: ips(droplet, 'public'),
    privateIps: ips(droplet, 'private'),
    imageId: imageRef(droplet.image),
    sizeId: droplet.size_slug ?? droplet.size?.slug ?? null,
    locationId: droplet.region?.slug ?? null,
    createdAt: droplet.created_at ?? null,
    extra: {
      status: droplet.status,
      vcpus: droplet.vcpus,
      memory: droplet.memory,
      disk: droplet.disk,
      locked: droplet.locked,
      tags: droplet.tags ?? [],
      features: droplet.features ?? [],
      volumeIds: droplet.volume_ids ?? [],
      vpcUuid: droplet.vpc_uuid ?? null,
      imageName: droplet.image?.name ?? null,
    },
  };
}

const FAMILY_OS: Record<string, string> = { freebsd: 'freebsd', unknown: '' };

export function toImage(image: DoImage): ProviderImage {
  const distribution = typeof image.distribution === 'string' ? image.distribution : '';
  const os = FAMILY_OS[distribution.toLowerCase()] ?? 'linux';
  return {
    id: imageRef(image) ?? '',
    name: distribution && !image.name?.startsWith(distribution) ? `${distribution} ${image.name}` : (image.name ?? ''),
    os: os || null,
    extra: {
      doId: image.id,
      slug: image.slug ?? null,
      distribution,
      type: image.type,
      public: image.public,
      regions: image.regions ?? [],
      minDiskSize: image.min_disk_size ?? null,
      sizeGigabytes: image.size_gigabytes ?? null,
      status: image.status ?? null,
      createdAt: image.created_at ?? null,
    },
  };
}

export function toSize(size: DoSize): ProviderSize {
  return {
    id: size.slug,
    name: size.description ? `${size.description} ${size.slug}` : size.slug,
    cpus: size.vcpus ?? null,
    ramMb: size.memory ?? null,
    diskGb: size.disk ?? null,
    priceHourly: size.price_hourly ?? null,
    priceMonthly: size.price_monthly ?? null,
    extra: { transferTb: size.transfer ?? null, available: size.available, regions: size.regions ?? [] },
  };
}

// The API gives no country; the slug's city prefix is stable and documented.
const REGION_COUNTRY: Record<string, string> = {
  nyc: 'US', sfo: 'US', atl: 'US', ric: 'US', tor: 'CA', ams: 'NL', lon: 'GB', fra: 'DE', sgp: 'SG', blr: 'IN', syd: 'AU',
};

export function toLocation(region: DoRegion): ProviderLocation {
  return {
    id: region.slug,
    name: region.name ?? region.slug,
    country: REGION_COUNTRY[region.slug?.replace(/\d+$/, '') ?? ''] ?? null,
    extra: { available: region.available, features: region.features ?? [], sizes: region.sizes ?? [] },
  };
}

/** The POST /v2/droplets body for an Overmind create request. */
export function toCreateDroplet(request: CreateNodeRequest, sshKeyIds: number[]): DoCreateDropletRequest {
  const tags = [
    idempotencyTag(request.idempotencyKey),
    ...Object.entries(request.tags ?? {}).map(([k, v]) => tagText(v ? `${k}:${v}` : k)),
  ];
  const extra = request.extra ?? {};
  return {
    name: request.name,
    region: request.locationId,
    size: request.sizeId,
    image: /^\d+$/.test(request.imageId) ? Number(request.imageId) : request.imageId,
    tags,
    ...(sshKeyIds.length ? { ssh_keys: sshKeyIds } : {}),
    ...(request.userData !== undefined ? { user_data: request.userData } : {}),
    ...(typeof extra.ipv6 === 'boolean' ? { ipv6: extra.ipv6 } : {}),
    ...(typeof extra.monitoring === 'boolean' ? { monitoring: extra.monitoring } : {}),
    ...(typeof extra.vpcUuid === 'string' ? { vpc_uuid: extra.vpcUuid } : {}),
  };
}
