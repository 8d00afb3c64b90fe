/**
 * The node's data filesystems and their use, as df(1) shows them: mounts from /proc/self/mounts minus
 * pseudo and virtual filesystems, each device once, sized with statfs(2).
 */
import { statfs } from 'node:fs/promises';
import { MAX_READING_FILESYSTEMS, type ReadingsMessage } from '@overmind/agent-protocol';
import { round2, type Mount } from './proc-parsers.js';

export type FilesystemFigures = ReadingsMessage['filesystems'][number];

/** Kernel and memory filesystems, read-only images, and container layers: never a disk to watch. */
const PSEUDO = new Set([
  'autofs', 'binfmt_misc', 'bpf', 'cgroup', 'cgroup2', 'configfs', 'debugfs', 'devpts', 'devtmpfs', 'efivarfs', 'fusectl',
  'hugetlbfs', 'mqueue', 'nsfs', 'overlay', 'proc', 'pstore', 'ramfs', 'rpc_pipefs', 'securityfs', 'selinuxfs', 'squashfs',
  'sysfs', 'tmpfs', 'tracefs', 'iso9660', 'udf', 'nfsd', 'fuse.lxcfs', 'fuse.gvfsd-fuse', 'fuse.portal', 'fuse.snapfuse', 'devfs', 'aufs',
]);
const PSEUDO_PREFIXES = ['/proc/', '/sys/', '/dev/'];

/** The mounts worth measuring, each device once (its shortest mount point: bind mounts repeat it). */
export function dataMounts(mounts: Mount[]): Mount[] {
  const byDevice = new Map<string, Mount>();
  for (const m of mounts) {
    if (PSEUDO.has(m.fstype) || m.mount === '/proc' || m.mount === '/sys' || PSEUDO_PREFIXES.some((p) => m.mount.startsWith(p))) continue;
    // Network filesystems are another machine's disks (and statfs on a dead server hangs).
    if (/^(nfs4?|cifs|smb3|sshfs|fuse\.sshfs|9p|ceph|glusterfs)$/.test(m.fstype)) continue;
    const key = m.device.startsWith('/') ? m.device : `${m.device}\0${m.mount}`;
    const seen = byDevice.get(key);
    if (!seen || m.mount.length < seen.mount.length) byDevice.set(key, m);
  }
  return [...byDevice.values()].sort((a, b) => a.mount.localeCompare(b.mount)).slice(0, MAX_READING_FILESYSTEMS);
}

/** A slow statfs (a hung device) must not hold back the whole reading. */
const STATFS_TIMEOUT_MS = 2000;

export async function measureFilesystem(m: Mount): Promise<FilesystemFigures | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), STATFS_TIMEOUT_MS)));
  try {
    const s = await Promise.race([statfs(m.mount), timeout]);
    if (!s || s.blocks <= 0) return null;
    // Node's statfs gives f_bsize; for the filesystems df reports it equals the fragment size.
    const size = s.blocks * s.bsize;
    const used = (s.blocks - s.bfree) * s.bsize;
    const avail = s.bavail * s.bsize;
    return {
      mount: m.mount.slice(0, 512),
      device: m.device.slice(0, 512),
      fstype: m.fstype.slice(0, 64),
      size,
      used,
      avail,
      usedPct: used + avail > 0 ? Math.min(100, round2((used / (used + avail)) * 100)) : 0,
      inodes: s.files,
      inodesUsed: Math.max(0, s.files - s.ffree),
    };
  } catch {
    return null; // unmounted meanwhile, or not ours to read
  } finally {
    clearTimeout(timer);
  }
}
