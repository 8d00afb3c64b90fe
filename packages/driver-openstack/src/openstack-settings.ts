/** Keystone v3 password authentication, scoped to one project. */
export interface OpenStackPasswordCredentials {
  authType: 'password';
  username: string;
  password: string;
  /** Domain of the user (default `Default`). */
  userDomainName?: string;
  /** Project to scope the token to: its id, or its name and domain. */
  projectId?: string;
  projectName?: string;
  projectDomainName?: string;
}

/** Keystone v3 application credential; it is already bound to one project. */
export interface OpenStackApplicationCredentials {
  authType: 'applicationCredential';
  applicationCredentialId: string;
  applicationCredentialSecret: string;
}

export type OpenStackCredentials = OpenStackPasswordCredentials | OpenStackApplicationCredentials;

export interface OpenStackSettings {
  /** Keystone URL, e.g. https://keystone.example.com:5000/v3 (with or without /v3). */
  authUrl: string;
  /** Region of the endpoints to use; the first region in the catalog when absent. */
  region?: string;
  /** Which catalog endpoints to use. */
  interface?: 'public' | 'internal' | 'admin';
  /** Nova microversion sent as `OpenStack-API-Version: compute <v>`. */
  computeApiVersion?: string;
  /** Network ids to attach new servers to when a create names none. */
  networkIds?: string[];
  /** Give new servers a floating IP unless a create says otherwise. */
  floatingIp?: boolean;
  /** External network to allocate floating IPs from; the only external network when absent. */
  floatingNetworkId?: string;
  /** How often a server is polled while an action runs, in ms. */
  pollIntervalMs?: number;
  /** How long to wait for an action to finish, in ms. */
  actionTimeoutMs?: number;
  /** Per-request timeout, in ms. */
  requestTimeoutMs?: number;
  /** Items per page on list calls. */
  pageSize?: number;
}

export const OPENSTACK_DEFAULTS = {
  interface: 'public',
  // 2.37 is the newest before 2.47 embeds the flavor without its id in servers (Newton and later).
  computeApiVersion: '2.37',
  pollIntervalMs: 3000,
  actionTimeoutMs: 600_000,
  requestTimeoutMs: 30_000,
  pageSize: 100,
} as const satisfies Partial<OpenStackSettings>;

export type ResolvedOpenStackSettings = OpenStackSettings & {
  -readonly [K in keyof typeof OPENSTACK_DEFAULTS]-?: NonNullable<OpenStackSettings[K]>;
};
