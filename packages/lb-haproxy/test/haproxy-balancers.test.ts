/**
 * The HAProxy driver against a real haproxy on loopback, reached over a real sshd as a throwaway
 * sudoer with a plain shell, with real HTTP traffic through it to backends on loopback.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError, type LoadBalancerDriver, type NodeSession } from '@overmind/provider';
import { SshSession } from '@overmind/ssh';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, get } from './support/http-probe.js';
import { createHaproxyBalancers, type HaproxyHost } from '../src/index.js';

interface Backend {
  name: string;
  port: number;
  server: Server;
  /** When each request arrived (performance.now()). */
  arrivals: number[];
}

async function startBackend(name: string): Promise<Backend> {
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    arrivals.push(performance.now());
    // Each answer takes a while, so requests are in flight on the old process during a reload.
    const delay = req.url === '/health' ? 0 : 40;
    setTimeout(() => res.end(name), delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { name, port: (server.address() as AddressInfo).port, server, arrivals };
}



let sshd: SshdFixture;
let dir: string;
let backends: Backend[];
let driver: LoadBalancerDriver;
let sessions = 0;

const pidFile = () => join(dir, 'haproxy.pid');
async function haproxyPids(): Promise<number[]> {
  const text = await readFile(pidFile(), 'utf8').catch(() => '');
  return text.split(/\s+/).filter(Boolean).map(Number);
}

/** Alive and not a zombie (a daemon's parent may be a pid 1 that never reaps). */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && !/^\d+ \([^)]*\) Z/.test(stat);
}

beforeAll(async () => {
  sshd = await startSshd();
  dir = await mkdtemp(join(tmpdir(), 'overmind-haproxy-'));
  backends = await Promise.all(['a', 'b', 'c'].map(startBackend));
  const host: HaproxyHost = {
    async withSession(fn) {
      const session = new SshSession(sshd.target());
      await session.connect();
      sessions++;
      try {
        return await fn(session as NodeSession);
      } finally {
        await session.close();
      }
    },
  };
  driver = createHaproxyBalancers(host, {
    address: '127.0.0.1',
    bindAddress: '127.0.0.1',
    configPath: join(dir, 'haproxy.cfg'),
    statePath: join(dir, 'balancers.json'),
    socketPath: join(dir, 'admin.sock'),
    reload: { mode: 'daemon', pidFile: pidFile() },
    drainSeconds: 10,
  });
});

afterAll(async () => {
  for (const pid of await haproxyPids()) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await Promise.all((backends ?? []).map((b) => new Promise((r) => b.server.close(r))));
  await sshd?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('HAProxy balancers on a real haproxy over SSH', () => {
  let port: number;
  let balancerId: string;

  it('creates a balancer that spreads HTTP over its members, lists it, and a retried create makes no second one', async () => {
    const [a, b] = backends as [Backend, Backend];
    port = await freePort();
    const request = {
      name: 'web front',
      port,
      protocol: 'http' as const,
      algorithm: 'round_robin' as const,
      members: [
        { ip: '127.0.0.1', port: a.port, nodeId: 'node-a' },
        { ip: '127.0.0.1', port: b.port },
      ],
      healthCheck: { protocol: 'http' as const, path: '/health', intervalSeconds: 1, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 },
      idempotencyKey: 'create-web-1',
    };
    const created = await driver.createBalancer(request);
    balancerId = created.id;
    expect(created).toMatchObject({ name: 'web front', state: 'active', port, protocol: 'http', algorithm: 'round_robin', address: '127.0.0.1' });
    expect(created.members.map((m) => [m.ip, m.port, m.nodeId])).toEqual([
      ['127.0.0.1', a.port, 'node-a'],
      ['127.0.0.1', b.port, null],
    ]);

    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) seen.add(await get(port));
    expect([...seen].sort()).toEqual(['a', 'b']);

    // haproxy's own health check, read from its runtime API.
    await expect.poll(async () => (await driver.getBalancer(created.id))!.members.map((m) => m.state), { timeout: 30_000 }).toEqual(['healthy', 'healthy']);

    const again = await driver.createBalancer(request);
    expect(again.id).toBe(created.id);
    const listed = await driver.listBalancers();
    expect(listed.map((x) => x.id)).toEqual([created.id]);
    expect(await driver.getBalancer(created.id)).toEqual(listed[0]);
    expect(await driver.getBalancer('lb-000000000000')).toBeNull();

    const config = await readFile(join(dir, 'haproxy.cfg'), 'utf8');
    expect(config).not.toContain('web front'); // user text stays in the state file
    expect(config).toContain('http-check send meth GET uri /health');
  });

  it('attaches and detaches members under load without a failed request; the detached one gets nothing after', async () => {
    const [, b, c] = backends as [Backend, Backend, Backend];
    const failures: string[] = [];
    const answers = new Map<string, number>();
    let stop = false;
    const loop = async () => {
      while (!stop) {
        try {
          const who = await get(port);
          answers.set(who, (answers.get(who) ?? 0) + 1);
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    };
    const load = Array.from({ length: 4 }, loop);
    await sleep(300);

    const member = await driver.attachMember(balancerId, { ip: '127.0.0.1', port: c.port });
    const bMember = (await driver.getBalancer(balancerId))!.members.find((m) => m.port === b.port)!;
    const pidsBefore = await haproxyPids();
    await driver.detachMember(balancerId, bMember.id);
    const detachedAt = performance.now();
    // The old process finished its connections (drained) before detach returned.
    for (const pid of pidsBefore) expect(await running(pid)).toBe(false);
    const cBefore = c.arrivals.length;
    await sleep(500);
    stop = true;
    await Promise.all(load);

    expect(failures).toEqual([]);
    expect(b.arrivals.filter((t) => t > detachedAt)).toEqual([]);
    expect(c.arrivals.length).toBeGreaterThan(cBefore);
    expect((answers.get('b') ?? 0) + (answers.get('a') ?? 0) + (answers.get('c') ?? 0)).toBeGreaterThan(10);
    const members = (await driver.getBalancer(balancerId))!.members;
    expect(members.map((m) => m.port).sort()).toEqual([backends[0]!.port, c.port].sort());
    expect(members.find((m) => m.port === c.port)!.id).toBe(member.id);
  });

  it('refuses a configuration haproxy -c rejects and keeps the old one serving', async () => {
    const configBefore = await readFile(join(dir, 'haproxy.cfg'), 'utf8');
    const pidsBefore = await haproxyPids();
    const err = await driver
      .createBalancer({
        name: 'tls',
        port: await freePort(),
        protocol: 'https',
        algorithm: 'least_connections',
        members: [{ ip: '127.0.0.1', port: backends[0]!.port }],
        idempotencyKey: 'create-tls-1',
        extra: { certificatePath: join(dir, 'missing-cert.pem') },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).providerCode).toBe('invalid_config');
    expect((err as Error).message).toMatch(/haproxy -c rejected/);
    expect((err as Error).message).toMatch(/missing-cert\.pem/);

    expect(await readFile(join(dir, 'haproxy.cfg'), 'utf8')).toBe(configBefore);
    expect(await haproxyPids()).toEqual(pidsBefore);
    expect((await driver.listBalancers()).map((b) => b.name)).toEqual(['web front']);
    expect(['a', 'c']).toContain(await get(port));
  });

  it("reports a member haproxy's health check finds down as unhealthy, and one back up as healthy", async () => {
    const closed = await freePort();
    const down = await driver.attachMember(balancerId, { ip: '127.0.0.1', port: closed });
    const stateOf = async () => (await driver.getBalancer(balancerId))!.members.find((m) => m.id === down.id)!.state;
    await expect.poll(stateOf, { timeout: 30_000 }).toBe('unhealthy');
    const late = createServer((_req, res) => res.end('late'));
    await new Promise<void>((resolve) => late.listen(closed, '127.0.0.1', resolve));
    try {
      await expect.poll(stateOf, { timeout: 30_000 }).toBe('healthy');
    } finally {
      await driver.detachMember(balancerId, down.id);
      await new Promise((r) => late.close(r));
    }
  });

  it('destroys a balancer: its port stops answering, the list is empty, destroying again is fine', async () => {
    await driver.destroyBalancer(balancerId);
    expect(await driver.listBalancers()).toEqual([]);
    await expect(get(port)).rejects.toThrow(/ECONNREFUSED/);
    await driver.destroyBalancer(balancerId);
    expect(sessions).toBeGreaterThan(0);
  });
});
