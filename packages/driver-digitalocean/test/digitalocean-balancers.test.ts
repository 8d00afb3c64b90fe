/** DigitalOcean Load Balancers against a loopback replay of the documented API. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidCredentialsError, NotSupportedError, ProviderError, TransientError, type LoadBalancerDriver } from '@overmind/provider';
import { digitaloceanPlugin, doBalancerName, type DoLoadBalancer } from '../src/index.js';
import { startDoReplay, TOKEN, type DoReplay } from './do-replay.js';

let replay: DoReplay;
let elb: LoadBalancerDriver;
/** The account's balancers, as the replay keeps them. */
let balancers: Map<string, DoLoadBalancer>;

beforeEach(async () => {
  replay = await startDoReplay();
  elb = replay.driver.balancers;
  balancers = new Map();
  const { server } = replay;
  const template = server.fixture<{ load_balancer: DoLoadBalancer }>('load-balancer-create.json').load_balancer;
  const notFound = { status: 404, json: { id: 'not_found', message: 'The resource you were accessing could not be found.' } };
  server
    .route('GET', '/v2/load_balancers', () => ({ json: { load_balancers: [...balancers.values()], links: {}, meta: { total: balancers.size } } }))
    .route('POST', '/v2/load_balancers', (req) => {
      const body = req.json as Partial<DoLoadBalancer>;
      const lb = { ...template, ...body, id: `4de7ac8b-495b-4884-9a69-1050c679${String(balancers.size).padStart(4, '0')}`, region: { slug: String(body.region) } } as DoLoadBalancer;
      balancers.set(lb.id, lb);
      return { status: 202, json: { load_balancer: lb } };
    })
    .route('GET', '/v2/load_balancers/:id', (req) => {
      const lb = balancers.get(req.params.id!);
      return lb ? { json: { load_balancer: lb } } : notFound;
    })
    .route('PUT', '/v2/load_balancers/:id', (req) => {
      const lb = balancers.get(req.params.id!);
      if (!lb) return notFound;
      Object.assign(lb, req.json);
      return { json: { load_balancer: lb } };
    })
    .route('DELETE', '/v2/load_balancers/:id', (req) => (balancers.delete(req.params.id!) ? { status: 204 } : notFound))
    .route('POST', '/v2/load_balancers/:id/droplets', (req) => {
      const lb = balancers.get(req.params.id!);
      if (!lb) return notFound;
      lb.droplet_ids = [...new Set([...(lb.droplet_ids ?? []), ...(req.json as { droplet_ids: number[] }).droplet_ids])];
      return { status: 204 };
    })
    .route('DELETE', '/v2/load_balancers/:id/droplets', (req) => {
      const lb = balancers.get(req.params.id!);
      if (!lb) return notFound;
      const gone = new Set((req.json as { droplet_ids: number[] }).droplet_ids);
      lb.droplet_ids = (lb.droplet_ids ?? []).filter((d) => !gone.has(d));
      return { status: 204 };
    });
});
afterEach(async () => {
  await replay.server.close();
});

const request = {
  name: 'web front',
  port: 80,
  protocol: 'http' as const,
  algorithm: 'round_robin' as const,
  members: [
    { nodeId: '3164444', port: 8080 },
    { nodeId: '3164445', port: 8080 },
  ],
  healthCheck: { protocol: 'http' as const, path: '/health', intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 3 },
  locationId: 'nyc3',
  idempotencyKey: 'job-7',
};

describe('DigitalOcean balancers', () => {
  it('creates one with a forwarding rule, health check and droplets; a retried create finds it by name', async () => {
    const created = await elb.createBalancer(request);
    expect(created).toMatchObject({
      name: doBalancerName('web front', 'job-7'),
      state: 'pending',
      protocol: 'http',
      port: 80,
      algorithm: 'round_robin',
      address: null,
      members: [
        { id: '3164444', nodeId: '3164444', port: 8080, state: 'unknown' },
        { id: '3164445', nodeId: '3164445', port: 8080, state: 'unknown' },
      ],
      healthCheck: { protocol: 'http', path: '/health', port: 8080, intervalSeconds: 10 },
      extra: { region: 'nyc3' },
    });
    const post = replay.server.requests.find((r) => r.method === 'POST' && r.path === '/v2/load_balancers')!;
    expect(post.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(post.json).toMatchObject({
      name: 'web-front-' + doBalancerName('x', 'job-7').slice(-12),
      region: 'nyc3',
      forwarding_rules: [{ entry_protocol: 'http', entry_port: 80, target_protocol: 'http', target_port: 8080 }],
      health_check: { protocol: 'http', port: 8080, path: '/health', check_interval_seconds: 10, response_timeout_seconds: 5 },
      droplet_ids: [3164444, 3164445],
    });

    const again = await elb.createBalancer(request);
    expect(again.id).toBe(created.id);
    expect(replay.server.requests.filter((r) => r.method === 'POST' && r.path === '/v2/load_balancers')).toHaveLength(1);
  });

  it('maps states with an unknown fallback, lists, and gets null for a missing one', async () => {
    const created = await elb.createBalancer(request);
    balancers.get(created.id)!.status = 'active';
    balancers.get(created.id)!.ip = '104.131.186.241';
    expect(await elb.getBalancer(created.id)).toMatchObject({ state: 'active', address: '104.131.186.241' });
    balancers.get(created.id)!.status = 'resizing-someday';
    expect((await elb.listBalancers()).map((b) => b.state)).toEqual(['unknown']);
    expect(await elb.getBalancer('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('attaches and detaches droplets, changes the health check, destroys (twice is fine)', async () => {
    const created = await elb.createBalancer(request);
    await elb.attachMember(created.id, { nodeId: '3164446', port: 8080 });
    await elb.detachMember(created.id, '3164444');
    expect(balancers.get(created.id)!.droplet_ids).toEqual([3164445, 3164446]);
    await expect(elb.attachMember(created.id, { nodeId: '3164447', port: 9000 })).rejects.toBeInstanceOf(NotSupportedError);

    await elb.setHealthCheck!(created.id, { protocol: 'tcp', intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 2, unhealthyThreshold: 2 });
    expect(balancers.get(created.id)!.health_check).toEqual({
      protocol: 'tcp',
      port: 8080,
      check_interval_seconds: 5,
      response_timeout_seconds: 3,
      healthy_threshold: 2,
      unhealthy_threshold: 2,
    });
    expect(balancers.get(created.id)!.droplet_ids).toEqual([3164445, 3164446]);

    await elb.destroyBalancer(created.id);
    expect(balancers.size).toBe(0);
    await elb.destroyBalancer(created.id);
  });

  it('refuses what DigitalOcean cannot do, and maps its errors', async () => {
    await expect(elb.createBalancer({ ...request, algorithm: 'least_connections' })).rejects.toBeInstanceOf(NotSupportedError);
    await expect(elb.createBalancer({ ...request, members: [{ ip: '10.0.0.1', port: 80 }] })).rejects.toBeInstanceOf(NotSupportedError);
    await expect(elb.createBalancer({ ...request, members: [{ nodeId: '1', port: 80 }, { nodeId: '2', port: 81 }] })).rejects.toBeInstanceOf(
      NotSupportedError,
    );
    await expect(elb.createBalancer({ ...request, protocol: 'https' })).rejects.toThrow(/certificateId/);
    await expect(elb.createBalancer({ ...request, locationId: undefined as unknown as string })).rejects.toBeInstanceOf(ProviderError);

    replay.server.scenario = '401';
    await expect(elb.listBalancers()).rejects.toBeInstanceOf(InvalidCredentialsError);
    replay.server.scenario = '429';
    const throttled = await elb.listBalancers().catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(TransientError);
    expect((throttled as TransientError).retryAfterMs).toBe(7000);
    expect(digitaloceanPlugin.capabilities).toContain('loadBalancers');
  });
});
