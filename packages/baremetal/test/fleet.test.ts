/** Many nodes at once: node states from BMC + SSH, the command runner, decommissioning, auth choices. */
import { rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidCredentialsError, NotFoundError } from '@overmind/provider';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import { closedTcpPort, startIpmiSim, type IpmiSimFixture } from '../test-support/ipmi-sim-fixture.js';
import { RegistrationError } from '../src/index.js';
import { createTestDriver, FakeInventory } from './fake-inventory.js';

let sshd: SshdFixture;
let sim: IpmiSimFixture;
let deadPort: number;

beforeAll(async () => {
  [sshd, sim, deadPort] = await Promise.all([startSshd({ users: [{ sudo: 'none' }] }), startIpmiSim(), closedTcpPort()]);
});
afterAll(async () => {
  await Promise.all([sshd?.stop(), sim?.stop()]);
});

const up = (extra: Record<string, unknown> = {}) => ({ address: '127.0.0.1', ssh: { port: sshd.port, username: sshd.username, privateKey: sshd.privateKey }, ...extra });
const down = (extra: Record<string, unknown> = {}) => ({ address: '127.0.0.1', ssh: { port: deadPort, username: 'root', password: 'x' }, ...extra });
// Generous: a busy machine can take seconds over an SSH handshake or an IPMI session.
const settings = { connectTimeoutMs: 20_000, bmcTimeoutMs: 10_000, bmcRetries: 0 };

describe('listNodes', () => {
  it('derives each state from BMC power and SSH reachability', async () => {
    const inventory = new FakeInventory();
    inventory.add('up', up());
    inventory.add('down', down());
    inventory.add('bmc-up', up({ bmc: sim.bmc() }));
    inventory.add('gone', up(), { decommissionedAt: '2026-01-01T00:00:00.000Z' });
    inventory.add('broken', { ssh: { port: 22 } });
    const driver = createTestDriver(inventory, settings);

    await sim.setPower('on');
    const states = Object.fromEntries((await driver.listNodes()).map((n) => [n.id, n.state]));
    expect(states).toEqual({ up: 'running', down: 'unknown', 'bmc-up': 'running', gone: 'terminated', broken: 'error' });

    await sim.setPower('off');
    const node = (await driver.getNode('bmc-up'))!;
    expect(node.state).toBe('stopped');
    expect(node.extra).toMatchObject({ power: 'off', sshReachable: true });
    expect(JSON.stringify(node)).not.toContain(sim.password);
    expect(JSON.stringify(node)).not.toContain('PRIVATE KEY');
    expect((await driver.listNodes()).find((n) => n.id === 'broken')!.extra.registrationError).toMatch(/address is required/);
  });
});

describe('runCommandOnNodes', () => {
  it('runs on every node with bounded concurrency and reports each one', async () => {
    const inventory = new FakeInventory();
    for (let i = 0; i < 6; i++) inventory.add(`n${i}`, up());
    inventory.add('dead', down());
    const driver = createTestDriver(inventory, { ...settings, concurrency: 3 });
    const lines: string[] = [];
    // Each command counts the commands running beside it on the server, once three have arrived (or
    // after 30 s): a limit of three shows as exactly three, whatever the machine's speed.
    const dir = `/tmp/overmind-fanout-${process.pid}-${Date.now()}`;
    const command = [
      `mkdir -p ${dir}/running ${dir}/arrived; touch ${dir}/running/$$ ${dir}/arrived/$$`,
      `i=0; while [ "$(ls ${dir}/arrived | wc -l)" -lt 3 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done`,
      `echo "running=$(ls ${dir}/running | wc -l)"; rm ${dir}/running/$$; exit 4`,
    ].join('; ');
    const results = await driver.runCommandOnNodes(['n0', 'n1', 'n2', 'dead', 'n3', 'n4', 'n5', 'missing'], command, {
      log: (l) => lines.push(l),
    });

    await rm(dir, { recursive: true, force: true });
    expect(results.map((r) => r.nodeId)).toEqual(['n0', 'n1', 'n2', 'dead', 'n3', 'n4', 'n5', 'missing']);
    const ran = results.filter((r) => r.ok);
    expect(ran).toHaveLength(6);
    const running = ran.map((r) => (r.ok ? Number(/running=\s*(\d+)/.exec(r.stdout)![1]) : 0));
    expect(Math.max(...running)).toBe(3);
    for (const r of ran) expect(r).toMatchObject({ exitCode: 4, stderr: '' });
    expect(results.find((r) => r.nodeId === 'dead')).toMatchObject({ ok: false, error: { name: 'SshConnectError', code: 'transient' } });
    expect(results.find((r) => r.nodeId === 'missing')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(lines).toHaveLength(6);
    expect(new Set(lines.map((l) => /^\[(node-n\d)\] running=/.exec(l)?.[1]))).toEqual(new Set([0, 1, 2, 3, 4, 5].map((i) => `node-n${i}`)));
    // Every reachable node was pinned on first use through the inventory.
    expect(inventory.saves.filter((s) => s.patch.hostKeyFingerprint === sshd.hostKeyFingerprint)).toHaveLength(6);
  });
});

describe('authentication choices', () => {
  it('logs in with a password, or with the rack default key when the node has no secret and its address is in scope', async () => {
    const user = sshd.users[0]!;
    const inventory = new FakeInventory();
    inventory.add('pw', { address: '127.0.0.1', ssh: { port: sshd.port, username: user.username, password: user.password } });
    inventory.add('default', { address: '127.0.0.1', ssh: { port: sshd.port } });
    const driver = createTestDriver(inventory, { ...settings, defaultCredentialNetworks: ['127.0.0.0/8'] }, { sshUsername: sshd.username, sshPrivateKey: sshd.privateKey });
    expect((await driver.runCommand('pw', 'id -un')).stdout.trim()).toBe(user.username);
    expect((await driver.runCommand('default', 'id -un')).stdout.trim()).toBe(sshd.username);
  });

  it('never sends the rack default password to an address outside defaultCredentialNetworks, or to a host name', async () => {
    const connections: string[] = [];
    const listener = createServer((socket) => {
      connections.push(String(socket.remoteAddress));
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as AddressInfo).port;
    try {
      const inventory = new FakeInventory();
      inventory.add('elsewhere', { address: '127.0.0.1', ssh: { port } });
      inventory.add('by-name', { address: 'localhost', ssh: { port } });
      const defaults = { sshUsername: 'root', sshPassword: 'rack-default-pw' };
      for (const networks of [[], ['10.0.0.0/8']]) {
        const driver = createTestDriver(inventory, { ...settings, defaultCredentialNetworks: networks }, defaults);
        for (const id of ['elsewhere', 'by-name']) {
          const err = await driver.runCommand(id, 'true').catch((e: unknown) => e);
          expect(err).toBeInstanceOf(RegistrationError);
          expect((err as Error).message).toMatch(/ssh\.privateKey or ssh\.password is required: the provider's default is only sent to IP addresses in defaultCredentialNetworks/);
          expect((err as Error).message).not.toContain(defaults.sshPassword);
        }
        expect((await driver.getNode('elsewhere'))!.state).toBe('error');
      }
      // Nothing connected: the password had nowhere to go.
      expect(connections).toEqual([]);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });

  it('a refused password is InvalidCredentialsError without the password in the message', async () => {
    const user = sshd.users[0]!;
    const inventory = new FakeInventory();
    inventory.add('pw', { address: '127.0.0.1', ssh: { port: sshd.port, username: user.username, password: 'not-the-password' } });
    const err = await createTestDriver(inventory, settings).runCommand('pw', 'true').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidCredentialsError);
    expect((err as Error).message).not.toContain('not-the-password');
  });

  it('validateCredentials checks that a default key can be read, without a network call', async () => {
    const inventory = new FakeInventory();
    await expect(createTestDriver(inventory, {}, { sshPrivateKey: sshd.privateKey }).validateCredentials()).resolves.toBeUndefined();
    await expect(createTestDriver(inventory, {}, {}).validateCredentials()).resolves.toBeUndefined();
    await expect(createTestDriver(inventory, {}, { sshPrivateKey: 'not a key' }).validateCredentials()).rejects.toBeInstanceOf(InvalidCredentialsError);
  });
});

describe('destroyNode', () => {
  it('decommissions without touching the server', async () => {
    const inventory = new FakeInventory();
    inventory.add('n1', up({ bmc: sim.bmc() }));
    const driver = createTestDriver(inventory, settings);
    await sim.setPower('on');
    const callsBefore = await sim.calls();
    const logins = () => sshd.logs().split('\n').filter((l) => l.includes('Accepted')).length;
    const loginsBefore = logins();

    await driver.destroyNode('n1');
    expect(await sim.calls()).toEqual(callsBefore);
    expect(logins()).toBe(loginsBefore);
    expect(await sim.power()).toBe('on');
    expect((await driver.getNode('n1'))!.state).toBe('terminated');
    await expect(driver.runCommand('n1', 'true')).rejects.toBeInstanceOf(NotFoundError);
    await expect(driver.destroyNode('nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});
