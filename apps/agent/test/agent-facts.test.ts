/**
 * Facts: disks against lsblk(8), filesystems against df(1), virtualization on this machine and on
 * fake roots, DMI files, and the hash staying put between two collections.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DISKS, readDisks, readDmi } from '../src/facts/hardware-facts.js';
import { collectFacts, factsHash, readFilesystemFacts } from '../src/facts/node-facts.js';
import { detectVirtualization } from '../src/facts/virtualization.js';

const run = promisify(execFile);
const exists = (p: string) => access(p).then(() => true, () => false);
const dirs: string[] = [];

async function fakeRoot(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'om-facts-'));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('facts on this machine', () => {
  it('lists the disks lsblk lists, with its sizes and rotational flags, minus loop and RAM devices', async () => {
    const { stdout } = await run('lsblk', ['-b', '-d', '-n', '-o', 'NAME,SIZE,ROTA']);
    const expected = stdout.trim().split('\n').map((l) => l.trim().split(/\s+/))
      .filter(([name, size]) => !/^(loop|ram|zram)\d+$/.test(name!) && Number(size) > 0)
      .map(([name, size, rota]) => ({ name, sizeBytes: Number(size), rotational: rota === '1' }))
      .sort((a, b) => a.name!.localeCompare(b.name!));
    expect(expected.length).toBeGreaterThan(0);
    const disks = await readDisks();
    expect(disks.map(({ name, sizeBytes, rotational }) => ({ name, sizeBytes, rotational }))).toEqual(expected);
  });

  it('sizes each data filesystem as df does, and carries no use figures', async () => {
    const fs = await readFilesystemFacts();
    expect(fs.length).toBeGreaterThan(0);
    const { stdout } = await run('df', ['-B1', '-P', '-T', ...fs.map((f) => f.mount)]);
    const rows = stdout.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
    for (const f of fs) {
      expect(Object.keys(f).sort()).toEqual(['device', 'fstype', 'mount', 'sizeBytes']);
      const row = rows.find((r) => r[6] === f.mount)!;
      expect(row, f.mount).toBeDefined();
      expect(f.fstype).toBe(row[1]);
      expect(f.sizeBytes).toBe(Number(row[2]));
    }
  });

  it('names the container or VM the way /.dockerenv, /run/systemd/container and the cpu flags say', async () => {
    const v = await detectVirtualization();
    const inDocker = await exists('/.dockerenv');
    const hypervisorFlag = /^flags\s*:.*\bhypervisor\b/m.test(await readFile('/proc/cpuinfo', 'utf8'));
    if (inDocker) expect(v).toMatchObject({ role: 'guest', type: 'docker', container: 'docker' });
    if (hypervisorFlag) expect(v.role).toBe('guest');
    if (hypervisorFlag) expect(v.vm).toBeDefined();
    if (!inDocker && !hypervisorFlag) expect(['host', 'none']).toContain(v.role);
  });

  it('reads DMI only where the files are, and hashes the same facts twice in a row', async () => {
    const dmi = await readDmi();
    const hasDmi = await exists('/sys/class/dmi/id/sys_vendor');
    expect(dmi.vendor !== undefined).toBe(hasDmi);
    const [a, b] = [await collectFacts('0.1.0'), await collectFacts('0.1.0')];
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['disks', 'filesystems', 'virtualization', 'dmi']));
    expect(factsHash(a)).toBe(factsHash(b));
  });
});

describe('facts on fake roots', () => {
  it('tells a KVM guest, a container by its PID 1 environment, a host and bare metal apart', async () => {
    const kvm = await fakeRoot({ 'sys/class/dmi/id/sys_vendor': 'QEMU\n', 'proc/cpuinfo': 'flags\t: fpu hypervisor\n' });
    expect(await detectVirtualization(kvm)).toEqual({ role: 'guest', type: 'qemu', vm: 'qemu' });
    const lxc = await fakeRoot({ 'proc/1/environ': 'PATH=/bin\0container=lxc\0', 'sys/class/dmi/id/sys_vendor': 'VMware, Inc.\n' });
    expect(await detectVirtualization(lxc)).toEqual({ role: 'guest', type: 'lxc', container: 'lxc', vm: 'vmware' });
    const host = await fakeRoot({ 'dev/kvm': '', 'sys/class/dmi/id/sys_vendor': 'Dell Inc.\n', 'proc/cpuinfo': 'flags\t: fpu vmx\n' });
    expect(await detectVirtualization(host)).toEqual({ role: 'host', type: 'kvm' });
    expect(await detectVirtualization(await fakeRoot({ 'proc/cpuinfo': 'flags\t: fpu\n' }))).toEqual({ role: 'none' });
  });

  it('reads disks from sysfs in 512-byte sectors, and DMI without an unreadable serial', async () => {
    const root = await fakeRoot({
      'block/sda/size': '1953525168\n', 'block/sda/queue/rotational': '1\n', 'block/sda/device/model': 'WDC WD10EZEX  \n',
      'block/nvme0n1/size': '1000215216\n', 'block/nvme0n1/queue/rotational': '0\n',
      'block/loop0/size': '1024\n', 'block/sr0/size': '0\n',
      'dmi/sys_vendor': 'Dell Inc.\n', 'dmi/product_name': 'PowerEdge R640\n',
    });
    expect(await readdir(join(root, 'block'))).toHaveLength(4);
    expect(await readDisks(join(root, 'block'))).toEqual([
      { name: 'nvme0n1', sizeBytes: 1000215216 * 512, rotational: false },
      { name: 'sda', sizeBytes: 1953525168 * 512, rotational: true, model: 'WDC WD10EZEX' },
    ]);
    expect(await readDmi(join(root, 'dmi'))).toEqual({ vendor: 'Dell Inc.', product: 'PowerEdge R640' });
    // A machine with more block devices than one facts message should carry lists the first MAX_DISKS.
    const many = await fakeRoot(Object.fromEntries(Array.from({ length: MAX_DISKS + 20 }, (_, i) => [`block/sd${String(i).padStart(3, '0')}/size`, '8\n'])));
    const listed = await readDisks(join(many, 'block'));
    expect(listed).toHaveLength(MAX_DISKS);
    expect(listed[0]!.name).toBe('sd000');
  });
});
