/**
 * DigitalOcean Load Balancers (`/v2/load_balancers`) as the contract's balancers. One forwarding
 * rule (entry port and protocol to the droplets' target port); members are droplets, by id, all on
 * that one target port. DigitalOcean has no client token: the balancer's name carries a hash of the
 * create's idempotency key, and a create first looks for a balancer of that name.
 */
import { createHash } from 'node:crypto';
import {
  NotFoundError,
  NotSupportedError,
  ProviderError,
  checkBalancerRequest,
  checkPort,
  createBalancerStateMapper,
  type BalancerMember,
  type BalancerProtocol,
  type BalancerState,
  type CreateBalancerRequest,
  type HealthCheck,
  type LoadBalancerDriver,
  type MemberSpec,
  type OperationContext,
  type ProviderBalancer,
} from '@overmind/provider';
import type { DigitalOceanClient } from './digitalocean-client.js';

export interface DoForwardingRule {
  entry_protocol: string;
  entry_port: number;
  target_protocol: string;
  target_port: number;
  certificate_id?: string;
  tls_passthrough?: boolean;
}

export interface DoHealthCheck {
  protocol: string;
  port: number;
  path?: string;
  check_interval_seconds: number;
  response_timeout_seconds: number;
  healthy_threshold: number;
  unhealthy_threshold: number;
}

export interface DoLoadBalancer {
  id: string;
  name: string;
  ip?: string;
  ipv6?: string;
  size_unit?: number;
  size?: string;
  /** `new`, `active`, `errored`. */
  status?: string;
  created_at?: string;
  forwarding_rules?: DoForwardingRule[];
  health_check?: DoHealthCheck;
  region?: { slug?: string };
  droplet_ids?: number[];
  vpc_uuid?: string;
  algorithm?: string;
}

export const mapDoBalancerState = createBalancerStateMapper<BalancerState>({ new: 'pending', active: 'active', errored: 'error' }, 'unknown');

const PATH = '/v2/load_balancers';

/** DigitalOcean names: letters, digits, dots and hyphens; the key's hash keeps retries on one balancer. */
export function doBalancerName(name: string, idempotencyKey: string): string {
  const base = name.replace(/[^a-zA-Z0-9.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '').slice(0, 40) || 'lb';
  return `${base}-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 12)}`;
}

function dropletId(spec: MemberSpec): number {
  const id = Number(spec.nodeId);
  if (!spec.nodeId || !Number.isSafeInteger(id) || id <= 0) {
    throw new NotSupportedError('DigitalOcean balancer members are droplets: give the droplet id as nodeId');
  }
  return id;
}

function toDoHealthCheck(hc: HealthCheck, targetPort: number): DoHealthCheck {
  return {
    protocol: hc.protocol,
    port: hc.port ?? targetPort,
    ...(hc.protocol === 'http' ? { path: hc.path ?? '/' } : {}),
    check_interval_seconds: hc.intervalSeconds,
    response_timeout_seconds: hc.timeoutSeconds,
    healthy_threshold: hc.healthyThreshold,
    unhealthy_threshold: hc.unhealthyThreshold,
  };
}

function mapHealthCheck(hc: DoHealthCheck | undefined): HealthCheck | null {
  if (!hc) return null;
  const protocol = hc.protocol === 'http' || hc.protocol === 'https' ? 'http' : 'tcp';
  return {
    protocol,
    ...(protocol === 'http' ? { path: hc.path ?? '/' } : {}),
    port: hc.port,
    intervalSeconds: hc.check_interval_seconds,
    timeoutSeconds: hc.response_timeout_seconds,
    healthyThreshold: hc.healthy_threshold,
    unhealthyThreshold: hc.unhealthy_threshold,
  };
}

export function mapDoBalancer(lb: DoLoadBalancer): ProviderBalancer {
  const rule = lb.forwarding_rules?.[0];
  const entry = rule?.entry_protocol?.toLowerCase();
  const protocol: BalancerProtocol = entry === 'https' || entry === 'http2' ? 'https' : entry === 'http' ? 'http' : 'tcp';
  const members: BalancerMember[] = (lb.droplet_ids ?? []).map((id) => ({
    id: String(id),
    nodeId: String(id),
    ip: null,
    port: rule?.target_port ?? 0,
    // DigitalOcean does not report per-droplet health through the API.
    state: 'unknown',
    extra: {},
  }));
  return {
    id: lb.id,
    name: lb.name,
    state: mapDoBalancerState(lb.status),
    protocol,
    port: rule?.entry_port ?? 0,
    algorithm: lb.algorithm === 'least_connections' ? 'least_connections' : 'round_robin',
    address: lb.ip || null,
    members,
    healthCheck: mapHealthCheck(lb.health_check),
    extra: {
      ...(lb.region?.slug ? { region: lb.region.slug } : {}),
      ...(lb.ipv6 ? { ipv6: lb.ipv6 } : {}),
      ...(lb.vpc_uuid ? { vpcUuid: lb.vpc_uuid } : {}),
      ...(lb.size_unit !== undefined ? { sizeUnit: lb.size_unit } : {}),
      ...(lb.created_at ? { createdAt: lb.created_at } : {}),
    },
  };
}

export function createDoBalancers(client: DigitalOceanClient): LoadBalancerDriver {
  const get = async (id: string, ctx?: OperationContext): Promise<DoLoadBalancer | null> => {
    try {
      return (await client.get<{ load_balancer?: DoLoadBalancer }>(`${PATH}/${encodeURIComponent(id)}`, ctx)).load_balancer ?? null;
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  };
  const require = async (id: string, ctx?: OperationContext): Promise<DoLoadBalancer> => {
    const lb = await get(id, ctx);
    if (!lb) throw new NotFoundError(`DigitalOcean has no load balancer ${id}`);
    return lb;
  };
  const droplets = (id: string, ids: number[], method: 'POST' | 'DELETE', ctx?: OperationContext) =>
    client.request(method, `${PATH}/${encodeURIComponent(id)}/droplets`, { body: { droplet_ids: ids }, ctx });

  return {
    capabilities: ['setHealthCheck', 'memberByNode'],
    protocols: ['http', 'https', 'tcp'],
    // DigitalOcean deprecated `algorithm` (it always balances round robin).
    algorithms: ['round_robin'],

    async listBalancers(ctx) {
      return (await client.list<DoLoadBalancer>(PATH, 'load_balancers', ctx)).map(mapDoBalancer);
    },

    async getBalancer(id, ctx) {
      const lb = await get(id, ctx);
      return lb ? mapDoBalancer(lb) : null;
    },

    async createBalancer(request: CreateBalancerRequest, ctx) {
      checkBalancerRequest(this, request);
      const port = checkPort(request.port, 'Balancer port');
      const ids = request.members.map(dropletId);
      const ports = new Set(request.members.map((m) => checkPort(m.port, 'Member port')));
      if (ports.size > 1) throw new NotSupportedError('A DigitalOcean balancer forwards to one port on every droplet');
      const targetPort = [...ports][0] ?? port;
      if (!request.locationId) throw new ProviderError('A DigitalOcean balancer needs a region (locationId)');
      const certificateId = request.extra?.certificateId;
      if (request.protocol === 'https' && (typeof certificateId !== 'string' || certificateId === '')) {
        throw new ProviderError('An https DigitalOcean balancer needs extra.certificateId');
      }
      const name = doBalancerName(request.name, request.idempotencyKey);
      const existing = (await client.list<DoLoadBalancer>(PATH, 'load_balancers', ctx)).find((lb) => lb.name === name);
      if (existing) return mapDoBalancer(existing);
      const rule: DoForwardingRule = {
        entry_protocol: request.protocol,
        entry_port: port,
        target_protocol: request.protocol === 'tcp' ? 'tcp' : 'http',
        target_port: targetPort,
        ...(request.protocol === 'https' ? { certificate_id: certificateId as string } : {}),
      };
      const body = {
        name,
        region: request.locationId,
        size_unit: 1,
        forwarding_rules: [rule],
        ...(request.healthCheck ? { health_check: toDoHealthCheck(request.healthCheck, targetPort) } : {}),
        droplet_ids: ids,
        ...(typeof request.extra?.vpcUuid === 'string' ? { vpc_uuid: request.extra.vpcUuid } : {}),
      };
      const { load_balancer } = await client.post<{ load_balancer?: DoLoadBalancer }>(PATH, body, ctx);
      if (!load_balancer) throw new ProviderError('DigitalOcean answered the create without a load balancer');
      return mapDoBalancer(load_balancer);
    },

    async destroyBalancer(id, ctx) {
      try {
        await client.request('DELETE', `${PATH}/${encodeURIComponent(id)}`, { ctx });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    },

    async attachMember(balancerId, spec, ctx) {
      const id = dropletId(spec);
      const lb = await require(balancerId, ctx);
      const targetPort = lb.forwarding_rules?.[0]?.target_port;
      if (targetPort !== undefined && spec.port !== targetPort) {
        throw new NotSupportedError(`This DigitalOcean balancer forwards to port ${targetPort} on every droplet`);
      }
      await droplets(balancerId, [id], 'POST', ctx);
      return { id: String(id), nodeId: String(id), ip: null, port: targetPort ?? spec.port, state: 'unknown', extra: {} };
    },

    async detachMember(balancerId, memberId, ctx) {
      const id = Number(memberId);
      if (!Number.isSafeInteger(id) || id <= 0) throw new ProviderError(`Not a droplet id: ${memberId}`);
      await droplets(balancerId, [id], 'DELETE', ctx);
    },

    async setHealthCheck(balancerId, healthCheck, ctx) {
      const lb = await require(balancerId, ctx);
      const targetPort = lb.forwarding_rules?.[0]?.target_port ?? healthCheck.port ?? 80;
      // PUT replaces the whole balancer: send back what it has, with the new check.
      await client.request('PUT', `${PATH}/${encodeURIComponent(balancerId)}`, {
        body: {
          name: lb.name,
          region: lb.region?.slug,
          ...(lb.size_unit !== undefined ? { size_unit: lb.size_unit } : {}),
          forwarding_rules: lb.forwarding_rules ?? [],
          health_check: toDoHealthCheck(healthCheck, targetPort),
          droplet_ids: lb.droplet_ids ?? [],
          ...(lb.vpc_uuid ? { vpc_uuid: lb.vpc_uuid } : {}),
        },
        ctx,
      });
    },
  };
}
