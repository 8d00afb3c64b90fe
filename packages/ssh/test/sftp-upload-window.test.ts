import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { SshSftpError } from '../src/index.js';
import { SftpFiles } from '../src/ssh-sftp.js';

type Cb = (err?: Error | null, value?: unknown) => void;

/**
 * An SFTP server that answers each write after a delay, as over a network: it records how many writes
 * were waiting at once, and assembles what was written at each offset. Typed against ssh2's wrapper.
 */
function slowServer(options: { failAtWrite?: number } = {}) {
  /** Each file's pieces by offset. */
  const files = new Map<string, Map<number, Buffer>>();
  const contents = (path: string) => {
    const pieces = [...files.get(path)!].sort((a, b) => a[0] - b[0]);
    let end = 0;
    for (const [at, piece] of pieces) {
      if (at !== end) throw new Error(`a gap or an overlap at ${end}`);
      end += piece.length;
    }
    return Buffer.concat(pieces.map(([, piece]) => piece));
  };
  const state = { inFlight: 0, maxInFlight: 0, writes: 0, unlinked: [] as string[], renamed: [] as string[] };
  let opened = '';
  const fake: Pick<SFTPWrapper, 'open' | 'write' | 'fchmod' | 'close' | 'ext_openssh_rename' | 'unlink'> = {
    open: ((path: string, _flags: string, _attrs: unknown, cb: Cb) => {
      opened = path;
      files.set(path, new Map());
      cb(null, Buffer.from('handle'));
    }) as SFTPWrapper['open'],
    write: ((_handle: Buffer, buf: Buffer, off: number, len: number, position: number, cb: Cb) => {
      const n = ++state.writes;
      state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
      const data = Buffer.from(buf.subarray(off, off + len));
      setTimeout(() => {
        state.inFlight--;
        if (n === options.failAtWrite) return cb(new Error('Failure'));
        const file = files.get(opened);
        if (!file) throw new Error('a write after the file was removed');
        file.set(position, data);
        cb(null);
      }, 2);
    }) as SFTPWrapper['write'],
    fchmod: ((_h: Buffer, _m: number, cb: Cb) => cb(null)) as SFTPWrapper['fchmod'],
    close: ((_h: Buffer, cb: Cb) => cb(null)) as SFTPWrapper['close'],
    ext_openssh_rename: ((from: string, to: string, cb: Cb) => {
      files.set(to, files.get(from)!);
      files.delete(from);
      state.renamed.push(to);
      cb(null);
    }) as SFTPWrapper['ext_openssh_rename'],
    unlink: ((path: string, cb: Cb) => {
      files.delete(path);
      state.unlinked.push(path);
      cb(null);
    }) as SFTPWrapper['unlink'],
  };
  return { sftp: new SftpFiles(fake as SFTPWrapper, 'bench@127.0.0.1:22', () => true), files, contents, state };
}

describe('SFTP upload window', () => {
  it('keeps up to 32 writes waiting at once and assembles the file in order', async () => {
    const { sftp, contents, state } = slowServer();
    const data = randomBytes(5 * 1024 * 1024 + 123); // 81 pieces of 64 KiB, the last one short
    await sftp.upload(data, '/srv/kitchen.tgz');
    expect(contents('/srv/kitchen.tgz').equals(data)).toBe(true);
    expect(state.writes).toBe(81);
    expect(state.maxInFlight).toBe(32);
  });

  it('splits a stream of odd-sized chunks into pieces at the right offsets', async () => {
    const { sftp, contents, state } = slowServer();
    const chunks = [randomBytes(100_000), randomBytes(10), randomBytes(200_000)];
    await sftp.upload(Readable.from(chunks), '/srv/streamed');
    expect(contents('/srv/streamed').equals(Buffer.concat(chunks))).toBe(true);
    expect(state.writes).toBe(2 + 1 + 4);
  });

  it('fails on a refused write once, removes the temp file and leaves no rejection unhandled', async () => {
    const { sftp, files, state } = slowServer({ failAtWrite: 5 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(sftp.upload(randomBytes(4 * 1024 * 1024), '/srv/never')).rejects.toThrow(SshSftpError);
      await new Promise((resolve) => setTimeout(resolve, 50)); // any write still waiting would land here
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(state.renamed).toEqual([]);
    expect(state.unlinked).toHaveLength(1);
    expect(state.inFlight).toBe(0); // every write was answered before the temp file was removed
    expect(files.size).toBe(0);
  });

  it('waits for the writes sent when the source fails, then removes the temp file', async () => {
    const { sftp, files, state } = slowServer();
    async function* breaking() {
      yield randomBytes(1024 * 1024);
      throw new Error('source broke');
    }
    await expect(sftp.upload(Readable.from(breaking()), '/srv/never')).rejects.toThrow('source broke');
    expect(state.inFlight).toBe(0);
    expect(state.unlinked).toHaveLength(1);
    expect(files.size).toBe(0);
  });
});
