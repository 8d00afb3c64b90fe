/**
 * OpenStack response shapes from the published API references (Keystone v3 identity, Nova compute
 * v2.1, Glance image v2). Only fields Overmind reads or keeps in `extra` are listed; status strings
 * stay `string` because clouds run many releases.
 */

// ---- Keystone v3 -------------------------------------------------------------------------------

export interface KsEndpoint {
  id: string;
  /** `public`, `internal` or `admin`. */
  interface: string;
  region: string | null;
  region_id: string | null;
  url: string;
}

export interface KsCatalogEntry {
  id: string;
  type: string;
  name: string;
  endpoints: KsEndpoint[];
}

export interface KsToken {
  methods: string[];
  expires_at: string;
  issued_at?: string;
  audit_ids?: string[];
  user: { id: string; name: string; domain: { id: string; name: string }; password_expires_at?: string | null };
  project?: { id: string; name: string; domain: { id: string; name: string } };
  roles?: { id: string; name: string }[];
  catalog?: KsCatalogEntry[];
  application_credential?: { id: string; name: string; restricted: boolean };
  is_domain?: boolean;
}

export interface KsTokenResponse {
  token: KsToken;
}

/** POST /v3/auth/tokens body. */
export interface KsAuthRequest {
  auth: {
    identity:
      | {
          methods: ['password'];
          password: { user: { name: string; password: string; domain: { name: string } } };
        }
      | {
          methods: ['application_credential'];
          application_credential: { id: string; secret: string };
        };
    scope?: { project: { id: string } | { name: string; domain: { name: string } } };
  };
}

/** Keystone's error body: `{ "error": { code, message, title } }`. */
export interface KsError {
  error: { code: number; message: string; title: string };
}

// ---- Nova (compute) ---------------------------------------------------------------------------

export interface OsLink {
  href: string;
  rel: string;
}

export interface NovaAddress {
  addr: string;
  version: number;
  /** `fixed` or `floating`. */
  'OS-EXT-IPS:type'?: string;
  'OS-EXT-IPS-MAC:mac_addr'?: string;
}

/** Before microversion 2.47 `{ id, links }`; from 2.47 the flavor itself without its id. */
export interface NovaServerFlavor {
  id?: string;
  links?: OsLink[];
  original_name?: string;
  vcpus?: number;
  ram?: number;
  disk?: number;
  ephemeral?: number;
  swap?: number;
  extra_specs?: Record<string, string>;
}

export interface NovaServer {
  id: string;
  name: string;
  /** ACTIVE, BUILD, REBOOT, HARD_REBOOT, SHUTOFF, ERROR, DELETED, PAUSED, SUSPENDED, ... */
  status: string;
  tenant_id: string;
  user_id: string;
  metadata: Record<string, string | undefined>;
  hostId: string;
  /** An empty string for servers booted from a volume. */
  image: { id: string; links?: OsLink[] } | string;
  flavor: NovaServerFlavor;
  created: string;
  updated: string;
  // Values may be undefined: an index signature on JSON promises nothing about a given network.
  addresses: Record<string, NovaAddress[] | undefined>;
  accessIPv4: string;
  accessIPv6: string;
  links: OsLink[];
  key_name: string | null;
  progress?: number;
  locked?: boolean;
  config_drive?: string;
  security_groups?: { name: string }[];
  'OS-EXT-AZ:availability_zone'?: string;
  'OS-EXT-STS:task_state'?: string | null;
  'OS-EXT-STS:vm_state'?: string;
  'OS-EXT-STS:power_state'?: number;
  'OS-SRV-USG:launched_at'?: string | null;
  'OS-SRV-USG:terminated_at'?: string | null;
  'OS-DCF:diskConfig'?: string;
  'os-extended-volumes:volumes_attached'?: { id: string; delete_on_termination?: boolean }[];
  /** Servers in ERROR (and some others) say why. */
  fault?: { code?: number; message?: string; created?: string };
}

export interface NovaFlavor {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
  /** An empty string means no swap (before microversion 2.75). */
  swap: number | string;
  rxtx_factor?: number;
  links: OsLink[];
  description?: string | null;
  'OS-FLV-EXT-DATA:ephemeral'?: number;
  'OS-FLV-DISABLED:disabled'?: boolean;
  'os-flavor-access:is_public'?: boolean;
}

export interface NovaAvailabilityZone {
  zoneName: string;
  zoneState: { available: boolean };
  hosts: Record<string, unknown> | null;
}

export interface NovaKeypair {
  name: string;
  fingerprint: string;
  public_key: string;
  type?: string;
  user_id?: string;
}

/** Networks of a server create: `auto`, `none` (both from 2.37), or the networks to attach. */
export type NovaNetworks = 'auto' | 'none' | { uuid: string }[];

/** POST /servers body. */
export interface NovaCreateServerRequest {
  server: {
    name: string;
    flavorRef: string;
    imageRef: string;
    availability_zone?: string;
    key_name?: string;
    /** Base64 of the user data. */
    user_data?: string;
    metadata: Record<string, string>;
    /** Required from microversion 2.37; before it, absent means what `auto` means later. */
    networks?: NovaNetworks;
  };
}

/** Nova's error body: one key naming the fault, e.g. `{ "itemNotFound": { code, message } }`. */
export type NovaError = Record<string, { code: number; message: string }>;

// ---- Glance v2 (image) ------------------------------------------------------------------------

export interface GlanceImage {
  id: string;
  name: string | null;
  /** queued, saving, uploading, importing, active, deactivated, killed, deleted, pending_delete. */
  status: string;
  visibility: string;
  protected: boolean;
  tags: string[];
  container_format: string | null;
  disk_format: string | null;
  min_disk: number;
  min_ram: number;
  size: number | null;
  virtual_size: number | null;
  checksum: string | null;
  owner: string | null;
  created_at: string;
  updated_at: string;
  self: string;
  file: string;
  schema: string;
  os_hidden?: boolean;
  os_distro?: string;
  os_version?: string;
  os_type?: string;
}

export interface GlanceImageList {
  images: GlanceImage[];
  first: string;
  schema: string;
  /** Relative to the image endpoint, e.g. `/v2/images?marker=...`; absent on the last page. */
  next?: string;
}

// ---- Neutron (network) ------------------------------------------------------------------------

export interface NeutronNetwork {
  id: string;
  name?: string;
  status?: string;
  shared?: boolean;
  subnets?: string[];
  project_id?: string;
  'router:external'?: boolean;
  mtu?: number;
  description?: string;
}

export interface NeutronSubnet {
  id: string;
  name?: string;
  network_id: string;
  cidr?: string;
  ip_version?: number;
  gateway_ip?: string | null;
}

export interface NeutronPort {
  id: string;
  network_id: string;
  device_id?: string;
  fixed_ips?: { subnet_id?: string; ip_address?: string }[];
}

export interface NeutronFloatingIp {
  id: string;
  floating_ip_address: string;
  floating_network_id: string;
  port_id?: string | null;
  fixed_ip_address?: string | null;
  status?: string;
  description?: string;
}
