/** Builds .tar.gz archives for upload tests, including hostile entries node-tar would never write. */
import { gzipSync } from 'node:zlib';
import { c as createTar, Header, Pax } from 'tar';

export interface RawEntry {
  path: string;
  body?: string | Buffer;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'FIFO';
  linkpath?: string;
}

/** A gzipped tar written header by header, so entries keep paths like `../x` or `/etc/x`. */
export function rawTarGz(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const type = entry.type ?? 'File';
    const data = type === 'File' ? Buffer.from(entry.body ?? '') : Buffer.alloc(0);
    const header = new Header({
      path: entry.path,
      mode: type === 'Directory' ? 0o755 : 0o644,
      size: data.length,
      mtime: new Date(),
      type,
      linkpath: entry.linkpath ?? '',
      uid: 0,
      gid: 0,
    });
    // Paths or link targets past the 100 bytes of a tar header go in a pax header before it.
    if (Buffer.byteLength(entry.path) > 99 || Buffer.byteLength(entry.linkpath ?? '') > 99) {
      blocks.push(new Pax({ path: entry.path, linkpath: entry.linkpath }).encode());
    }
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** An ordinary .tar.gz of `paths` under `cwd`. */
export async function tarGzOf(cwd: string, paths: string[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createTar({ gzip: true, cwd, portable: true }, paths)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A .tar.gz that inflates to `mebibytes` MiB of zeros (a "gzip bomb", about 1000:1): one member of
 * 1 MiB of zeros repeated, which is one valid gzip stream (RFC 1952 allows members back to back).
 */
export function gzipBomb(mebibytes: number, after: Buffer = Buffer.alloc(0)): Buffer {
  const member = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
  return Buffer.concat([after, ...Array.from({ length: mebibytes }, () => member)]);
}

/**
 * Entries for `roles/leak.json`, a link whose text stays inside the kitchen but which resolves to the
 * absolute path `target` through `roles/a -> .`: `a/a/…/../../…` is `roles` again for a text check,
 * while on disk every `a` is `roles` and every `..` climbs one more level, up to `/`.
 */
export function linkChainEntries(target: string, depth = 12): RawEntry[] {
  return [
    { path: 'roles/', type: 'Directory' },
    { path: 'roles/a', type: 'SymbolicLink', linkpath: '.' },
    { path: 'roles/leak.json', type: 'SymbolicLink', linkpath: `${'a/'.repeat(depth)}${'../'.repeat(depth)}${target.replace(/^\/+/, '')}` },
  ];
}
