/**
 * A real libvirtd behind a real OpenSSH sshd on loopback, for this package's tests and the API's
 * (`import { startLibvirtFixture } from '@overmind/driver-libvirt/testing'`). Each fixture gets its
 * own storage pool in a temp dir with a tiny base volume, its own bridge-backed network, and a unique
 * domain-name prefix; stop() removes every domain carrying that prefix, the pool and the network.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSshd, type SshdFixture, type StartSshdOptions } from '@overmind/ssh/testing';
import type { LibvirtCredentials, LibvirtSettings } from '../src/index.js';
import { SYSTEM_URI, ensureLibvirtd } from './libvirtd-daemon.js';

export { SYSTEM_URI, ensureLibvirtd } from './libvirtd-daemon.js';

const run = promisify(execFile);

export interface LibvirtFixture {
  sshd: SshdFixture;
  /** Unique per fixture, e.g. `ovm-test-1a2b3c`; every domain a test makes should start with it. */
  prefix: string;
  pool: string;
  poolDir: string;
  /** Name of the tiny (1 MiB, raw) base volume in the pool. */
  baseVolume: string;
  /** libvirt network on a private bridge with no uplink; null when the fixture was made without. */
  network: string | null;
  /** A fresh domain name under the prefix. */
  domainName(label?: string): string;
  /**
   * The sshd's throwaway login with its key: a root alias (uid 0 under its own name, plain shell,
   * empty home), standing in for a libvirt-group user; without polkit here only uid 0 may use the
   * system socket.
   */
  credentials(): LibvirtCredentials;
  /** Settings for this host, pool and network; the host key is pinned unless overridden. */
  settings(overrides?: Partial<LibvirtSettings>): LibvirtSettings;
  /** Local virsh against qemu:///system, for assertions; rejects with virsh's stderr. */
  virsh(...args: string[]): Promise<string>;
  /** Destroys and undefines the fixture's domains; stop() calls it too. */
  removeDomains(): Promise<void>;
  stop(): Promise<void>;
}

async function virsh(...args: string[]): Promise<string> {
  try {
    return (await run('/usr/bin/virsh', ['-c', SYSTEM_URI, ...args], { timeout: 30_000 })).stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`virsh ${args.join(' ')} failed: ${stderr || String(err)}`);
  }
}

const quietly = (p: Promise<unknown>) => p.then(() => undefined, () => undefined);

async function createNetwork(name: string, bridge: string): Promise<void> {
  // No dnsmasq or iptables here: a bridge-mode network on a bridge we own needs neither.
  await run('/usr/sbin/ip', ['link', 'add', bridge, 'type', 'bridge']);
  await run('/usr/sbin/ip', ['link', 'set', bridge, 'up']);
  const xml = `<network><name>${name}</name><forward mode='bridge'/><bridge name='${bridge}'/></network>`;
  const dir = await mkdtemp(join(tmpdir(), 'overmind-net-'));
  try {
    await writeFile(join(dir, 'net.xml'), xml);
    await virsh('net-create', join(dir, 'net.xml'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface LibvirtFixtureOptions {
  /** Create the bridge-backed network (default true). */
  network?: boolean;
  /** Passed to startSshd, e.g. throwaway non-root users. */
  sshd?: StartSshdOptions;
}

export async function startLibvirtFixture(options: LibvirtFixtureOptions = {}): Promise<LibvirtFixture> {
  await ensureLibvirtd();
  const id = randomBytes(3).toString('hex');
  const prefix = `ovm-test-${id}`;
  const pool = prefix;
  const network = options.network === false ? null : prefix;
  const bridge = `ovmbr-${id}`;
  const baseVolume = 'base-tiny.img';
  const poolDir = await mkdtemp(join(tmpdir(), `${prefix}-pool-`));
  let sshd: SshdFixture | undefined;

  const removeDomains = async () => {
    const names = (await virsh('list', '--all', '--name')).split('\n').map((n) => n.trim());
    // In parallel: stopping an emulated QEMU takes about a second each.
    await Promise.all(
      names
        .filter((n) => n.startsWith(prefix))
        .map(async (name) => {
          await quietly(virsh('destroy', name));
          await quietly(virsh('undefine', name, '--managed-save', '--snapshots-metadata', '--nvram'));
        }),
    );
  };
  const stop = async () => {
    await quietly(removeDomains());
    await quietly(virsh('pool-destroy', pool));
    if (network) {
      await quietly(virsh('net-destroy', network));
      await quietly(run('/usr/sbin/ip', ['link', 'del', bridge]));
    }
    await rm(poolDir, { recursive: true, force: true });
    await sshd?.stop();
  };

  try {
    // QEMU runs as libvirt-qemu and must reach the volumes.
    await chmod(poolDir, 0o755);
    await virsh('pool-create-as', pool, 'dir', '--target', poolDir);
    await virsh('vol-create-as', pool, baseVolume, '1M', '--format', 'raw');
    if (network) await createNetwork(network, bridge);
    sshd = await startSshd({ login: 'root-alias', ...options.sshd });
  } catch (err) {
    await stop();
    throw err;
  }
  const ssh = sshd;
  let counter = 0;
  return {
    sshd: ssh,
    prefix,
    pool,
    poolDir,
    baseVolume,
    network,
    domainName: (label = 'node') => `${prefix}-${label}-${++counter}`,
    credentials: () => ({ username: ssh.username, privateKey: ssh.privateKey }),
    settings: (overrides = {}) => ({
      host: ssh.host,
      port: ssh.port,
      hostKeyFingerprint: ssh.hostKeyFingerprint,
      uri: SYSTEM_URI,
      storagePool: pool,
      imagePrefix: 'base-',
      network: network ?? '',
      domainType: 'qemu',
      defaultMemoryMb: 64,
      sizes: [
        { id: 'tiny', name: 'Tiny (1 vCPU, 64 MiB, 1 GB)', cpus: 1, ramMb: 64, diskGb: 1 },
        { id: 'keep', cpus: 1, diskGb: 0 },
      ],
      shutdownTimeoutSeconds: 1,
      forceStopAfterTimeout: true,
      commandTimeoutSeconds: 30,
      ...overrides,
    }),
    virsh,
    removeDomains,
    stop,
  };
}
