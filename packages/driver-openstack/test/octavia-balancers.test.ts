/** Octavia balancers against a loopback replay of the documented Load Balancer API v2, found through the Keystone catalog. */
import { randomUUID } from 'node:crypto';
import type { ReplayRequest, ReplayResponse } from '@overmind/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotSupportedError, ProviderError, TransientError, type LoadBalancerDriver } from '@overmind/provider';
import { octaviaTag, openstackPlugin } from '../src/index.js';
import { startOsReplay, type OsReplay } from './os-replay.js';

interface Lb {
  id: string;
  name: string;
  provisioning_status: string;
  operating_status: string;
  vip_address: string;
  vip_subnet_id: string;
  tags: string[];
  listeners: { id: string }[];
  pools: { id: string }[];
}
interface Member {
  id: string;
  address: string;
  protocol_port: number;
  operating_status: string;
  provisioning_status: string;
}

const BASE = '/load-balancer/v2/lbaas';

/**
 * Octavia's pagination: `limit` and `marker` (the last id seen), capped by the service's
 * `pagination_max_limit` (2 here, so every list of three spans pages), and a `<key>_links` entry with
 * `rel: next` while more remain. The link is absolute, on the host Octavia believes it has.
 */
const MAX_LIMIT = 2;
function page<T extends { id: string }>(req: ReplayRequest, key: string, all: T[]): ReplayResponse {
  const limit = Math.min(Number(req.query.limit ?? MAX_LIMIT) || MAX_LIMIT, MAX_LIMIT);
  const marker = typeof req.query.marker === 'string' ? req.query.marker : undefined;
  const start = marker ? all.findIndex((x) => x.id === marker) + 1 : 0;
  const items = all.slice(start, start + limit);
  const more = start + limit < all.length;
  const query = new URLSearchParams({ ...(typeof req.query.tags === 'string' ? { tags: req.query.tags } : {}), limit: String(limit), marker: items.at(-1)?.id ?? '' });
  return { json: { [key]: items, [`${key}_links`]: more ? [{ rel: 'next', href: `http://octavia.internal:9876${req.path.replace('/load-balancer', '')}?${query}` }] : [] } };
}
let replay: OsReplay;
let elb: LoadBalancerDriver;
const lbs = new Map<string, Lb>();
const listeners = new Map<string, { id: string; protocol: string; protocol_port: number; default_pool_id: string }>();
const pools = new Map<string, { id: string; lb_algorithm: string; healthmonitor_id: string | null; members: Member[] }>();
const monitors = new Map<string, Record<string, unknown>>();

beforeEach(async () => {
  replay = await startOsReplay();
  elb = replay.driver.balancers;
  for (const m of [lbs, listeners, pools, monitors]) m.clear();
  const notFound: ReplayResponse = { status: 404, json: { faultcode: 'Client', faultstring: 'Load Balancer not found', debuginfo: null } };
  // Octavia checks the Keystone token like Nova does.
  const authed = (handler: (req: ReplayRequest) => ReplayResponse) => (req: ReplayRequest): ReplayResponse => {
    const token = req.headers['x-auth-token'];
    return typeof token === 'string' && replay.tokens.includes(token) ? handler(req) : { status: 401, json: { faultcode: 'Client', faultstring: 'Unauthorized' } };
  };
  replay.server
    .route('GET', `${BASE}/loadbalancers`, authed((req) => {
      const tag = req.query.tags;
      return page(req, 'loadbalancers', [...lbs.values()].filter((lb) => typeof tag !== 'string' || lb.tags.includes(tag)));
    }))
    .route('POST', `${BASE}/loadbalancers`, authed((req) => {
      const body = (req.json as { loadbalancer: Record<string, any> }).loadbalancer;
      const listener = body.listeners[0];
      const pool = listener.default_pool;
      const poolId = randomUUID();
      let monitorId: string | null = null;
      if (pool.healthmonitor) {
        monitorId = randomUUID();
        monitors.set(monitorId, { id: monitorId, ...pool.healthmonitor });
      }
      pools.set(poolId, {
        id: poolId,
        lb_algorithm: pool.lb_algorithm,
        healthmonitor_id: monitorId,
        members: pool.members.map((m: { address: string; protocol_port: number }) => ({ id: randomUUID(), ...m, operating_status: 'NO_MONITOR', provisioning_status: 'PENDING_CREATE' })),
      });
      const listenerId = randomUUID();
      listeners.set(listenerId, { id: listenerId, protocol: listener.protocol, protocol_port: listener.protocol_port, default_pool_id: poolId });
      const lb: Lb = {
        id: randomUUID(),
        name: body.name,
        provisioning_status: 'PENDING_CREATE',
        operating_status: 'OFFLINE',
        vip_address: '10.0.0.12',
        vip_subnet_id: body.vip_subnet_id,
        tags: body.tags,
        listeners: [{ id: listenerId }],
        pools: [{ id: poolId }],
      };
      lbs.set(lb.id, lb);
      return { status: 201, json: { loadbalancer: lb } };
    }))
    .route('GET', `${BASE}/loadbalancers/:id`, authed((req) => (lbs.has(req.params.id!) ? { json: { loadbalancer: lbs.get(req.params.id!) } } : notFound)))
    .route('DELETE', `${BASE}/loadbalancers/:id`, authed((req) => (lbs.delete(req.params.id!) ? { status: 204 } : notFound)))
    .route('GET', `${BASE}/listeners/:id`, authed((req) => ({ json: { listener: listeners.get(req.params.id!) } })))
    .route('GET', `${BASE}/pools/:id`, authed((req) => {
      const { members: _members, ...pool } = pools.get(req.params.id!)!;
      return { json: { pool } };
    }))
    .route('GET', `${BASE}/pools/:id/members`, authed((req) => page(req, 'members', pools.get(req.params.id!)!.members)))
    .route('POST', `${BASE}/pools/:id/members`, authed((req) => {
      const member = { id: randomUUID(), ...(req.json as { member: { address: string; protocol_port: number } }).member, operating_status: 'NO_MONITOR', provisioning_status: 'PENDING_CREATE' };
      pools.get(req.params.id!)!.members.push(member);
      return { status: 201, json: { member } };
    }))
    .route('DELETE', `${BASE}/pools/:pool/members/:id`, authed((req) => {
      const pool = pools.get(req.params.pool!)!;
      const before = pool.members.length;
      pool.members = pool.members.filter((m) => m.id !== req.params.id);
      return pool.members.length < before ? { status: 204 } : notFound;
    }))
    .route('GET', `${BASE}/healthmonitors/:id`, authed((req) => ({ json: { healthmonitor: monitors.get(req.params.id!) } })));
});
afterEach(async () => {
  await replay.server.close();
});

const request = {
  name: 'web front',
  port: 80,
  protocol: 'http' as const,
  algorithm: 'least_connections' as const,
  members: [
    { ip: '10.0.0.21', port: 8080 },
    { ip: '10.0.0.22', port: 8080 },
  ],
  healthCheck: { protocol: 'http' as const, path: '/health', intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 2, unhealthyThreshold: 3 },
  idempotencyKey: 'job-9',
  extra: { subnetId: 'd4b5a8b6-1f5c-4e1a-9d6b-3a2f7c0e9b11' },
};

describe('Octavia balancers', () => {
  it('creates a fully populated balancer at the catalog endpoint; a retried create finds it by tag', async () => {
    const created = await elb.createBalancer(request);
    expect(created).toMatchObject({
      name: 'web front',
      state: 'pending',
      protocol: 'http',
      port: 80,
      algorithm: 'least_connections',
      address: '10.0.0.12',
      healthCheck: { protocol: 'http', path: '/health', intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 2, unhealthyThreshold: 3 },
    });
    expect(created.members.map((m) => [m.ip, m.port, m.state])).toEqual([
      ['10.0.0.21', 8080, 'unknown'],
      ['10.0.0.22', 8080, 'unknown'],
    ]);
    const post = replay.server.requests.find((r) => r.method === 'POST' && r.path === `${BASE}/loadbalancers`)!;
    expect(post.json).toMatchObject({
      loadbalancer: {
        vip_subnet_id: request.extra.subnetId,
        tags: [octaviaTag('job-9')],
        listeners: [{ protocol: 'HTTP', protocol_port: 80, default_pool: { protocol: 'HTTP', lb_algorithm: 'LEAST_CONNECTIONS', healthmonitor: { type: 'HTTP', url_path: '/health', delay: 5 } } }],
      },
    });

    const again = await elb.createBalancer(request);
    expect(again.id).toBe(created.id);
    expect(replay.server.requests.filter((r) => r.method === 'POST' && r.path === `${BASE}/loadbalancers`)).toHaveLength(1);
  });

  it('maps states with unknown fallbacks, attaches and detaches members, destroys with cascade (twice is fine)', async () => {
    const created = await elb.createBalancer(request);
    const lb = lbs.get(created.id)!;
    lb.provisioning_status = 'ACTIVE';
    const pool = pools.get(lb.pools[0]!.id)!;
    pool.members[0]!.operating_status = 'ONLINE';
    pool.members[1]!.operating_status = 'SOMETHING_NEW';
    const got = await elb.getBalancer(created.id);
    expect(got!.state).toBe('active');
    expect(got!.members.map((m) => m.state)).toEqual(['healthy', 'unknown']);
    lb.provisioning_status = 'PENDING_MIGRATE';
    expect((await elb.listBalancers())[0]!.state).toBe('unknown');

    const added = await elb.attachMember(created.id, { ip: '10.0.0.23', port: 8080 });
    expect(added).toMatchObject({ ip: '10.0.0.23', port: 8080 });
    await elb.detachMember(created.id, pool.members[0]!.id);
    expect(pool.members.map((m) => m.address)).toEqual(['10.0.0.22', '10.0.0.23']);
    await elb.detachMember(created.id, randomUUID());

    await elb.destroyBalancer(created.id);
    const del = replay.server.requests.find((r) => r.method === 'DELETE' && r.path === `${BASE}/loadbalancers/${created.id}`)!;
    expect(del.query.cascade).toBe('true');
    expect(await elb.getBalancer(created.id)).toBeNull();
    await elb.destroyBalancer(created.id);
  });

  it('follows the next links of lists that span pages: balancers and their members', async () => {
    const ids: string[] = [];
    for (const key of ['k1', 'k2', 'k3']) ids.push((await elb.createBalancer({ ...request, idempotencyKey: key, members: [...request.members, { ip: '10.0.0.23', port: 8080 }] })).id);
    const listed = await elb.listBalancers();
    expect(listed.map((b) => b.id)).toEqual(ids);
    expect(listed.every((b) => b.members.length === 3)).toBe(true);
    const lists = replay.server.requests.filter((r) => r.method === 'GET' && r.path === `${BASE}/loadbalancers`);
    expect(lists.at(-1)!.query.marker).toBe(ids[1]);
    // A retried create still finds the third by its tag (a filtered list, paged the same way).
    expect((await elb.createBalancer({ ...request, idempotencyKey: 'k3' })).id).toBe(ids[2]);
  });

  it('refuses what it cannot do before asking, and maps errors', async () => {
    await expect(elb.createBalancer({ ...request, members: [{ nodeId: 'abc', port: 80 }] })).rejects.toBeInstanceOf(NotSupportedError);
    await expect(elb.createBalancer({ ...request, extra: {} })).rejects.toThrow(/subnetId/);
    await expect(elb.createBalancer({ ...request, protocol: 'https' })).rejects.toThrow(/tlsContainerRef/);
    expect(replay.server.requests.some((r) => r.path.startsWith('/load-balancer'))).toBe(false);

    replay.server.override('GET', `${BASE}/loadbalancers`, { status: 503, headers: { 'retry-after': '9' }, json: { faultcode: 'Server', faultstring: 'Service Unavailable' } });
    const err = await elb.listBalancers().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).retryAfterMs).toBe(9000);
    replay.server.override('GET', `${BASE}/loadbalancers`, { status: 409, json: { faultcode: 'Client', faultstring: 'Load Balancer is immutable' } });
    await expect(elb.listBalancers()).rejects.toBeInstanceOf(ProviderError);
    expect(openstackPlugin.capabilities).toContain('loadBalancers');
  });
});
