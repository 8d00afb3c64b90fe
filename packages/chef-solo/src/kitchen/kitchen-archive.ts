/**
 * Unpacks an uploaded kitchen (.tar.gz) with node-tar, refusing entries that would land outside the
 * target directory (absolute paths, `..`, links pointing out, devices) and stopping at the first
 * limit passed. Every refused entry is reported; the caller discards the directory when there are any.
 * Links that only escape through other links are found afterwards, on disk (kitchen-escapes.ts).
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Unpack, type ReadEntry } from 'tar';
import type { KitchenProblem } from './kitchen-types.js';
import { safeMessage } from './safe-message.js';

export interface ArchiveLimits {
  /** Bytes of the .tar.gz itself. */
  maxArchiveBytes?: number;
  /** Bytes of the tar stream once decompressed: contents, headers and padding. */
  maxUnpackedBytes?: number;
  /** Number of entries. */
  maxEntries?: number;
}

/** Far above any real kitchen (cookbooks are text), far below what would strain the server. */
export const DEFAULT_ARCHIVE_LIMITS: Required<ArchiveLimits> = {
  maxArchiveBytes: 16 * 1024 * 1024,
  maxUnpackedBytes: 128 * 1024 * 1024,
  maxEntries: 10_000,
};

/** Longest entry path, and longest name in it (what Linux file systems take). */
const MAX_PATH_LENGTH = 1024;
const MAX_NAME_BYTES = 255;

/** Refused entries reported before extraction stops: enough to fix an archive, never a flood (random bytes give one per block). */
const MAX_PROBLEMS = 50;

const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/** An archive past one of the limits; extraction stopped there. */
export class ArchiveTooLargeError extends Error {
  constructor(
    readonly limit: keyof ArchiveLimits,
    readonly max: number,
  ) {
    const what = { maxArchiveBytes: `${max} bytes compressed`, maxUnpackedBytes: `${max} bytes unpacked`, maxEntries: `${max} entries` }[limit];
    super(`The kitchen archive is larger than the limit of ${what}`);
    this.name = 'ArchiveTooLargeError';
  }
}

function tooLong(path: string): boolean {
  return path.length > MAX_PATH_LENGTH || path.split('/').some((name) => Buffer.byteLength(name) > MAX_NAME_BYTES);
}

/** Why an entry may not be extracted, or null when it stays inside the target. */
export function unsafeEntryReason(path: string, type: string, linkpath: string | undefined): string | null {
  if (path.includes('\0')) return 'path contains a NUL byte';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\')) return 'absolute path escapes the target directory';
  if (path.split('/').includes('..')) return "path with '..' escapes the target directory";
  if (tooLong(path)) return `path is longer than ${MAX_PATH_LENGTH} characters or has a name longer than ${MAX_NAME_BYTES} bytes`;
  if (!ALLOWED_TYPES.has(type)) return `entry type ${type} is not allowed`;
  if (type === 'SymbolicLink' || type === 'Link') {
    const target = linkpath ?? '';
    if (target === '' || target.includes('\0') || tooLong(target)) return 'link target is empty, too long or contains a NUL byte';
    // Hard link targets are archive paths, taken as is; symlink targets are relative to the link's directory.
    const escapes =
      type === 'Link'
        ? target.split('/').includes('..')
        : ['..', '../'].some((p) => posix.normalize(posix.join(posix.dirname(path), target)).startsWith(p));
    if (target.startsWith('/') || target.includes('\\') || escapes) return `link to ${target} points outside the target directory`;
  }
  return null;
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/**
 * Extracts `source` (a local path or a stream of .tar.gz bytes) into the existing directory `dir`.
 * Decompression streams through a counter, so a small archive inflating to gigabytes costs no more
 * than the limit. Throws ArchiveTooLargeError past a limit; returns the refused entries otherwise.
 */
export async function extractKitchenArchive(source: string | Readable, dir: string, limits: ArchiveLimits = {}): Promise<KitchenProblem[]> {
  const { maxArchiveBytes, maxUnpackedBytes, maxEntries } = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  const problems: KitchenProblem[] = [];
  const refuse = (problem: KitchenProblem) => void (problems.length < MAX_PROBLEMS && problems.push(problem));
  const tooManyProblems = new Error(`extraction stopped after the first ${MAX_PROBLEMS} problems`);
  let entries = 0;
  let overLimit: ArchiveTooLargeError | null = null;
  let archiveEnded = false;

  // Extraction only ever hands ReadEntry objects to the filter (Stats is for creating archives).
  const filter = (path: string, entry: unknown): boolean => {
    const e = entry as ReadEntry;
    if (++entries > maxEntries) overLimit ??= new ArchiveTooLargeError('maxEntries', maxEntries);
    const reason = unsafeEntryReason(path, String(e.type), e.linkpath);
    if (reason) refuse({ file: path, message: `refused: ${reason}` });
    return !reason && !overLimit;
  };
  const unpack = new Unpack({
    cwd: dir,
    filter,
    preserveOwner: false,
    // The input is already decompressed here; node-tar must not decompress again what it sniffs as zstd or brotli.
    zstd: false,
    brotli: false,
    // node-tar's own safety checks stay on; anything they catch is reported too.
    onwarn: (code: string, message: string, data: Record<string, unknown>) => {
      if (code === 'TAR_ENTRY_INFO') return;
      const entry = data.entry as ReadEntry | undefined;
      refuse({ file: entry?.path ?? null, message: `${code}: ${safeMessage(message, [unpack.cwd, dir])}` });
    },
  });
  let unpackError: Error | null = null;
  const unpacked = new Promise<void>((resolve) => {
    unpack.on('error', (err: Error) => void (unpackError ??= err));
    unpack.on('end', () => resolve());
  });
  // After the end-of-archive blocks node-tar keeps whatever follows in memory; nothing after them is read.
  unpack.on('eof', () => void (archiveEnded = true));

  async function* countArchive(chunks: AsyncIterable<Buffer>) {
    let bytes = 0;
    for await (const chunk of chunks) {
      bytes += chunk.length;
      if (bytes > maxArchiveBytes) throw new ArchiveTooLargeError('maxArchiveBytes', maxArchiveBytes);
      yield chunk;
    }
  }
  async function feedUnpack(chunks: AsyncIterable<Buffer>) {
    let bytes = 0;
    // The first bytes wait until there are two: node-tar would unzip a gzip stream found inside on its own, past these counters.
    let first: Buffer | null = Buffer.alloc(0);
    for await (const chunk of chunks) {
      bytes += chunk.length;
      if (bytes > maxUnpackedBytes) throw new ArchiveTooLargeError('maxUnpackedBytes', maxUnpackedBytes);
      if (overLimit) throw overLimit;
      if (problems.length >= MAX_PROBLEMS) throw tooManyProblems;
      if (archiveEnded) continue;
      let data = chunk;
      if (first) {
        data = Buffer.concat([first, chunk]);
        if (data.length < GZIP_MAGIC.length) {
          first = data;
          continue;
        }
        if (data.subarray(0, GZIP_MAGIC.length).equals(GZIP_MAGIC)) throw new Error('it holds another gzip stream instead of a tar archive');
        first = null;
      }
      if (!unpack.write(data)) await once(unpack, 'drain');
    }
    if (first?.length) unpack.write(first);
  }

  let failure: unknown = null;
  try {
    await pipeline(typeof source === 'string' ? createReadStream(source) : source, countArchive, createGunzip({ chunkSize: 64 * 1024 }), feedUnpack);
  } catch (err) {
    failure = err;
  }
  // Let node-tar finish the entries it is writing, so the caller can remove the directory after.
  unpack.end();
  await unpacked;
  if (failure instanceof ArchiveTooLargeError) throw failure;
  if (overLimit) throw overLimit;
  const broken = failure ?? unpackError;
  if (broken === tooManyProblems) problems.push({ file: null, message: tooManyProblems.message });
  else if (broken) problems.push({ file: null, message: `not a readable .tar.gz archive: ${safeMessage(broken, [unpack.cwd, dir])}` });
  return problems;
}
