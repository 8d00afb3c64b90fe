/**
 * Makes sure a system libvirtd (with virtlogd) serves qemu:///system on this machine. Idempotent and
 * safe to call from several test processes at once. Daemons are left running afterwards: other test
 * files may be using them, and a warm libvirtd keeps its QEMU capability cache.
 */
import { execFile } from 'node:child_process';
import { access, chmod, chown, mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SYSTEM_URI = 'qemu:///system';

const BINARIES: readonly [string, string][] = [
  ['/usr/sbin/libvirtd', 'libvirt-daemon'],
  ['/usr/sbin/virtlogd', 'libvirt-daemon'],
  ['/usr/bin/virsh', 'libvirt-clients'],
  ['/usr/bin/qemu-system-x86_64', 'qemu-system-x86'],
  ['/usr/sbin/ip', 'iproute2'],
];

async function requireBinaries(): Promise<void> {
  for (const [path, pkg] of BINARIES) {
    await access(path).catch(() => {
      throw new Error(`libvirtd fixture: ${path} is missing. Install ${pkg} (scripts/test-prereqs.sh).`);
    });
  }
  if (process.getuid?.() !== 0) throw new Error('libvirtd fixture: needs root (starts libvirtd, creates bridges)');
}

async function exists(command: string, args: string[]): Promise<boolean> {
  return run(command, args).then(() => true, () => false);
}

/** Creates a group or user unless present; a concurrent creator winning the race is fine. */
async function ensureAccount(kind: 'group' | 'passwd', name: string, create: () => Promise<unknown>): Promise<void> {
  if (await exists('getent', [kind, name])) return;
  await create().catch(async (err: unknown) => {
    if (!(await exists('getent', [kind, name]))) throw err;
  });
}

async function ensureAccounts(): Promise<void> {
  for (const group of ['kvm', 'libvirt', 'libvirt-qemu']) {
    await ensureAccount('group', group, () => run('/usr/sbin/groupadd', ['-f', group]));
  }
  await ensureAccount('passwd', 'libvirt-qemu', () =>
    run('/usr/sbin/useradd', ['-r', '-g', 'libvirt-qemu', '-G', 'kvm', '-d', '/var/lib/libvirt', '-s', '/usr/sbin/nologin', 'libvirt-qemu']),
  );
  for (const dir of ['/var/log/libvirt', '/var/run/libvirt', '/var/lib/libvirt']) await mkdir(dir, { recursive: true });
}

/**
 * Without udev, /dev/kvm stays root-only. libvirt then finds KVM usable when probing QEMU but not for
 * the QEMU user, judges its capability cache stale on every call and re-probes (~30 s per define).
 * Debian's udev rule gives the device to group kvm; do the same.
 */
async function fixKvmDevice(): Promise<void> {
  const info = await stat('/dev/kvm').catch(() => undefined);
  if (!info || (info.mode & 0o060) === 0o060) return;
  const { stdout } = await run('getent', ['group', 'kvm']);
  await chown('/dev/kvm', 0, Number(stdout.split(':')[2]));
  await chmod('/dev/kvm', 0o660);
}

async function daemonRunning(name: string): Promise<boolean> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv0 = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0')[0] ?? '';
    if (argv0 === name || argv0.endsWith(`/${name}`)) return true;
  }
  return false;
}

async function startDaemon(name: string): Promise<void> {
  if (await daemonRunning(name)) return;
  // `-d` forks into the background; a second instance started concurrently exits on the pid lock.
  await run(`/usr/sbin/${name}`, ['-d']).catch(() => undefined);
}

async function waitForLibvirt(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      // `version` also makes a fresh libvirtd probe QEMU's capabilities (seconds, once per boot).
      await run('/usr/bin/virsh', ['-c', SYSTEM_URI, 'version'], { timeout: timeoutMs });
      return;
    } catch (err) {
      last = (err as { stderr?: string }).stderr?.trim() || String(err);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`libvirtd did not answer on ${SYSTEM_URI} within ${timeoutMs} ms: ${last}`);
}

export async function ensureLibvirtd(): Promise<void> {
  await requireBinaries();
  await ensureAccounts();
  await fixKvmDevice();
  await startDaemon('virtlogd');
  await startDaemon('libvirtd');
  await waitForLibvirt(90_000);
}
