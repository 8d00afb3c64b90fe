/**
 * Kitchen releases for `converge` runs, content-addressed: downloaded once by SHA-256 with a signed
 * request, checked (hash and size) while streaming to disk, unpacked with @overmind/chef-solo's safe
 * extractor, and renamed into `kitchens/<sha256>/` only when whole. The newest few are kept.
 */
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AGENT_KITCHEN_PATH, signedRequestHeaders, type KitchenRef } from '@overmind/agent-protocol';
import { DEFAULT_ARCHIVE_LIMITS, extractKitchenArchive } from '@overmind/chef-solo';
import { formatProblem } from '@overmind/cm';
import { describeFailure, sendRequest } from '../http/http-request.js';

export interface KitchenSource {
  baseUrl: string;
  ca?: Buffer;
  agentId: string;
  privateKey: KeyObject;
}

const SHA256 = /^[0-9a-f]{64}$/;

export class KitchenCache {
  constructor(
    private readonly dir: string,
    private readonly source: KitchenSource,
    /** Unpacked kitchens kept besides the one in use. */
    private readonly keep = 3,
  ) {}

  /** The unpacked kitchen's directory, downloading it first when it is not here yet. Converges call this one at a time. */
  async get(ref: KitchenRef, signal: AbortSignal, log: (line: string) => void): Promise<string> {
    const target = join(this.dir, ref.sha256);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    if (await isDir(target)) {
      const now = new Date();
      await utimes(target, now, now);
      log(`kitchen ${ref.sha256.slice(0, 12)} is cached`);
      return target;
    }
    await this.#removeLeftovers();
    const suffix = randomBytes(6).toString('hex');
    const archive = join(this.dir, `.download-${suffix}.tar.gz`);
    const unpacked = join(this.dir, `.extract-${suffix}`);
    try {
      await this.#download(ref, archive, signal);
      log(`downloaded kitchen ${ref.sha256.slice(0, 12)} (${ref.bytes} bytes, SHA-256 checked)`);
      await mkdir(unpacked, { mode: 0o700 });
      const problems = await extractKitchenArchive(archive, unpacked);
      if (problems.length > 0) throw new Error(`the kitchen archive was refused: ${problems.slice(0, 5).map(formatProblem).join('; ')}`);
      await rename(unpacked, target);
    } finally {
      await rm(archive, { force: true });
      await rm(unpacked, { recursive: true, force: true });
    }
    await this.#prune(ref.sha256);
    return target;
  }

  async #download(ref: KitchenRef, file: string, signal: AbortSignal): Promise<void> {
    if (ref.bytes > DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes) throw new Error(`the kitchen archive (${ref.bytes} bytes) is larger than the limit of ${DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes} bytes`);
    const path = `${AGENT_KITCHEN_PATH}/${ref.sha256}`;
    const signedPath = `${new URL(this.source.baseUrl).pathname.replace(/\/+$/, '')}${path}`;
    const res = await sendRequest(this.source.baseUrl, path, {
      method: 'GET',
      headers: { accept: 'application/gzip', ...signedRequestHeaders(this.source.privateKey, this.source.agentId, 'GET', signedPath) },
      ca: this.source.ca,
      signal,
    });
    if (res.statusCode !== 200) throw new Error(`kitchen download failed: ${await describeFailure(res)}`);
    const hash = createHash('sha256');
    let bytes = 0;
    const check = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > ref.bytes) return done(new Error(`the kitchen download is larger than the ${ref.bytes} bytes announced`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(res, check, createWriteStream(file, { flags: 'wx', mode: 0o600 }), { signal });
    const sha256 = hash.digest('hex');
    if (bytes !== ref.bytes) throw new Error(`the kitchen download has ${bytes} bytes, ${ref.bytes} were announced`);
    if (sha256 !== ref.sha256) throw new Error(`the kitchen download's SHA-256 is ${sha256}, expected ${ref.sha256}`);
  }

  /** Half-done downloads or extractions of an earlier life (converges never overlap). */
  async #removeLeftovers(): Promise<void> {
    for (const name of await readdir(this.dir)) {
      if (name.startsWith('.download-') || name.startsWith('.extract-')) await rm(join(this.dir, name), { recursive: true, force: true });
    }
  }

  async #prune(current: string): Promise<void> {
    const kitchens: { name: string; mtimeMs: number }[] = [];
    for (const name of await readdir(this.dir)) {
      if (!SHA256.test(name) || name === current) continue;
      const info = await stat(join(this.dir, name)).catch(() => null);
      if (info?.isDirectory()) kitchens.push({ name, mtimeMs: info.mtimeMs });
    }
    kitchens.sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const old of kitchens.slice(this.keep)) await rm(join(this.dir, old.name), { recursive: true, force: true });
  }
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}
