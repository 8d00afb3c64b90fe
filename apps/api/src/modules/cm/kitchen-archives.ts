/**
 * The current kitchen as a content-addressed .tar.gz, for agents that converge on their own node:
 * packed once per kitchen release into `<kitchenDir>/archives/<sha256>.tar.gz` and served by hash,
 * so a node that has it cached never downloads it again.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { findKitchenEscapes, kitchenArchivePaths, loadKitchen, packKitchen } from '@overmind/chef-solo';
import { ConfigurationInvalidError } from '@overmind/cm';
import type { KitchenRef } from '@overmind/agent-protocol';
import { UnprocessableError } from '../../lib/errors.js';

const SHA256 = /^[0-9a-f]{64}$/;

export function createKitchenArchives(kitchenDir: string) {
  const dir = join(kitchenDir, 'archives');
  const current = join(kitchenDir, 'current');
  const packed = new Map<string, Promise<KitchenRef>>();

  async function pack(release: string): Promise<KitchenRef> {
    await mkdir(dir, { recursive: true });
    const kitchen = await loadKitchen(release);
    // As before every push: nothing outside the kitchen may reach a node.
    const escapes = await findKitchenEscapes(kitchen.dir);
    if (escapes.length > 0) throw new ConfigurationInvalidError(escapes, 'Kitchen has links leading out of it');
    const paths = await kitchenArchivePaths(kitchen, [...kitchen.cookbooks.keys()]);
    const temp = join(dir, `.${basename(release)}-${process.pid}.tmp`);
    const hash = createHash('sha256');
    let bytes = 0;
    const counter = new Transform({ transform: (chunk: Buffer, _e, done) => (hash.update(chunk), (bytes += chunk.length), done(null, chunk)) });
    try {
      await pipeline(packKitchen(kitchen, paths), counter, createWriteStream(temp, { mode: 0o600 }));
      const sha256 = hash.digest('hex');
      await rename(temp, join(dir, `${sha256}.tar.gz`));
      return { sha256, bytes };
    } finally {
      await rm(temp, { force: true });
    }
  }

  return {
    /** The current kitchen's archive; 422 before the first upload. */
    async current(): Promise<KitchenRef> {
      const release = await realpath(current).catch(() => null);
      if (!release) throw new UnprocessableError('No kitchen has been uploaded yet: PUT /api/v1/kitchen first');
      let ref = packed.get(release);
      if (!ref) {
        ref = pack(release);
        packed.set(release, ref);
        ref.catch(() => packed.delete(release));
      }
      return ref;
    },

    /** The file of an archive by its hash, or null. */
    async path(sha256: string): Promise<string | null> {
      if (!SHA256.test(sha256)) return null;
      const path = join(dir, `${sha256}.tar.gz`);
      return (await stat(path).catch(() => null))?.isFile() ? path : null;
    },

    /** Keeps the newest `keep` archives (nodes may still be fetching an older one). */
    async prune(keep = 5): Promise<void> {
      const names = await readdir(dir).catch(() => [] as string[]);
      const files = await Promise.all(names.filter((n) => n.endsWith('.tar.gz')).map(async (n) => ({ n, t: (await stat(join(dir, n))).mtimeMs })));
      files.sort((a, b) => b.t - a.t);
      await Promise.all(files.slice(keep).map((f) => rm(join(dir, f.n), { force: true })));
    },
  };
}

export type KitchenArchives = ReturnType<typeof createKitchenArchives>;
