/**
 * DigitalOcean API v2 response shapes, as published in the API reference
 * (https://docs.digitalocean.com/reference/api/api-reference/). Only the fields Overmind reads or
 * keeps in `extra` are listed; status strings stay `string` because the provider may add new ones.
 */

export interface DoLinks {
  pages?: { first?: string; prev?: string; next?: string; last?: string };
  actions?: { id: number; rel: string; href: string }[];
}

export interface DoMeta {
  total?: number;
}

/** Every paginated list: `{ <key>: T[], links, meta }`. */
export type DoPage<K extends string, T> = { [P in K]: T[] } & { links?: DoLinks; meta?: DoMeta };

export interface DoError {
  id: string;
  message: string;
  request_id?: string;
}

export interface DoAccount {
  droplet_limit: number;
  floating_ip_limit: number;
  email: string;
  uuid: string;
  email_verified: boolean;
  /** `active`, `warning` or `locked`. */
  status: string;
  status_message: string;
  team?: { uuid: string; name: string };
}

export interface DoNetworkV4 {
  ip_address: string;
  netmask: string;
  gateway: string;
  /** `public` or `private`. */
  type: string;
}

export interface DoNetworkV6 {
  ip_address: string;
  netmask: number;
  gateway: string;
  type: string;
}

export interface DoImage {
  id: number;
  name: string;
  /** `base`, `snapshot`, `backup`, `custom` or `admin`. */
  type: string;
  distribution: string;
  slug: string | null;
  public: boolean;
  regions: string[];
  created_at: string;
  min_disk_size: number | null;
  size_gigabytes: number | null;
  description?: string;
  tags?: string[];
  /** `NEW`, `available`, `pending`, `deleted`, `retired`. */
  status?: string;
  error_message?: string;
}

export interface DoSize {
  slug: string;
  memory: number;
  vcpus: number;
  disk: number;
  transfer: number;
  price_monthly: number;
  price_hourly: number;
  regions: string[];
  available: boolean;
  description?: string;
}

export interface DoRegion {
  name: string;
  slug: string;
  features: string[];
  available: boolean;
  sizes: string[];
}

export interface DoDroplet {
  id: number;
  name: string;
  memory: number;
  vcpus: number;
  disk: number;
  locked: boolean;
  /** `new`, `active`, `off` or `archive`. */
  status: string;
  created_at: string;
  features: string[];
  backup_ids: number[];
  next_backup_window: { start: string; end: string } | null;
  snapshot_ids: number[];
  image: DoImage;
  volume_ids: string[];
  size: DoSize;
  size_slug: string;
  networks: { v4: DoNetworkV4[]; v6: DoNetworkV6[] };
  region: DoRegion;
  tags: string[];
  vpc_uuid?: string;
  kernel?: { id: number; name: string; version: string } | null;
}

export interface DoAction {
  id: number;
  /** `in-progress`, `completed` or `errored`. */
  status: string;
  type: string;
  started_at: string;
  completed_at: string | null;
  resource_id: number;
  resource_type: string;
  region?: DoRegion | null;
  region_slug?: string | null;
}

export interface DoSshKey {
  id: number;
  fingerprint: string;
  public_key: string;
  name: string;
}

export type DoActionType = 'reboot' | 'power_cycle' | 'shutdown' | 'power_off' | 'power_on';

/** POST /v2/droplets body. */
export interface DoCreateDropletRequest {
  name: string;
  region: string;
  size: string;
  image: string | number;
  ssh_keys?: (number | string)[];
  user_data?: string;
  tags?: string[];
  ipv6?: boolean;
  monitoring?: boolean;
  vpc_uuid?: string;
}
