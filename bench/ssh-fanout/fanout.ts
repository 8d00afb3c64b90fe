/**
 * SSH fan-out benchmark: `uname -a` on 200 node records served by 20 real loopback sshd instances
 * through the dedicated driver's command runner, against its ceiling measured in the same run: the
 * same SSH library (ssh2) as it comes, connecting and running the command with nothing of Overmind's
 * in the way. For scale, OpenSSH's own client and Ansible on the same targets. Then a file uploaded
 * through Overmind's SSH layer against OpenSSH's `sftp`, on loopback and over 50 ms round trips.
 *
 * Every sshd runs on this machine, so each figure also holds the targets' work (key exchange, the
 * login's processes, the command): the CPU is split into the client's (this process and the clients
 * it starts: the controller's share, the figure that carries to a real fleet) and the sshd side's
 * (on a real fleet, each target's own).
 * Run: npm run bench -- ssh (installs ansible-core if missing). Prints a Markdown table.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { load1, machineLine, printTable, ratio, type Measure } from '../bench-table.js';
import { startSshd, type SshdFixture } from '../../packages/ssh/test-support/sshd-fixture.js';
import { withReaped } from '../agent-load/process-meter.js';
import { startLatencyProxy } from './latency-proxy.js';
import { ansibleFanOut, bareSsh2FanOut, opensshFanOut, opensshUpload, overmindFanOut, overmindUpload, type FanOut, type Target } from './runners.js';

const SERVERS = Number(process.argv[2] ?? 20);
const PER_SERVER = Number(process.argv[3] ?? 10);
const WITH_ANSIBLE = process.argv[4] !== 'no-ansible';
const TARGETS = SERVERS * PER_SERVER;
const COMMAND = 'uname -a';
const isUname = (stdout: string) => stdout.startsWith('Linux');
const UPLOAD_MIB = 64;
const SLOW_UPLOAD_MIB = 16;
const TARGET_SECONDS = 10;
const RTT_MS = 50;

interface Proc {
  pid: number;
  ppid: number;
  /** CPU seconds of the process and of the children it has waited for. */
  cpu: number;
}

async function proc(pid: number): Promise<Proc | null> {
  const p = await withReaped(pid);
  return p && { pid, ppid: p.ppid, cpu: p.seconds };
}

/**
 * The sshd side: each listener with the per-connection processes it has reaped (sshd, the login's
 * shell, the command), and those still running. A process's CPU moves into its parent's once it is
 * reaped, so the sum over a tree counts each second once, before and after.
 */
async function sshdSeconds(servers: SshdFixture[]): Promise<number> {
  const all = (await Promise.all((await readdir('/proc')).filter((d) => /^\d+$/.test(d)).map((d) => proc(Number(d))))).filter((p): p is Proc => p !== null);
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const pids = await Promise.all(servers.map(async (f) => Number((await readFile(join(f.dir, 'sshd.pid'), 'utf8')).trim())));
  let sum = 0;
  const walk = (p: Proc) => {
    sum += p.cpu;
    for (const c of children.get(p.pid) ?? []) walk(c);
  };
  for (const pid of pids) {
    const listener = all.find((p) => p.pid === pid);
    if (!listener) throw new Error(`sshd ${pid} is not running`);
    walk(listener);
  }
  return sum;
}

interface Run {
  ok: number;
  seconds: number;
  /** CPU seconds of this process and the clients it started (ssh, ansible). */
  clientCpu: number;
  sshdCpu: number;
  peakRssMiB: number;
  load: string;
}

const clientSeconds = async () => (await proc(process.pid))!.cpu;

/** `fn` resolves to the targets that answered, and the CPU of any client process that left this process's tree. */
async function measured(servers: SshdFixture[], fn: () => Promise<FanOut>): Promise<Run> {
  const [client0, sshd0] = [await clientSeconds(), await sshdSeconds(servers)];
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  const load = load1();
  try {
    const { ok, detachedCpu = 0 } = await fn();
    const seconds = (performance.now() - started) / 1000;
    await sleep(500); // the listeners reap their last sessions
    return { ok, seconds, clientCpu: (await clientSeconds()) - client0 + detachedCpu, sshdCpu: (await sshdSeconds(servers)) - sshd0, peakRssMiB: peak / 2 ** 20, load };
  } finally {
    clearInterval(sampler);
  }
}

const s = (run: Run) => `${run.seconds.toFixed(2)} s`;
const perTarget = (seconds: number, n = TARGETS) => `${((seconds / n) * 1000).toFixed(1)} ms`;

function fanOutRows(label: string, om: Run, ceiling: Run, target?: string): Measure[] {
  const allOk = om.ok === TARGETS && ceiling.ok === TARGETS;
  return [
    {
      measure: `${label}: wall time (targets answering: ${om.ok} / ${ceiling.ok} of ${TARGETS})`,
      overmind: s(om),
      ceiling: s(ceiling),
      ratio: ratio(om.seconds, ceiling.seconds, '×'),
      ...(target ? { target, met: allOk && om.seconds < TARGET_SECONDS } : {}),
      load: om.load,
    },
    { measure: '— client CPU per target (this machine as the controller)', overmind: perTarget(om.clientCpu), ceiling: perTarget(ceiling.clientCpu), ratio: ratio(om.clientCpu, ceiling.clientCpu, '×') },
    { measure: '— sshd CPU per target (the targets\' own on a real fleet)', overmind: perTarget(om.sshdCpu), ceiling: perTarget(ceiling.sshdCpu) },
  ];
}

async function main(): Promise<void> {
  console.error(`starting ${SERVERS} sshd instances for ${TARGETS} node records...`);
  // The first fixture creates the bench user; every fixture accepts its own key for any user.
  const servers = await Promise.all(Array.from({ length: SERVERS }, (_, i) => startSshd(i === 0 ? { users: [{}] } : {})));
  const user = servers[0]!.users[0]!;
  // sshd reads authorized_keys as the user: let it traverse the other fixtures' dirs (keys stay 0600).
  await Promise.all(servers.slice(1).map((f) => chmod(f.dir, 0o711)));
  const targets: Target[] = Array.from({ length: TARGETS }, (_, i) => ({ name: `node-${i}`, sshd: servers[i % SERVERS]! }));
  const rows: Measure[] = [];
  try {
    const om50 = await measured(servers, () => overmindFanOut(targets, user.username, COMMAND, isUname, 50));
    const bare50 = await measured(servers, () => bareSsh2FanOut(targets, user.username, COMMAND, isUname, 50));
    rows.push(...fanOutRows(`\`${COMMAND}\` on ${TARGETS} targets, 50 at a time; ceiling: ssh2 alone`, om50, bare50, `< ${TARGET_SECONDS} s`));
    rows.push({ measure: '— the client process\'s peak RSS', overmind: `${om50.peakRssMiB.toFixed(0)} MiB`, ceiling: `${bare50.peakRssMiB.toFixed(0)} MiB` });
    const om20 = await measured(servers, () => overmindFanOut(targets, user.username, COMMAND, isUname, 20));
    const bare20 = await measured(servers, () => bareSsh2FanOut(targets, user.username, COMMAND, isUname, 20));
    rows.push(...fanOutRows('the same, 20 at a time', om20, bare20).slice(0, 2));
    const openssh = await measured(servers, () => opensshFanOut(targets, user.username, COMMAND, isUname, 50));
    rows.push(...fanOutRows('for scale, in the ceiling column: OpenSSH\'s `ssh`, a process per target, 50 at a time', om50, openssh));
    if (WITH_ANSIBLE) {
      const ansible = await measured(servers, () => ansibleFanOut(targets, user.username, COMMAND, 50));
      rows.push(...fanOutRows('for scale, in the ceiling column: `ansible -m command -f 50`', om50, ansible));
    } else console.error('ansible skipped (no-ansible given)');

    const local = join(user.home, 'upload-source');
    const remote = join(user.home, 'upload-target');
    let data = Buffer.alloc(0);
    // The median of three uploads each way, every copy checked after it was timed.
    const uploads = async (upload: typeof overmindUpload, port: number) => {
      const runs: Run[] = [];
      let intact = true;
      for (let i = 0; i < 3; i++) {
        runs.push(await measured([servers[0]!], async () => (await upload(servers[0]!, port, user.username, local, remote), { ok: 1 })));
        intact &&= (await readFile(remote)).equals(data);
        await rm(remote);
      }
      return { run: runs.sort((a, b) => a.seconds - b.seconds)[1]!, intact };
    };
    const cpuMs = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;
    const uploadRows = async (label: string, port: number, mib: number) => {
      data = randomBytes(mib * 2 ** 20);
      await writeFile(local, data);
      const mibps = (run: Run) => `${s(run)} (${(mib / run.seconds).toFixed(1)} MiB/s)`;
      const [om, sftp] = [await uploads(overmindUpload, port), await uploads(opensshUpload, port)];
      if (!om.intact || !sftp.intact) process.exitCode = 1;
      rows.push(
        { measure: `${label}, median of 3; ceiling: OpenSSH's \`sftp\` (every copy intact: ${om.intact ? 'yes' : 'NO'} / ${sftp.intact ? 'yes' : 'NO'})`, overmind: mibps(om.run), ceiling: mibps(sftp.run), ratio: ratio(om.run.seconds, sftp.run.seconds, '×'), load: om.run.load },
        { measure: '— client CPU', overmind: cpuMs(om.run.clientCpu), ceiling: cpuMs(sftp.run.clientCpu), ratio: ratio(om.run.clientCpu, sftp.run.clientCpu, '×') },
      );
    };
    await uploadRows(`${UPLOAD_MIB} MiB file uploaded over one connection (SFTP)`, servers[0]!.port, UPLOAD_MIB);
    const proxy = await startLatencyProxy(servers[0]!.port, RTT_MS / 2);
    try {
      await uploadRows(`${SLOW_UPLOAD_MIB} MiB over ${RTT_MS} ms round trips (a loopback proxy holding each direction ${RTT_MS / 2} ms)`, proxy.port, SLOW_UPLOAD_MIB);
    } finally {
      await proxy.close();
    }
  } finally {
    // The first fixture removes the bench user: stop it last.
    await Promise.all(servers.slice(1).map((f) => f.stop()));
    await servers[0]!.stop();
  }
  printTable(`SSH fan-out: ${TARGETS} targets (${SERVERS} loopback sshd × ${PER_SERVER} node records, user ${user.username}, /bin/sh); ${machineLine()}`, rows);
}

await main();
