/**
 * A constellation tier behind HAProxy on a managed node, end to end through the API: a provider
 * without balancers of its own (as libvirt and dedicated ones), whose nodes are this machine
 * (sshd fixture, each member on a loopback address of its own with a real HTTP server), a real
 * `haproxy` (Debian package) run by Overmind on the host node over SSH, and real HTTP traffic
 * through it, kept up while the tier scales down: the removed member is drained first and no
 * request fails.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, get } from '../../../packages/lb-haproxy/test/support/http-probe.js';
import { expectProblem } from './support/api-routes.js';
import { createLoopbackProvider, loopbackPlugin, makeRemoteRoot, uploadFixtureKitchen, type RemoteRoot } from './support/cm-support.js';
import { createNode } from './support/provider-steps.js';
import { constellationSteps } from './support/constellation-steps.js';
import { createTestApp, waitForJob, type TestApp } from './support/test-app.js';

interface Backend {
  ip: string;
  server: Server;
  /** When each request arrived (performance.now()). */
  arrivals: number[];
}

let t: TestApp;
let sshd: SshdFixture;
let remote: RemoteRoot;
let kitchenDir: string;
let haproxyDir: string;
let provider: string;
let hostNodeId: string;
let memberPort: number;
let lbPort: number;
const backends: Backend[] = [];

const APPLY_MS = 120_000;


/** An HTTP server on a member's own loopback address; answers take a while, so requests are in flight during a drain. */
async function startBackend(ip: string, port: number): Promise<Backend> {
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    if (req.url === '/health') return res.end('ok');
    arrivals.push(performance.now());
    setTimeout(() => res.end(ip), 30);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, resolve);
  });
  return { ip, server, arrivals };
}


async function haproxyPids(): Promise<number[]> {
  const text = await readFile(join(haproxyDir, 'haproxy.pid'), 'utf8').catch(() => '');
  return text.split(/\s+/).filter(Boolean).map(Number);
}

beforeAll(async () => {
  sshd = await startSshd();
  remote = await makeRemoteRoot();
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-api-kitchen-'));
  haproxyDir = await mkdtemp(join(tmpdir(), 'overmind-api-haproxy-'));
  t = await createTestApp({
    plugins: [loopbackPlugin(sshd.port, 'loopback-plain', { ownBalancers: false, memberAddresses: true })],
    env: {
      OVERMIND_KITCHEN_DIR: kitchenDir,
      OVERMIND_SSH_WAIT_SECONDS: '20',
      OVERMIND_HAPROXY_DIR: haproxyDir,
      OVERMIND_HAPROXY_RELOAD: 'daemon',
      OVERMIND_HAPROXY_BIND: '127.0.0.1',
      OVERMIND_HAPROXY_DRAIN_SECONDS: '10',
    },
  });
  provider = (await createLoopbackProvider(t, 'loopback-plain')).id;
  await uploadFixtureKitchen(t);
  // The HAProxy host: a node the API reaches with a server role's login (nothing is configured on it).
  const role = await t.request('operator', {
    method: 'POST',
    url: '/api/v1/server-roles',
    payload: {
      name: 'lb-host', providerId: provider, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12', runList: ['role[base]'],
      cm: { kind: 'chef-solo', settings: { chefSoloCommand: remote.command('ok'), paths: remote.paths } },
      ssh: { username: sshd.username, privateKey: sshd.privateKey },
    },
  });
  expect(role.statusCode, role.body).toBe(201);
  const { job, node } = await createNode(t, { providerId: provider, name: 'lb-host-1', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' }, 30_000);
  expect(job.state).toBe('succeeded');
  hostNodeId = node.id as string;
  const assigned = await t.request('operator', { method: 'PUT', url: `/api/v1/nodes/${hostNodeId}/role`, payload: { serverRoleId: role.json().id } });
  expect(assigned.statusCode, assigned.body).toBe(200);

  // The members' own servers: the provider gives its nodes 127.0.0.22, .23, … (the host took .21).
  [memberPort, lbPort] = [await freePort(), await freePort()];
  for (const ip of ['127.0.0.22', '127.0.0.23', '127.0.0.24']) backends.push(await startBackend(ip, memberPort));
}, 180_000);

afterAll(async () => {
  for (const pid of haproxyDir ? await haproxyPids() : []) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await t?.close();
  await Promise.all(backends.map((b) => new Promise((r) => b.server.close(r))));
  await sshd?.stop();
  await remote?.remove();
  for (const dir of [kitchenDir, haproxyDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

const { api, ok, apply, destroy, logLines } = constellationSteps(() => t, APPLY_MS);

const tiers = (count: number, balancer: Record<string, unknown> = {}) => [
  {
    name: 'web',
    machine: { providerId: provider, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12' },
    count,
    balancer: {
      name: 'web-lb', port: lbPort, memberPort, protocol: 'http', hostNodeId,
      healthCheck: { path: '/health', intervalSeconds: 1, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 },
      ...balancer,
    },
  },
];

describe('a constellation tier behind HAProxy on a managed node', () => {
  let id: string;

  it('needs a host node for HAProxy where the provider has no balancers of its own', async () => {
    const problem = expectProblem(await api('POST', '/constellations', { name: 'nohost', tiers: tiers(1, { hostNodeId: undefined }) }), 422);
    expect(problem.errors).toEqual([{ field: 'body.tiers[0].balancer.hostNodeId', message: expect.stringMatching(/^is required: .* no load balancers of their own/) }]);
  });

  it('makes the balancer on the host and adds each member once haproxy finds it healthy; traffic reaches all three', async () => {
    const created = await ok('POST', '/constellations', { name: 'site', tiers: tiers(3) }, 201);
    id = created.id;
    const plan = await ok('POST', `/constellations/${id}/plan`);
    expect(plan.balancers).toEqual([{ tier: 'web', name: 'web-lb', port: lbPort, protocol: 'http', action: 'create', changes: [], balancerId: null, members: ['web-1', 'web-2', 'web-3'], attach: ['web-1', 'web-2', 'web-3'], detach: [] }]);
    const job = await apply(id);
    expect(job.state, job.error).toBe('succeeded');

    const [lb] = (await ok('GET', `/constellations/${id}/balancers`)).items;
    expect(lb).toMatchObject({ tier: 'web', hostNodeId, address: '127.0.0.1', state: 'active', memberPort });
    expect(lb.members.map((m: { state: string }) => m.state)).toEqual(['healthy', 'healthy', 'healthy']);
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) seen.add(await get(lbPort));
    expect([...seen].sort()).toEqual(['127.0.0.22', '127.0.0.23', '127.0.0.24']);
  });

  it('scales down under load: web-3 is drained out of the balancer before its node goes, and no request fails', async () => {
    const now = await ok('GET', `/constellations/${id}`);
    const web3 = now.tiers[0].members.find((m: { key: string }) => m.key === 'web-3');
    const gone = backends.find((b) => b.ip === web3.privateIps[0])!;
    expect(gone).toBeDefined();

    const failures: string[] = [];
    let served = 0;
    let stop = false;
    const loop = async () => {
      while (!stop) {
        try {
          await get(lbPort);
          served++;
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    };
    const load = Array.from({ length: 4 }, loop);
    await sleep(300);

    await ok('PUT', `/constellations/${id}/spec`, { tiers: tiers(2) });
    const plan = await ok('POST', `/constellations/${id}/plan`);
    expect(plan.steps.map((s: { action: string; key: string }) => `${s.action} ${s.key}`)).toEqual(['destroy web-3']);
    expect(plan.balancers[0]).toMatchObject({ action: 'keep', members: ['web-1', 'web-2'], detach: ['web-3'], attach: [] });
    const job = await apply(id);
    const doneAt = performance.now();
    await sleep(500);
    stop = true;
    await Promise.all(load);

    expect(job.state, job.error).toBe('succeeded');
    expect(failures).toEqual([]);
    expect(served).toBeGreaterThan(20);
    expect(gone.arrivals.filter((at) => at > doneAt)).toEqual([]);
    const lines = await logLines(job.id);
    const drained = lines.findIndex((l) => l.startsWith('[web-3 destroy] draining out of balancer web-lb'));
    expect(drained, lines.join('\n')).toBeGreaterThanOrEqual(0);
    expect(lines.findIndex((l) => l.startsWith('[web-3 destroy] node.destroy job'))).toBeGreaterThan(drained);
    const [lb] = (await ok('GET', `/constellations/${id}/balancers`)).items;
    expect(lb.members).toHaveLength(2);
  });

  it("reads haproxy's view of the members with the provider's sync: a member whose server stopped is unhealthy", async () => {
    const now = await ok('GET', `/constellations/${id}`);
    const web2 = now.tiers[0].members.find((m: { key: string }) => m.key === 'web-2');
    const stopped = backends.splice(backends.findIndex((b) => b.ip === web2.privateIps[0]), 1)[0]!;
    await new Promise((r) => stopped.server.close(r));
    const stateOf = async () => {
      const sync = await waitForJob(t, (await ok('POST', `/providers/${provider}/sync`, undefined, 202)).id, 60_000);
      expect(sync.state, sync.error).toBe('succeeded');
      const [lb] = (await ok('GET', `/constellations/${id}/balancers`)).items;
      return Object.fromEntries(lb.members.map((m: { nodeId: string; state: string }) => [m.nodeId === web2.nodeId ? 'web-2' : 'other', m.state]));
    };
    await expect.poll(stateOf, { timeout: 60_000, interval: 1_000 }).toEqual({ 'web-2': 'unhealthy', other: 'healthy' });
    expect(await get(lbPort)).not.toBe(stopped.ip); // haproxy sends nothing to it
  });

  it('destroying the constellation destroys its balancer: the port stops answering', async () => {
    const job = await destroy(id, 'site');
    expect(job.state, job.error).toBe('succeeded');
    expect((await ok('GET', `/constellations/${id}/balancers`)).items).toEqual([]);
    await expect(get(lbPort)).rejects.toThrow(/ECONNREFUSED/);
  });
});
