import type { NodeState } from './states.js';

/** What a driver can do. The API offers an action only where the driver declares it. */
export const CAPABILITIES = [
  'createNode',
  'rebootNode',
  'startNode',
  'stopNode',
  'destroyNode',
  'powerOn',
  'powerOff',
  'powerCycle',
  'listImages',
  'listSizes',
  'listLocations',
  'listNodes',
] as const;

export type Capability = (typeof CAPABILITIES)[number];

/** A JSON Schema object (draft 2020-12 subset) describing credentials or settings. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export type Extra = Record<string, unknown>;

export interface ProviderNode {
  /** The provider's own id for the node. */
  id: string;
  name: string;
  state: NodeState;
  publicIps: string[];
  privateIps: string[];
  imageId?: string | null;
  sizeId?: string | null;
  locationId?: string | null;
  createdAt?: string | null;
  /** Provider-only details, kept as the provider gave them. */
  extra: Extra;
}

export interface ProviderImage {
  id: string;
  name: string;
  os?: string | null;
  extra: Extra;
}

export interface ProviderSize {
  id: string;
  name: string;
  cpus?: number | null;
  ramMb?: number | null;
  diskGb?: number | null;
  /** Price in USD, when the provider publishes one. */
  priceHourly?: number | null;
  priceMonthly?: number | null;
  extra: Extra;
}

export interface ProviderLocation {
  id: string;
  name: string;
  country?: string | null;
  extra: Extra;
}

export interface CreateNodeRequest {
  name: string;
  imageId: string;
  sizeId: string;
  locationId: string;
  /**
   * Stable per logical create. A retried create with the same key must not make a second node:
   * drivers pass it as the provider's client token, or look for a node already carrying it.
   */
  idempotencyKey: string;
  sshPublicKey?: string;
  userData?: string;
  tags?: Record<string, string>;
  extra?: Extra;
}

/** Narrows listImages. Drivers that cannot search ignore it and return their whole list. */
export interface ImageQuery {
  /** An image id, or text to look for in image names. */
  search?: string;
}

/** Per-call context: where to stream log lines, and a signal that aborts the call. */
export interface OperationContext {
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * A configured driver instance for one provider account. Methods that a provider cannot do are
 * absent; `capabilities` on the plugin says which are present.
 */
export interface ProviderDriver {
  /** A cheap real call that proves the credentials work; throws InvalidCredentialsError if not. */
  validateCredentials(ctx?: OperationContext): Promise<void>;
  listNodes?(ctx?: OperationContext): Promise<ProviderNode[]>;
  getNode?(id: string, ctx?: OperationContext): Promise<ProviderNode | null>;
  createNode?(request: CreateNodeRequest, ctx?: OperationContext): Promise<ProviderNode>;
  rebootNode?(id: string, ctx?: OperationContext): Promise<void>;
  startNode?(id: string, ctx?: OperationContext): Promise<void>;
  stopNode?(id: string, ctx?: OperationContext): Promise<void>;
  destroyNode?(id: string, ctx?: OperationContext): Promise<void>;
  powerOn?(id: string, ctx?: OperationContext): Promise<void>;
  powerOff?(id: string, ctx?: OperationContext): Promise<void>;
  powerCycle?(id: string, ctx?: OperationContext): Promise<void>;
  listImages?(ctx?: OperationContext, query?: ImageQuery): Promise<ProviderImage[]>;
  listSizes?(ctx?: OperationContext): Promise<ProviderSize[]>;
  listLocations?(ctx?: OperationContext): Promise<ProviderLocation[]>;
  /** Releases connections the driver holds. */
  close?(): Promise<void>;
}

export interface DriverConfig<C = Record<string, unknown>, S = Record<string, unknown>> {
  /** Decrypted credentials, already validated against `credentialSchema`. */
  credentials: C;
  /** Non-secret settings, already validated against `settingsSchema`. */
  settings: S;
  /** Stable id of the provider record, for drivers that keep per-provider state. */
  providerId: string;
}

/** A provider plugin: static description plus a factory for configured drivers. */
export interface ProviderPlugin<C = Record<string, unknown>, S = Record<string, unknown>> {
  kind: string;
  displayName: string;
  description: string;
  /** JSON Schema of the credentials. Fields marked `"writeOnly": true` are secrets. */
  credentialSchema: JsonSchema;
  /** JSON Schema of non-secret settings (region, endpoint, ...). */
  settingsSchema: JsonSchema;
  capabilities: readonly Capability[];
  createDriver(config: DriverConfig<C, S>): ProviderDriver;
}
