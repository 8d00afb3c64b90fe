import type { LoadBalancerDriver } from './balancers.js';
import type { NodeSession } from './node-session.js';
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
  // Dedicated servers (registered, not created): see RegisterNodeRequest and NodeInventory.
  'registerNode',
  'gatherFacts',
  'runCommand',
  'acceptHostKey',
  'setBootDevice',
  'readSensors',
  'softPowerOff',
  // A shell on a node over the SSH access the driver has (withNodeSession): configure a registered
  // server over its own login, install its agent.
  'withNodeSession',
  // Not a method: createNode applies CreateNodeRequest.userData (cloud-init runs it at first boot).
  'userData',
  // The driver offers load balancers (ProviderDriver.balancers, see balancers.ts).
  'loadBalancers',
] as const;

export type Capability = (typeof CAPABILITIES)[number];

/** What a cloud driver that makes, powers and lists its own machines declares, at least. */
export const CLOUD_CAPABILITIES = [
  'createNode',
  'rebootNode',
  'startNode',
  'stopNode',
  'destroyNode',
  'listImages',
  'listSizes',
  'listLocations',
  'listNodes',
] as const satisfies readonly Capability[];

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

/** A network a node can be attached to (an OpenStack project network, a VPC subnet...). */
export interface ProviderNetwork {
  id: string;
  name: string;
  /** Addresses come from here, not a network to attach nodes to (a floating IP pool). */
  external?: boolean;
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
  /**
   * Networks to attach: their ids, `auto` (the provider picks or allocates one) or `none` (no
   * network). Absent: the provider's default.
   */
  networkIds?: string[] | 'auto' | 'none';
  /** Give the node a public address from an external network (an OpenStack floating IP); absent: the provider's default. */
  floatingIp?: boolean;
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

/** Registration of an existing server (dedicated providers): the API stores it once this resolves. */
export interface RegisterNodeRequest {
  /** The id the API gives the node; the returned node carries it. */
  id: string;
  name: string;
  /** Per-node data, validated against the plugin's `registrationSchema` (secrets included). */
  registration: Record<string, unknown>;
}

/** What registerNode returns: the node, and the driver state the API stores as `RegisteredNode.state`. */
export interface RegisteredProviderNode extends ProviderNode {
  driverState: Record<string, unknown>;
}

/** A registered node as the API keeps it: registration (decrypted) plus non-secret driver state. */
export interface RegisteredNode {
  id: string;
  name: string;
  registration: Record<string, unknown>;
  state: Record<string, unknown>;
}

/** The API's store of a dedicated provider's registered nodes, handed to its driver. */
export interface NodeInventory {
  list(): Promise<RegisteredNode[]>;
  get(id: string): Promise<RegisteredNode | null>;
  /** Shallow-merges `patch` into the node's state (non-secret: pinned host key, facts, timestamps). */
  saveState(id: string, patch: Record<string, unknown>): Promise<void>;
}

/** What a server is, as gathered over SSH (like ohai). A field the server could not tell is absent. */
export interface NodeFacts {
  gatheredAt: string;
  hostname?: string;
  os?: { id?: string; name?: string; version?: string; versionId?: string; prettyName?: string; idLike?: string[] };
  kernel?: { name?: string; release?: string; version?: string; machine?: string };
  cpu?: { model?: string; count?: number; cores?: number; sockets?: number; mhz?: number };
  memory?: { totalBytes?: number; availableBytes?: number; swapTotalBytes?: number };
  disks?: { name: string; sizeBytes: number; type?: string; model?: string; rotational?: boolean }[];
  filesystems?: {
    device: string;
    mountPoint: string;
    type?: string;
    sizeBytes: number;
    usedBytes: number;
    availableBytes: number;
  }[];
  network?: {
    interfaces: {
      name: string;
      mac?: string;
      mtu?: number;
      state?: string;
      addresses: { family: 'inet' | 'inet6'; address: string; prefixLength: number }[];
    }[];
    defaultGateway?: string;
  };
  uptimeSeconds?: number;
  virtualization?: string;
  hardware?: { vendor?: string; product?: string; serial?: string; biosVersion?: string };
}

export interface RunCommandOptions extends OperationContext {
  /** Kills the command and throws after this long; defaults to the driver's command timeout. */
  timeoutMs?: number;
  /** Runs as root (through sudo when the SSH user is not root). */
  sudo?: boolean;
  /**
   * Environment variables for the command, which may be secrets: a driver never puts their values on
   * a command line or in its log (over SSH they go on the command's stdin).
   */
  env?: Record<string, string>;
}

export interface CommandResult {
  /** Null when the command was killed by a signal. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** One node's outcome from runCommandOnNodes: a result, or the error that stopped it. */
export type NodeCommandResult =
  | ({ nodeId: string; ok: true; durationMs: number } & CommandResult)
  | { nodeId: string; ok: false; durationMs: number; error: { name: string; code: string; message: string } };

export type BootDevice = 'pxe' | 'disk' | 'bios';

export interface SensorReading {
  name: string;
  /** Null when the sensor has no reading (absent, disabled, or discrete). */
  value: number | null;
  /** As the BMC names it: `degrees C`, `RPM`, `Volts`, `Watts`... */
  unit: string | null;
  /** `ok`, `warning`, `critical` or `unknown`, normalized from the BMC's status. */
  status: 'ok' | 'warning' | 'critical' | 'unknown';
  extra: Extra;
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
  listNetworks?(ctx?: OperationContext): Promise<ProviderNetwork[]>;
  /** Registers an existing server: checks reachability, pins its SSH host key, gathers facts into extra.facts. */
  registerNode?(request: RegisterNodeRequest, ctx?: OperationContext): Promise<RegisteredProviderNode>;
  gatherFacts?(id: string, ctx?: OperationContext): Promise<NodeFacts>;
  /** Runs a shell command on one node, streaming its output lines to ctx.log. */
  runCommand?(id: string, command: string, options?: RunCommandOptions): Promise<CommandResult>;
  /** Runs a shell command on many nodes with bounded concurrency; never rejects for one node's failure. */
  runCommandOnNodes?(ids: readonly string[], command: string, options?: RunCommandOptions): Promise<NodeCommandResult[]>;
  /** Pins a new SSH host key fingerprint (`SHA256:...`) after the operator checked a host key change. */
  acceptHostKey?(id: string, fingerprint: string, ctx?: OperationContext): Promise<void>;
  /** Boot device for the next boot only. */
  setBootDevice?(id: string, device: BootDevice, ctx?: OperationContext): Promise<void>;
  readSensors?(id: string, ctx?: OperationContext): Promise<SensorReading[]>;
  /** Asks the OS to shut down (ACPI power button) instead of cutting power. */
  softPowerOff?(id: string, ctx?: OperationContext): Promise<void>;
  /**
   * Runs `fn` with a shell on the node over the driver's own SSH access to it (its registered login,
   * host key pinned), closing it afterwards. For work the API does on a node: configuring it,
   * installing its agent.
   */
  withNodeSession?<T>(id: string, fn: (session: NodeSession) => Promise<T>, ctx?: OperationContext): Promise<T>;
  /** The provider's load balancers (capability `loadBalancers`). */
  readonly balancers?: LoadBalancerDriver;
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
  /**
   * For drivers that reach hosts over SSH: called when a host presented a key that no setting pinned
   * yet (trust on first use). The API stores the fingerprint (e.g. in the `hostKeyFingerprint`
   * setting) so later connections refuse a different key. A rejection fails the operation.
   */
  onHostKey?: (event: HostKeyEvent) => void | Promise<void>;
  /** Registered nodes of this provider, for drivers whose nodes are registered rather than created. */
  inventory?: NodeInventory;
}

/** A host key observed on first use, `SHA256:...` as OpenSSH prints it. */
export interface HostKeyEvent {
  host: string;
  port: number;
  hostKeyFingerprint: string;
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
  /**
   * The settings that decide where the credentials go: every URL, host, port or address, and what
   * identifies that peer (a pinned host key) or widens where secrets may be sent. The API refuses to
   * change one unless the same request sends the credentials again, so stored secrets never follow
   * an edited address. Empty when the credentials only ever go to one fixed place.
   */
  endpointSettings: readonly string[];
  /** JSON Schema of per-node registration data, for providers whose nodes are registered (secrets `writeOnly`). */
  registrationSchema?: JsonSchema;
  /**
   * Checks a registration (already schema-valid) against the provider's credentials and settings
   * before it is stored, e.g. that provider-wide default secrets may be used at its addresses.
   * Throws a ProviderError naming the problem (never a secret); no network.
   */
  checkRegistration?(registration: Record<string, unknown>, config: Pick<DriverConfig<C, S>, 'credentials' | 'settings'>): void;
  capabilities: readonly Capability[];
  createDriver(config: DriverConfig<C, S>): ProviderDriver;
}
