/**
 * SSH fan-out benchmark: `uname -a` on 200 node records served by 20 real loopback sshd instances,
 * through the dedicated driver's command runner, then through `ansible -m command -f 50` on the
 * same targets. Prints a table of wall time and peak memory. Run with `bash bench/ssh-fanout/run.sh`.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
// The bench is not a workspace package: it imports the packages' sources by path.
import { createDedicatedPlugin } from '../../packages/baremetal/src/index.js';
import type { NodeInventory, RegisteredNode } from '../../packages/provider/src/index.js';
import { startSshd, type SshdFixture } from '../../packages/ssh/test-support/sshd-fixture.js';

const run = promisify(execFile);
const SERVERS = Number(process.argv[2] ?? 20);
const PER_SERVER = Number(process.argv[3] ?? 10);
const WITH_ANSIBLE = process.argv[4] !== 'no-ansible';
const TARGETS = SERVERS * PER_SERVER;
const COMMAND = 'uname -a';

interface Row {
  runner: string;
  ok: number;
  seconds: number;
  peakRssMiB: number | null;
  /** RSS when the run started (the process's baseline: tsx, sshd fixtures, the driver). */
  startRssMiB: number | null;
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

/** Samples this process's RSS while `fn` runs: the peak of the run itself, not of the whole process life. */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRssMiB: number; startRssMiB: number }> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  try {
    const value = await fn();
    return { value, seconds: (performance.now() - started) / 1000, peakRssMiB: Math.max(peak, process.memoryUsage.rss()) / 2 ** 20, startRssMiB: start / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Logins use a throwaway unprivileged user with /bin/sh and an empty home, like a plain server account:
 * root's shell on a dev machine may source a heavy ~/.bashrc (pyenv...) for every SSH command.
 */
let benchUser = 'root';

async function overmind(servers: SshdFixture[], concurrency: number): Promise<Row> {
  const nodes: RegisteredNode[] = Array.from({ length: TARGETS }, (_, i) => {
    const sshd = servers[i % servers.length]!;
    return {
      id: `node-${i}`,
      name: `node-${i}`,
      registration: { address: sshd.host, ssh: { port: sshd.port, username: benchUser, privateKey: sshd.privateKey } },
      state: { hostKeyFingerprint: sshd.hostKeyFingerprint },
    };
  });
  const driver = createDedicatedPlugin().createDriver({ credentials: {}, settings: { concurrency }, providerId: 'bench', inventory: new BenchInventory(nodes) });
  const { value, seconds, peakRssMiB, startRssMiB } = await measure(() => driver.runCommandOnNodes!(nodes.map((n) => n.id), COMMAND));
  const failed = value.filter((r) => !r.ok || r.exitCode !== 0 || !r.stdout.startsWith('Linux'));
  if (failed.length) console.error(`overmind c=${concurrency}: ${failed.length} failed, e.g.`, JSON.stringify(failed[0]));
  return { runner: `overmind runCommandOnNodes, concurrency ${concurrency}`, ok: TARGETS - failed.length, seconds, peakRssMiB, startRssMiB };
}

async function ansible(servers: SshdFixture[], forks: number): Promise<Row> {
  const dir = await mkdtemp(join(tmpdir(), 'overmind-bench-ansible-'));
  try {
    const hosts: string[] = [];
    const knownHosts: string[] = [];
    for (const [s, sshd] of servers.entries()) {
      const hostKey = (await readFile(join(sshd.dir, 'host_ed25519.pub'), 'utf8')).split(' ').slice(0, 2).join(' ');
      knownHosts.push(`[${sshd.host}]:${sshd.port} ${hostKey}`);
      for (let j = 0; j < PER_SERVER; j++) {
        hosts.push(`node-${s * PER_SERVER + j} ansible_host=${sshd.host} ansible_port=${sshd.port} ansible_ssh_private_key_file=${join(sshd.dir, 'user_ed25519')}`);
      }
    }
    await writeFile(join(dir, 'known_hosts'), `${knownHosts.join('\n')}\n`);
    await writeFile(join(dir, 'inventory.ini'), `[all]\n${hosts.join('\n')}\n\n[all:vars]\nansible_user=${benchUser}\nansible_python_interpreter=/usr/bin/python3\n`);
    const env = {
      ...process.env,
      ANSIBLE_HOME: join(dir, 'home'),
      ANSIBLE_SSH_CONTROL_PATH_DIR: join(dir, 'cp'),
      ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'),
      ANSIBLE_SSH_ARGS: `-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${join(dir, 'known_hosts')} -o StrictHostKeyChecking=yes`,
      ANSIBLE_NOCOWS: '1',
    };
    const started = performance.now();
    // GNU time reports the peak RSS of the largest single process among ansible and its forks.
    const result = await run('/usr/bin/time', ['-f', 'maxrss_kb=%M', 'ansible', 'all', '-i', join(dir, 'inventory.ini'), '-m', 'command', '-a', COMMAND, '-f', String(forks), '-o'], {
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 15 * 60_000,
    }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
    const seconds = (performance.now() - started) / 1000;
    const ok = result.stdout.split('\n').filter((l) => / \| CHANGED \| rc=0 \| \(stdout\) Linux/.test(l)).length;
    const rss = /maxrss_kb=(\d+)/.exec(result.stderr);
    if (ok < TARGETS) console.error(`ansible: ${TARGETS - ok} failed; stderr tail:\n${result.stderr.split('\n').slice(-5).join('\n')}`);
    return { runner: `ansible -m command -f ${forks}`, ok, seconds, peakRssMiB: rss ? Number(rss[1]) / 1024 : null, startRssMiB: null };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const mib = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(0)} MiB`);

function table(rows: Row[]): string {
  const lines = [
    `| runner | targets | ok | wall time | peak RSS | RSS at start |`,
    `|---|---|---|---|---|---|`,
    ...rows.map((r) => `| ${r.runner} | ${TARGETS} | ${r.ok} | ${r.seconds.toFixed(2)} s | ${mib(r.peakRssMiB)} | ${mib(r.startRssMiB)} |`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  console.error(`starting ${SERVERS} sshd instances for ${TARGETS} node records...`);
  // The first fixture creates the bench user; every fixture accepts its own key for any user.
  const servers = await Promise.all(Array.from({ length: SERVERS }, (_, i) => startSshd(i === 0 ? { users: [{}] } : {})));
  benchUser = servers[0]!.users[0]!.username;
  // sshd reads authorized_keys as the user: let it traverse the other fixtures' dirs (keys stay 0600).
  await Promise.all(servers.slice(1).map((s) => chmod(s.dir, 0o711)));
  const rows: Row[] = [];
  try {
    rows.push(await overmind(servers, 50));
    rows.push(await overmind(servers, 20));
    const hasAnsible = WITH_ANSIBLE && (await run('sh', ['-c', 'command -v ansible']).then(() => true, () => false));
    if (hasAnsible) rows.push(await ansible(servers, 50));
    else console.error('ansible skipped (not installed, or no-ansible given)');
  } finally {
    // The first fixture removes the bench user: stop it last.
    await Promise.all(servers.slice(1).map((s) => s.stop()));
    await servers[0]!.stop();
  }
  const { maxRSS } = process.resourceUsage();
  console.log(`\nSSH fan-out: "${COMMAND}" on ${TARGETS} targets (${SERVERS} loopback sshd x ${PER_SERVER} node records, user ${benchUser})\n`);
  console.log(table(rows));
  console.log(`\nNode process maxRSS over the whole run (sshd setup included): ${(maxRSS / 1024).toFixed(0)} MiB.`);
  console.log('ansible peak RSS: the largest single process among ansible and its forks (GNU time %M).');
}

await main();
