/**
 * Unpacks an uploaded kitchen (.tar.gz) with node-tar, refusing entries that would land outside the
 * target directory (absolute paths, `..`, links pointing out, devices) and archives past the size
 * limits. Every refused entry is reported; the caller discards the directory when there are any.
 */
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { x as extract, type ReadEntry } from 'tar';
import type { KitchenProblem } from './kitchen-types.js';

export interface ArchiveLimits {
  /** Total bytes of file contents. Default 256 MiB. */
  maxBytes?: number;
  /** Number of entries. Default 20,000. */
  maxEntries?: number;
}

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_ENTRIES = 20_000;
const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/** Why an entry may not be extracted, or null when it stays inside the target. */
export function unsafeEntryReason(path: string, type: string, linkpath: string | undefined): string | null {
  if (path.includes('\0')) return 'path contains a NUL byte';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\')) return 'absolute path escapes the target directory';
  if (path.split('/').includes('..')) return "path with '..' escapes the target directory";
  if (!ALLOWED_TYPES.has(type)) return `entry type ${type} is not allowed`;
  if (type === 'SymbolicLink' || type === 'Link') {
    const target = linkpath ?? '';
    // Hard link targets are archive paths; symlink targets are relative to the link's directory.
    const resolved = type === 'Link' ? posix.normalize(target) : posix.normalize(posix.join(posix.dirname(path), target));
    if (target.startsWith('/') || resolved === '..' || resolved.startsWith('../')) return `link to ${target} points outside the target directory`;
  }
  return null;
}

/** Extracts `source` (a local path or a stream of .tar.gz bytes) into the existing directory `dir`. */
export async function extractKitchenArchive(source: string | Readable, dir: string, limits: ArchiveLimits = {}): Promise<KitchenProblem[]> {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const problems: KitchenProblem[] = [];
  let bytes = 0;
  let entries = 0;
  let overLimit = false;

  // Extraction only ever hands ReadEntry objects to the filter (Stats is for creating archives).
  const filter = (path: string, entry: unknown): boolean => {
    const e = entry as ReadEntry;
    entries += 1;
    bytes += e.size ?? 0;
    if (!overLimit && (entries > maxEntries || bytes > maxBytes)) {
      overLimit = true;
      problems.push({ file: null, message: `archive is larger than the limit (${maxEntries} entries, ${maxBytes} bytes)` });
    }
    const reason = unsafeEntryReason(path, String(e.type), e.linkpath);
    if (reason) problems.push({ file: path, message: `refused: ${reason}` });
    return !reason && !overLimit;
  };
  const unpack = extract({
    cwd: dir,
    filter,
    preserveOwner: false,
    // node-tar's own safety checks stay on; anything they catch is reported too.
    onwarn: (code: string, message: string, data: Record<string, unknown>) => {
      if (code === 'TAR_ENTRY_INFO') return;
      problems.push({ file: typeof data.path === 'string' ? data.path : null, message: `${code}: ${message}` });
    },
  });
  try {
    await pipeline(typeof source === 'string' ? createReadStream(source) : source, unpack);
  } catch (err) {
    problems.push({ file: null, message: `not a readable .tar.gz archive: ${(err as Error).message}` });
  }
  return problems;
}
