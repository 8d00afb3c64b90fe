/**
 * OpenStack Octavia (the `load-balancer` service of the Keystone catalog) as the contract's
 * balancers. One Overmind balancer is a load balancer with one listener and its default pool,
 * made in one call (Octavia's fully populated create); members are the pool's members, by address
 * and port. A create first looks for a balancer tagged with the hash of its idempotency key.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import {
  NotFoundError,
  NotSupportedError,
  ProviderError,
  checkBalancerRequest,
  checkPort,
  createBalancerStateMapper,
  type BalancerAlgorithm,
  type BalancerMember,
  type BalancerProtocol,
  type BalancerState,
  type CreateBalancerRequest,
  type HealthCheck,
  type LoadBalancerDriver,
  type MemberSpec,
  type MemberState,
  type OperationContext,
  type ProviderBalancer,
} from '@overmind/provider';
import type { OpenStackClient } from './openstack-client.js';

interface OsRef {
  id: string;
}
export interface OctaviaLoadBalancer {
  id: string;
  name?: string;
  provisioning_status?: string;
  operating_status?: string;
  vip_address?: string | null;
  vip_subnet_id?: string;
  listeners?: OsRef[];
  pools?: OsRef[];
  tags?: string[];
}
interface OctaviaListener {
  id: string;
  protocol?: string;
  protocol_port?: number;
  default_pool_id?: string | null;
}
interface OctaviaPool {
  id: string;
  lb_algorithm?: string;
  healthmonitor_id?: string | null;
}
export interface OctaviaMember {
  id: string;
  address?: string;
  protocol_port?: number;
  operating_status?: string;
  provisioning_status?: string;
}
interface OctaviaHealthMonitor {
  type?: string;
  delay?: number;
  timeout?: number;
  max_retries?: number;
  max_retries_down?: number;
  url_path?: string;
}

const LB = '/v2/lbaas/loadbalancers';
const SERVICE = 'load-balancer' as const;

export const mapOctaviaState = createBalancerStateMapper<BalancerState>(
  { ACTIVE: 'active', PENDING_CREATE: 'pending', PENDING_UPDATE: 'updating', PENDING_DELETE: 'deleting', DELETED: 'deleting', ERROR: 'error' },
  'unknown',
);

/** A member's `operating_status` (ONLINE, OFFLINE is administratively down, NO_MONITOR without a health check). */
export const mapOctaviaMemberState = createBalancerStateMapper<MemberState>(
  { ONLINE: 'healthy', DEGRADED: 'unhealthy', ERROR: 'unhealthy', DRAINING: 'draining', OFFLINE: 'unused', NO_MONITOR: 'unknown' },
  'unknown',
);

const ALGORITHMS: Record<BalancerAlgorithm, string> = { round_robin: 'ROUND_ROBIN', least_connections: 'LEAST_CONNECTIONS', source_ip: 'SOURCE_IP' };

export function octaviaTag(idempotencyKey: string): string {
  return `overmind-key-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}`;
}

function memberBody(spec: MemberSpec) {
  if (!spec.ip || isIP(spec.ip) === 0) throw new NotSupportedError('Octavia members are given by IP address and port');
  return { address: spec.ip, protocol_port: checkPort(spec.port, 'Member port') };
}

function monitorBody(hc: HealthCheck) {
  return {
    type: hc.protocol === 'http' ? 'HTTP' : 'TCP',
    delay: hc.intervalSeconds,
    timeout: hc.timeoutSeconds,
    max_retries: hc.healthyThreshold,
    max_retries_down: hc.unhealthyThreshold,
    ...(hc.protocol === 'http' ? { url_path: hc.path ?? '/', expected_codes: '200-399', http_method: 'GET' } : {}),
  };
}

function mapMember(m: OctaviaMember): BalancerMember {
  return {
    id: m.id,
    nodeId: null,
    ip: m.address ?? null,
    port: m.protocol_port ?? 0,
    state: mapOctaviaMemberState(m.operating_status),
    extra: m.provisioning_status ? { provisioningStatus: m.provisioning_status } : {},
  };
}

export function createOctaviaBalancers(client: OpenStackClient): LoadBalancerDriver {
  const get = <T>(path: string, ctx?: OperationContext) => client.get<T>(SERVICE, path, ctx);

  async function find(id: string, ctx?: OperationContext): Promise<OctaviaLoadBalancer | null> {
    try {
      return (await get<{ loadbalancer?: OctaviaLoadBalancer }>(`${LB}/${encodeURIComponent(id)}`, ctx)).loadbalancer ?? null;
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  async function poolId(id: string, ctx?: OperationContext): Promise<string> {
    const lb = await find(id, ctx);
    const pool = lb?.pools?.[0]?.id;
    if (!pool) throw new NotFoundError(`Octavia has no load balancer ${id} with a pool`);
    return pool;
  }

  async function describe(lb: OctaviaLoadBalancer, ctx?: OperationContext): Promise<ProviderBalancer> {
    const listenerId = lb.listeners?.[0]?.id;
    const poolRef = lb.pools?.[0]?.id;
    const listener = listenerId ? (await get<{ listener?: OctaviaListener }>(`/v2/lbaas/listeners/${encodeURIComponent(listenerId)}`, ctx)).listener : undefined;
    let pool: OctaviaPool | undefined;
    let members: BalancerMember[] = [];
    let healthCheck: HealthCheck | null = null;
    if (poolRef) {
      pool = (await get<{ pool?: OctaviaPool }>(`/v2/lbaas/pools/${encodeURIComponent(poolRef)}`, ctx)).pool;
      members = (await client.listLinked<OctaviaMember>(SERVICE, `/v2/lbaas/pools/${encodeURIComponent(poolRef)}/members`, 'members', ctx)).map(mapMember);
      if (pool?.healthmonitor_id) {
        const hm = (await get<{ healthmonitor?: OctaviaHealthMonitor }>(`/v2/lbaas/healthmonitors/${encodeURIComponent(pool.healthmonitor_id)}`, ctx)).healthmonitor;
        if (hm) {
          const http = hm.type === 'HTTP' || hm.type === 'HTTPS';
          healthCheck = {
            protocol: http ? 'http' : 'tcp',
            ...(http ? { path: hm.url_path ?? '/' } : {}),
            intervalSeconds: hm.delay ?? 5,
            timeoutSeconds: hm.timeout ?? 5,
            healthyThreshold: hm.max_retries ?? 3,
            unhealthyThreshold: hm.max_retries_down ?? 3,
          };
        }
      }
    }
    const proto = listener?.protocol;
    const protocol: BalancerProtocol = proto === 'TERMINATED_HTTPS' || proto === 'HTTPS' ? 'https' : proto === 'HTTP' ? 'http' : 'tcp';
    const algorithm: BalancerAlgorithm = pool?.lb_algorithm === 'LEAST_CONNECTIONS' ? 'least_connections' : pool?.lb_algorithm === 'SOURCE_IP' ? 'source_ip' : 'round_robin';
    return {
      id: lb.id,
      name: lb.name ?? lb.id,
      state: mapOctaviaState(lb.provisioning_status),
      protocol,
      port: listener?.protocol_port ?? 0,
      algorithm,
      address: lb.vip_address || null,
      members,
      healthCheck,
      extra: {
        ...(lb.operating_status ? { operatingStatus: lb.operating_status } : {}),
        ...(lb.vip_subnet_id ? { vipSubnetId: lb.vip_subnet_id } : {}),
        ...(listenerId ? { listenerId } : {}),
        ...(poolRef ? { poolId: poolRef } : {}),
      },
    };
  }

  return {
    capabilities: ['memberByAddress', 'memberPort'],
    protocols: ['http', 'https', 'tcp'],
    algorithms: ['round_robin', 'least_connections', 'source_ip'],

    async listBalancers(ctx) {
      const lbs = await client.listLinked<OctaviaLoadBalancer>(SERVICE, LB, 'loadbalancers', ctx);
      const out: ProviderBalancer[] = [];
      for (const lb of lbs) out.push(await describe(lb, ctx));
      return out;
    },

    async getBalancer(id, ctx) {
      const lb = await find(id, ctx);
      return lb ? describe(lb, ctx) : null;
    },

    async createBalancer(request: CreateBalancerRequest, ctx) {
      checkBalancerRequest(this, request);
      const port = checkPort(request.port, 'Balancer port');
      const subnetId = request.extra?.subnetId;
      if (typeof subnetId !== 'string' || subnetId === '') throw new ProviderError('An Octavia balancer needs extra.subnetId (the subnet of its virtual IP)');
      const tlsRef = request.extra?.tlsContainerRef;
      if (request.protocol === 'https' && (typeof tlsRef !== 'string' || tlsRef === '')) {
        throw new ProviderError('An https Octavia balancer needs extra.tlsContainerRef (a Barbican secret container)');
      }
      const members = request.members.map(memberBody);
      const tag = octaviaTag(request.idempotencyKey);
      const [existing] = await client.listLinked<OctaviaLoadBalancer>(SERVICE, LB, 'loadbalancers', ctx, { tags: tag });
      if (existing) return describe(existing, ctx);
      const body = {
        loadbalancer: {
          name: request.name.slice(0, 255),
          vip_subnet_id: subnetId,
          tags: [tag],
          listeners: [
            {
              name: `${request.name.slice(0, 240)}-listener`,
              protocol: request.protocol === 'https' ? 'TERMINATED_HTTPS' : request.protocol === 'http' ? 'HTTP' : 'TCP',
              protocol_port: port,
              ...(request.protocol === 'https' ? { default_tls_container_ref: tlsRef } : {}),
              default_pool: {
                name: `${request.name.slice(0, 244)}-pool`,
                protocol: request.protocol === 'tcp' ? 'TCP' : 'HTTP',
                lb_algorithm: ALGORITHMS[request.algorithm],
                ...(request.healthCheck ? { healthmonitor: monitorBody(request.healthCheck) } : {}),
                members,
              },
            },
          ],
        },
      };
      const created = await client.request<{ loadbalancer?: OctaviaLoadBalancer }>(SERVICE, 'POST', LB, { body, ctx });
      if (!created?.loadbalancer?.id) throw new ProviderError('Octavia answered the create without a load balancer');
      return describe(created.loadbalancer, ctx);
    },

    async destroyBalancer(id, ctx) {
      try {
        // cascade: its listener, pool, members and health monitor go with it.
        await client.request(SERVICE, 'DELETE', `${LB}/${encodeURIComponent(id)}`, { query: { cascade: 'true' }, ctx });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    },

    async attachMember(balancerId, spec, ctx) {
      const pool = await poolId(balancerId, ctx);
      const out = await client.request<{ member?: OctaviaMember }>(SERVICE, 'POST', `/v2/lbaas/pools/${encodeURIComponent(pool)}/members`, { body: { member: memberBody(spec) }, ctx });
      if (!out?.member?.id) throw new ProviderError('Octavia answered the new member without an id');
      return mapMember(out.member);
    },

    async detachMember(balancerId, memberId, ctx) {
      const pool = await poolId(balancerId, ctx);
      try {
        await client.request(SERVICE, 'DELETE', `/v2/lbaas/pools/${encodeURIComponent(pool)}/members/${encodeURIComponent(memberId)}`, { ctx });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    },
  };
}
