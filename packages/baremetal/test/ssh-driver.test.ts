/** Registration, host key pinning, facts, commands and reboot against a real OpenSSH sshd. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransientError } from '@overmind/provider';
import { SshCommandTimeoutError, SshConnectionLostError } from '@overmind/ssh';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import { NodeHostKeyMismatchError } from '../src/index.js';
import { createTestDriver, FakeInventory } from './fake-inventory.js';

let sshd: SshdFixture;
let bin: string;

beforeAll(async () => {
  // A fake `shutdown` first on the SSH session's PATH records its arguments instead of rebooting.
  bin = await mkdtemp(join(os.tmpdir(), 'overmind-fakebin-'));
  await writeFile(join(bin, 'shutdown'), `#!/bin/sh\necho "$@" > '${bin}/shutdown.called'\n`);
  await chmod(bin, 0o755);
  await chmod(join(bin, 'shutdown'), 0o755);
  // Under sudo too: else sudo's secure_path would find the real shutdown.
  const path = `${bin}:/usr/bin:/bin:/usr/sbin:/sbin`;
  sshd = await startSshd({ config: [`SetEnv PATH=${path}`], sudoPath: path });
});
afterAll(async () => {
  await sshd?.stop();
  if (bin) await rm(bin, { recursive: true, force: true });
});

const registration = (extra: Record<string, unknown> = {}) => ({
  address: '127.0.0.1',
  ssh: { port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, ...extra },
});
const accepted = () => sshd.logs().split('\n').filter((l) => l.includes('Accepted publickey')).length;
const OTHER_KEY = `SHA256:${'A'.repeat(43)}`;

describe('registerNode', () => {
  it('pins the host key on first use and gathers real facts over one connection', async () => {
    const inventory = new FakeInventory();
    const driver = createTestDriver(inventory);
    const logs: string[] = [];
    const before = accepted();
    const node = await driver.registerNode({ id: 'n1', name: 'web-1', registration: registration() }, { log: (l) => logs.push(l) });

    expect(accepted() - before).toBe(1);
    expect(node.driverState.hostKeyFingerprint).toBe(sshd.hostKeyFingerprint);
    expect(logs).toContain(`Pinned SSH host key ${sshd.hostKeyFingerprint} (first use)`);
    expect(node).toMatchObject({ id: 'n1', name: 'web-1', state: 'running', extra: { address: '127.0.0.1', sshReachable: true, bmc: null } });

    const facts = node.extra.facts as NonNullable<Awaited<ReturnType<typeof driver.gatherFacts>>>;
    expect(facts.kernel?.release).toBe(os.release());
    expect(facts.kernel?.machine).toBe(os.machine());
    expect(facts.hostname).toBe(os.hostname());
    expect(facts.cpu?.count).toBe(os.cpus().length);
    expect(Math.abs(facts.memory!.totalBytes! - os.totalmem()) / os.totalmem()).toBeLessThan(0.01);
    expect(Math.abs(facts.uptimeSeconds! - os.uptime())).toBeLessThan(10);
    expect(facts.os?.id).toBe(/^ID=(.*)$/m.exec(readFileSync('/etc/os-release', 'utf8'))![1]!.replace(/"/g, ''));
    const root = facts.filesystems!.find((f) => f.mountPoint === '/')!;
    expect(root.sizeBytes).toBeGreaterThan(0);
    expect(root.usedBytes + root.availableBytes).toBeLessThanOrEqual(root.sizeBytes);
    const lo = facts.network!.interfaces.find((i) => i.name === 'lo')!;
    expect(lo.addresses).toContainEqual({ family: 'inet', address: '127.0.0.1', prefixLength: 8 });
  });

  it('refuses a server whose key differs from the one given at registration', async () => {
    const driver = createTestDriver(new FakeInventory());
    const err = await driver
      .registerNode({ id: 'n2', name: 'web-2', registration: registration({ hostKeyFingerprint: OTHER_KEY }) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeHostKeyMismatchError);
    expect(err).toMatchObject({ nodeId: 'n2', expectedFingerprint: OTHER_KEY, actualFingerprint: sshd.hostKeyFingerprint, providerCode: 'host_key_mismatch' });
  });
});

describe('host key pinning on later connections', () => {
  it('refuses a changed key until the operator accepts it', async () => {
    const inventory = new FakeInventory();
    inventory.add('n1', registration(), { hostKeyFingerprint: OTHER_KEY });
    const driver = createTestDriver(inventory);
    const marker = join(bin, 'should-not-exist');

    const err = await driver.runCommand('n1', `touch ${marker}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeHostKeyMismatchError);
    expect((err as Error).message).toMatch(/accept the new key \(acceptHostKey\)/);
    expect(existsSync(marker)).toBe(false);

    await driver.acceptHostKey('n1', (err as NodeHostKeyMismatchError).actualFingerprint);
    expect(inventory.nodes.get('n1')!.state.hostKeyFingerprint).toBe(sshd.hostKeyFingerprint);
    expect((await driver.runCommand('n1', 'echo ok')).stdout).toBe('ok\n');
  });

  it('pins on first use through the inventory when the node was registered while unreachable', async () => {
    const inventory = new FakeInventory();
    inventory.add('n1', registration());
    const driver = createTestDriver(inventory);
    await driver.runCommand('n1', 'true');
    expect(inventory.saves).toEqual([{ id: 'n1', patch: { hostKeyFingerprint: sshd.hostKeyFingerprint, hostKeyPinnedAt: expect.any(String) } }]);
    await driver.runCommand('n1', 'true');
    expect(inventory.saves).toHaveLength(1);
  });
});

describe('withNodeSession', () => {
  it('lends one session over the registered login: commands, sudo and files, host key pinned on first use', async () => {
    const inventory = new FakeInventory();
    inventory.add('n1', registration());
    const driver = createTestDriver(inventory);
    const dir = await mkdtemp(join(os.tmpdir(), 'overmind-session-'));
    await chmod(dir, 0o777);
    const before = accepted();
    const logs: string[] = [];
    const seen = await driver.withNodeSession('n1', async (session) => {
      await session.writeFile(join(dir, 'secret'), 'top\n', { mode: 0o600 });
      const who = await session.exec('id -un');
      const root = await session.exec('id -u', { sudo: true });
      const read = await session.exec(`cat ${join(dir, 'secret')}`);
      return { endpoint: session.endpoint, who: who.stdout.trim(), root: root.stdout.trim(), read: read.stdout };
    }, { log: (l) => logs.push(l) });
    expect(seen).toEqual({ endpoint: `${sshd.username}@127.0.0.1:${sshd.port}`, who: sshd.username, root: '0', read: 'top\n' });
    expect(accepted() - before).toBe(1);
    expect(logs).toEqual([`connected to ${seen.endpoint}`]);
    expect((await readFile(join(dir, 'secret'), 'utf8'))).toBe('top\n');
    expect(inventory.saves).toEqual([{ id: 'n1', patch: { hostKeyFingerprint: sshd.hostKeyFingerprint, hostKeyPinnedAt: expect.any(String) } }]);
    await rm(dir, { recursive: true, force: true });
  });

  it('runs nothing on a server whose host key changed', async () => {
    const inventory = new FakeInventory();
    inventory.add('n1', registration(), { hostKeyFingerprint: OTHER_KEY });
    let ran = false;
    const err = await createTestDriver(inventory).withNodeSession('n1', async () => {
      ran = true;
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeHostKeyMismatchError);
    expect(ran).toBe(false);
  });
});

describe('runCommand', () => {
  const pinned = () => {
    const inventory = new FakeInventory();
    inventory.add('n1', registration(), { hostKeyFingerprint: sshd.hostKeyFingerprint });
    return { inventory, driver: createTestDriver(inventory) };
  };

  it('streams output lines to ctx.log as they arrive and returns the exit code', async () => {
    const { driver } = pinned();
    // The command goes on only once "first" reached the log: it can finish only if lines stream.
    const heard = join(bin, `heard-${Date.now()}`);
    const lines: string[] = [];
    const command = `echo first; echo warn >&2; i=0; while [ ! -e ${heard} ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; [ -e ${heard} ] || exit 9; echo last; exit 3`;
    const result = await driver.runCommand('n1', command, {
      log: (line) => {
        lines.push(line);
        if (line === 'first') writeFileSync(heard, '');
      },
    });
    expect(result).toEqual({ exitCode: 3, stdout: 'first\nlast\n', stderr: 'warn\n' });
    expect(lines.sort()).toEqual(['first', 'last', 'warn']);
  });

  it('passes env to the command on its stdin, in runCommand and runCommandOnNodes alike', async () => {
    const { driver } = pinned();
    const env = { DB_PASSWORD: "pa ss'word", OTHER: 'x' };
    expect(await driver.runCommand('n1', 'printf "%s|%s" "$DB_PASSWORD" "$OTHER"', { env })).toEqual({ exitCode: 0, stdout: "pa ss'word|x", stderr: '' });
    const [result] = await driver.runCommandOnNodes(['n1'], 'printf "%s" "${#DB_PASSWORD}"', { env });
    expect(result).toMatchObject({ ok: true, exitCode: 0, stdout: '10' });
  });

  it('kills a command that outlives its timeout', async () => {
    const { driver } = pinned();
    const started = Date.now();
    const err = await driver.runCommand('n1', 'sleep 30', { timeoutMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshCommandTimeoutError);
    expect(err).toBeInstanceOf(TransientError);
    // Far less than the 30 s sleep, with room for a busy machine.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('reports a server that drops the connection mid-command', async () => {
    const { driver } = pinned();
    const run = driver.runCommand('n1', 'echo started; sleep 30', {
      log: (line) => {
        if (line === 'started') void sshd.killConnections();
      },
    });
    await expect(run).rejects.toBeInstanceOf(SshConnectionLostError);
  });
});

describe('rebootNode without a BMC', () => {
  it('runs shutdown -r now over SSH and records the reboot', async () => {
    const inventory = new FakeInventory();
    inventory.add('n1', registration(), { hostKeyFingerprint: sshd.hostKeyFingerprint });
    const driver = createTestDriver(inventory);
    await driver.rebootNode('n1');
    expect((await readFile(join(bin, 'shutdown.called'), 'utf8')).trim()).toBe('-r now');
    expect(inventory.nodes.get('n1')!.state.lastPowerAction).toMatchObject({ action: 'reboot' });
  });
});
