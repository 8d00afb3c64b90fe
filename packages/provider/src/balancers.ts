/**
 * The load-balancer contract, modelled on Apache Libcloud's `loadbalancer/base.py`: a balancer
 * listens on one port with one protocol and spreads connections over its members with one
 * algorithm, probing them with a health check. Drivers map their provider's states through tables
 * with an `unknown` fallback (as nodes do), keep provider-only details in `extra`, throw the
 * contract's typed errors, and say what they support in `capabilities`.
 *
 * A provider's driver offers its balancers as `ProviderDriver.balancers` (capability
 * `loadBalancers`); the cloud drivers use the same account, the HAProxy driver (@overmind/lb-haproxy)
 * a managed node of a libvirt or dedicated provider.
 */
import { NotSupportedError, ProviderError } from './errors.js';
import type { Extra, OperationContext } from './types.js';

/** Normalized balancer states (libcloud's State: RUNNING, PENDING, ERROR, DELETED, UNKNOWN...). */
export const BALANCER_STATES = ['pending', 'active', 'updating', 'error', 'deleting', 'unknown'] as const;
export type BalancerState = (typeof BALANCER_STATES)[number];

/** Normalized member states, from the balancer's own health check where it has one. */
export const MEMBER_STATES = ['healthy', 'unhealthy', 'draining', 'pending', 'unused', 'unknown'] as const;
export type MemberState = (typeof MEMBER_STATES)[number];

/** What a balancer listens with: `http` (layer 7), `https` (TLS terminated), `tcp` (layer 4). */
export const BALANCER_PROTOCOLS = ['http', 'https', 'tcp'] as const;
export type BalancerProtocol = (typeof BALANCER_PROTOCOLS)[number];

/** libcloud's Algorithm: ROUND_ROBIN, LEAST_CONNECTIONS, and source-address affinity. */
export const BALANCER_ALGORITHMS = ['round_robin', 'least_connections', 'source_ip'] as const;
export type BalancerAlgorithm = (typeof BALANCER_ALGORITHMS)[number];

/** What a balancer driver can do beyond list, get, create, destroy, attach and detach. */
export const BALANCER_CAPABILITIES = [
  /** setHealthCheck on an existing balancer. */
  'setHealthCheck',
  /** Members given by address (ip + port) rather than by the provider's node id. */
  'memberByAddress',
  /** Members given by the provider's node id. */
  'memberByNode',
  /** Each member has its own port (DigitalOcean forwards to one port on every droplet). */
  'memberPort',
] as const;
export type BalancerCapability = (typeof BALANCER_CAPABILITIES)[number];

export interface HealthCheck {
  /** `http` asks `path` and wants a 2xx/3xx; `tcp` only connects. */
  protocol: 'http' | 'tcp';
  /** For `http`: the request path, `/` by default. */
  path?: string;
  /** Probe this port instead of each member's own. */
  port?: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  /** Consecutive successes before a member takes traffic again. */
  healthyThreshold: number;
  /** Consecutive failures before a member stops taking traffic. */
  unhealthyThreshold: number;
}

/** `http GET /health every 5 s (timeout 2 s, 3 up, 2 down)`, for logs and plans. */
export function describeHealthCheck(h: HealthCheck): string {
  const what = h.protocol === 'http' ? `http GET ${h.path ?? '/'}` : 'tcp connect';
  return `${what}${h.port ? ` on port ${h.port}` : ''} every ${h.intervalSeconds} s (timeout ${h.timeoutSeconds} s, ${h.healthyThreshold} up, ${h.unhealthyThreshold} down)`;
}

export const DEFAULT_HEALTH_CHECK: HealthCheck = {
  protocol: 'tcp',
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 3,
  unhealthyThreshold: 3,
};

/** A member to add: a provider node id, an address, or both (the driver uses what it supports). */
export interface MemberSpec {
  /** The provider's id of the node (EC2 instance id, droplet id, Nova server id). */
  nodeId?: string;
  ip?: string;
  port: number;
}

export interface BalancerMember {
  /** The driver's id of the member: detachMember takes it. */
  id: string;
  nodeId: string | null;
  ip: string | null;
  port: number;
  state: MemberState;
  extra: Extra;
}

export interface ProviderBalancer {
  /** The provider's id of the balancer. */
  id: string;
  name: string;
  state: BalancerState;
  protocol: BalancerProtocol;
  port: number;
  algorithm: BalancerAlgorithm;
  /** Where clients connect: an address or a DNS name; null until the provider assigned one. */
  address: string | null;
  members: BalancerMember[];
  healthCheck: HealthCheck | null;
  extra: Extra;
}

export interface CreateBalancerRequest {
  name: string;
  port: number;
  protocol: BalancerProtocol;
  algorithm: BalancerAlgorithm;
  members: MemberSpec[];
  healthCheck?: HealthCheck;
  /** Region or network the balancer lives in, where the provider needs one. */
  locationId?: string;
  /**
   * Stable per logical create. A retried create with the same key must not make a second balancer:
   * drivers look for one carrying it (a tag, a name) before making one.
   */
  idempotencyKey: string;
  /** Provider-only options (a certificate's id or path for https, subnets, a VPC). */
  extra?: Extra;
}

/** A configured balancer driver for one provider account (or one HAProxy host). */
export interface LoadBalancerDriver {
  readonly capabilities: readonly BalancerCapability[];
  readonly protocols: readonly BalancerProtocol[];
  readonly algorithms: readonly BalancerAlgorithm[];
  listBalancers(ctx?: OperationContext): Promise<ProviderBalancer[]>;
  /** Null when the provider has no such balancer. */
  getBalancer(id: string, ctx?: OperationContext): Promise<ProviderBalancer | null>;
  createBalancer(request: CreateBalancerRequest, ctx?: OperationContext): Promise<ProviderBalancer>;
  /** Succeeds when the balancer is already gone. */
  destroyBalancer(id: string, ctx?: OperationContext): Promise<void>;
  attachMember(balancerId: string, member: MemberSpec, ctx?: OperationContext): Promise<BalancerMember>;
  /** Takes the member out of rotation, letting its open connections finish; succeeds when it is not a member. */
  detachMember(balancerId: string, memberId: string, ctx?: OperationContext): Promise<void>;
  setHealthCheck?(balancerId: string, healthCheck: HealthCheck, ctx?: OperationContext): Promise<void>;
}

/**
 * Builds a mapper from a provider's raw balancer or member states to the normalized ones, `unknown`
 * when the table does not know one (a new state never crashes a list). Lookups ignore case.
 */
export function createBalancerStateMapper<S extends string>(table: Readonly<Record<string, S>>, fallback: S): (raw: unknown) => S {
  const normalized = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
  return (raw) => (typeof raw === 'string' ? normalized.get(raw.toLowerCase()) : undefined) ?? fallback;
}

/** The typed error for a protocol or algorithm the driver does not offer, naming those it does. */
export function checkBalancerRequest(driver: Pick<LoadBalancerDriver, 'protocols' | 'algorithms'>, request: Pick<CreateBalancerRequest, 'protocol' | 'algorithm'>): void {
  if (!driver.protocols.includes(request.protocol)) {
    throw new NotSupportedError(`Protocol ${request.protocol} is not offered here (offered: ${driver.protocols.join(', ')})`);
  }
  if (!driver.algorithms.includes(request.algorithm)) {
    throw new NotSupportedError(`Algorithm ${request.algorithm} is not offered here (offered: ${driver.algorithms.join(', ')})`);
  }
}

/** A port as balancers take it: an integer 1-65535. */
export function checkPort(port: unknown, what: string): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ProviderError(`${what} must be a port number (1-65535)`);
  }
  return port;
}
