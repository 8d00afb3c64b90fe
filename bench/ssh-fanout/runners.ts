/**
 * The ways the fan-out benchmark runs one command on every target, Overmind's and its ceilings':
 * each resolves to how many targets answered as expected. Targets are loopback sshd fixtures, several
 * node records per sshd.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ssh2';
import { withReaped } from '../agent-load/process-meter.js';
// The bench is not a workspace package of these: it imports their sources by path.
import { createDedicatedPlugin } from '../../packages/baremetal/src/index.js';
import type { NodeInventory, RegisteredNode } from '../../packages/provider/src/index.js';
import { hostKeyFingerprint, withSession } from '../../packages/ssh/src/index.js';
import type { SshdFixture } from '../../packages/ssh/test-support/sshd-fixture.js';

const run = promisify(execFile);

/** One node record: which sshd answers for it. */
export interface Target {
  name: string;
  sshd: SshdFixture;
}

export type Check = (stdout: string) => boolean;

export interface FanOut {
  /** Targets that answered as expected. */
  ok: number;
  /** CPU seconds of client processes that left the benchmark's process tree (Ansible's SSH masters). */
  detachedCpu?: number;
}

class BenchInventory implements NodeInventory {
  constructor(private readonly nodes: RegisteredNode[]) {}
  async list() {
    return this.nodes;
  }
  async get(id: string) {
    return this.nodes.find((n) => n.id === id) ?? null;
  }
  async saveState() {}
}

/** Overmind: the dedicated driver's `runCommandOnNodes` over registered node records, as a run job calls it. */
export async function overmindFanOut(targets: Target[], user: string, command: string, check: Check, concurrency: number): Promise<FanOut> {
  const nodes: RegisteredNode[] = targets.map(({ name, sshd }) => ({
    id: name,
    name,
    registration: { address: sshd.host, ssh: { port: sshd.port, username: user, privateKey: sshd.privateKey } },
    state: { hostKeyFingerprint: sshd.hostKeyFingerprint },
  }));
  const driver = createDedicatedPlugin().createDriver({ credentials: {}, settings: { concurrency }, providerId: 'bench', inventory: new BenchInventory(nodes) });
  const results = await driver.runCommandOnNodes!(nodes.map((n) => n.id), command);
  const failed = results.filter((r) => !r.ok || r.exitCode !== 0 || !check(r.stdout));
  if (failed.length) console.error(`overmind: ${failed.length} failed, e.g.`, JSON.stringify(failed[0]));
  return { ok: results.length - failed.length };
}

/** `concurrency` workers taking the next target until none is left. */
async function eachBounded<T>(items: T[], concurrency: number, fn: (item: T) => Promise<boolean>): Promise<FanOut> {
  let next = 0;
  let ok = 0;
  const worker = async () => {
    while (next < items.length) if (await fn(items[next++]!)) ok++;
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return { ok };
}

/**
 * The ceiling: the SSH library Overmind uses (ssh2) as it comes, one connection per target, the host
 * key checked against its pin, the command run and its output collected, nothing else.
 */
export function bareSsh2FanOut(targets: Target[], user: string, command: string, check: Check, concurrency: number): Promise<FanOut> {
  const once = ({ sshd }: Target) =>
    new Promise<boolean>((resolve) => {
      const client = new Client();
      let stdout = '';
      const finish = (ok: boolean) => {
        client.end();
        resolve(ok);
      };
      client.on('error', (err) => {
        console.error(`bare ssh2: ${err.message}`);
        finish(false);
      });
      client.on('ready', () =>
        client.exec(command, (err, channel) => {
          if (err) return finish(false);
          channel.on('data', (d: Buffer) => (stdout += d.toString()));
          channel.stderr.resume();
          let exitCode: number | null = null;
          channel.on('exit', (code: number | null) => (exitCode = code));
          channel.on('close', () => finish(exitCode === 0 && check(stdout)));
        }),
      );
      client.connect({ host: sshd.host, port: sshd.port, username: user, privateKey: sshd.privateKey, hostVerifier: (key: Buffer) => hostKeyFingerprint(key) === sshd.hostKeyFingerprint });
      // Without it, Nagle's algorithm and delayed ACKs add about 200 ms to every short session on loopback.
      client.setNoDelay(true);
    });
  return eachBounded(targets, concurrency, once);
}

/** A known_hosts file pinning every fixture's host key, for OpenSSH and Ansible. */
async function knownHosts(dir: string, targets: Target[], port?: number): Promise<string> {
  const lines = new Set<string>();
  for (const { sshd } of targets) {
    const hostKey = (await readFile(join(sshd.dir, 'host_ed25519.pub'), 'utf8')).split(' ').slice(0, 2).join(' ');
    lines.add(`[${sshd.host}]:${port ?? sshd.port} ${hostKey}`);
  }
  const path = join(dir, 'known_hosts');
  await writeFile(path, `${[...lines].join('\n')}\n`);
  return path;
}

async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'overmind-bench-ssh-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** For scale: OpenSSH's own client, one `ssh` process per target, `concurrency` at a time. */
export function opensshFanOut(targets: Target[], user: string, command: string, check: Check, concurrency: number): Promise<FanOut> {
  return inTempDir(async (dir) => {
    const hosts = await knownHosts(dir, targets);
    return eachBounded(targets, concurrency, async ({ sshd }) => {
      const args = ['-i', join(sshd.dir, 'user_ed25519'), '-p', String(sshd.port), '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${hosts}`, '-o', 'StrictHostKeyChecking=yes', `${user}@${sshd.host}`, command];
      return run('ssh', args).then(({ stdout }) => check(stdout), (err: Error) => (console.error(`ssh: ${err.message}`), false));
    });
  });
}

/**
 * Ansible's SSH connection masters (ControlPersist, Ansible's default) detach from it and outlive the
 * run: their CPU until now, read before they are stopped.
 */
async function stopMasters(controlDir: string): Promise<number> {
  let cpu = 0;
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.includes(controlDir)) continue;
    cpu += (await withReaped(Number(pid)))?.seconds ?? 0;
    try {
      process.kill(Number(pid), 'SIGTERM');
    } catch {
      // Gone meanwhile.
    }
  }
  return cpu;
}

/** For scale: `ansible -m command -f forks` with a generated inventory, host keys checked. */
export function ansibleFanOut(targets: Target[], user: string, command: string, forks: number): Promise<FanOut> {
  return inTempDir(async (dir) => {
    const hosts = targets.map(({ name, sshd }) => `${name} ansible_host=${sshd.host} ansible_port=${sshd.port} ansible_ssh_private_key_file=${join(sshd.dir, 'user_ed25519')}`);
    await writeFile(join(dir, 'inventory.ini'), `[all]\n${hosts.join('\n')}\n\n[all:vars]\nansible_user=${user}\nansible_python_interpreter=/usr/bin/python3\n`);
    const env = {
      ...process.env,
      ANSIBLE_HOME: join(dir, 'home'),
      ANSIBLE_SSH_CONTROL_PATH_DIR: join(dir, 'cp'),
      ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'),
      ANSIBLE_SSH_ARGS: `-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${await knownHosts(dir, targets)} -o StrictHostKeyChecking=yes`,
      ANSIBLE_NOCOWS: '1',
    };
    const result = await run('ansible', ['all', '-i', join(dir, 'inventory.ini'), '-m', 'command', '-a', command, '-f', String(forks), '-o'], { env, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 }).catch(
      (err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
    );
    const ok = result.stdout.split('\n').filter((l) => / \| CHANGED \| rc=0 \| \(stdout\) /.test(l)).length;
    if (ok < targets.length) console.error(`ansible: ${targets.length - ok} failed; stderr tail:\n${result.stderr.split('\n').slice(-5).join('\n')}`);
    return { ok, detachedCpu: await stopMasters(env.ANSIBLE_SSH_CONTROL_PATH_DIR) };
  });
}

/** Overmind: a local file uploaded over one connection through the SSH layer (atomic write, mode set), as kitchens are. */
export async function overmindUpload(sshd: SshdFixture, port: number, user: string, localPath: string, remotePath: string): Promise<void> {
  const target = { ...sshd.target(), port, username: user, auth: { type: 'key' as const, privateKey: sshd.privateKey } };
  await withSession(target, (session) => session.upload(localPath, remotePath));
}

/** The ceiling: OpenSSH's `sftp` uploading the same file (64 requests in flight, its default). */
export function opensshUpload(sshd: SshdFixture, port: number, user: string, localPath: string, remotePath: string): Promise<void> {
  return inTempDir(async (dir) => {
    const hosts = await knownHosts(dir, [{ name: 'upload', sshd }], port);
    await writeFile(join(dir, 'batch'), `put ${localPath} ${remotePath}\n`);
    const login = ['-i', join(sshd.dir, 'user_ed25519'), '-P', String(port), '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${hosts}`, '-o', 'StrictHostKeyChecking=yes'];
    await run('sftp', ['-q', '-b', join(dir, 'batch'), ...login, `${user}@${sshd.host}`]);
  });
}
