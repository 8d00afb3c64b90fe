/**
 * What would lead a reader of a kitchen out of it. The text of a link says little: with `a -> .`, the
 * target `a/a/a/../../../etc` reads as `etc` inside the kitchen but resolves three levels above it.
 * So every symbolic link is judged by its real path, every hard-linked file by whether all its names
 * are inside, and anything but files, directories and links (a FIFO blocks its reader, a device
 * reads the host) is refused. Runs on every kitchen before it is read or pushed.
 */
import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { Dirent } from 'node:fs';
import type { KitchenProblem } from './kitchen-types.js';

/** Whether `path` is `root` or below it (both absolute and real). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel));
}

function kindOf(entry: Dirent): string {
  if (entry.isFIFO()) return 'FIFO';
  if (entry.isSocket()) return 'socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'device';
  return 'special file';
}

async function linkProblem(root: string, file: string): Promise<KitchenProblem | null> {
  const target = await readlink(join(root, file));
  if (isAbsolute(target)) return { file, message: 'is a link to an absolute path; links in a kitchen must be relative' };
  const real = await realpath(join(root, file)).catch(() => null);
  // The target is not repeated: climbing out of the kitchen, it spells a path of the server.
  if (real === null) return { file, message: 'is a link that leads nowhere inside the kitchen' };
  if (!isInside(root, real)) return { file, message: 'is a link that leads outside the kitchen' };
  return null;
}

/** Every escape under `dir`, sorted by file; empty when nothing leads out. */
export async function findKitchenEscapes(dir: string): Promise<KitchenProblem[]> {
  const root = await realpath(dir);
  const problems: KitchenProblem[] = [];
  // Hard-linked files by inode: a file with more links than names found here has a name elsewhere.
  const linked = new Map<string, { nlink: number; files: string[] }>();
  const pending = [''];
  for (let rel = pending.pop(); rel !== undefined; rel = pending.pop()) {
    for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
      const file = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) pending.push(file);
      else if (entry.isSymbolicLink()) {
        const problem = await linkProblem(root, file);
        if (problem) problems.push(problem);
      } else if (entry.isFile()) {
        const stat = await lstat(join(root, file));
        if (stat.nlink <= 1) continue;
        const key = `${stat.dev}:${stat.ino}`;
        const seen = linked.get(key) ?? { nlink: stat.nlink, files: [] };
        seen.files.push(file);
        linked.set(key, seen);
      } else problems.push({ file, message: `is a ${kindOf(entry)}; a kitchen holds only files, directories and links` });
    }
  }
  for (const { nlink, files } of linked.values()) {
    if (files.length < nlink) for (const file of files) problems.push({ file, message: 'is a hard link to a file outside the kitchen' });
  }
  return problems.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? ''));
}
