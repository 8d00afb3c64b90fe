/** Builds .tar.gz archives for upload tests, including hostile entries node-tar would never write. */
import { gzipSync } from 'node:zlib';
import { c as createTar, Header } from 'tar';

export interface RawEntry {
  path: string;
  body?: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'FIFO';
  linkpath?: string;
}

/** A gzipped tar written header by header, so entries keep paths like `../x` or `/etc/x`. */
export function rawTarGz(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const type = entry.type ?? 'File';
    const data = Buffer.from(type === 'File' ? (entry.body ?? '') : '');
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
