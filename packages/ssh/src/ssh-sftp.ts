/** File operations over one SFTP channel: atomic writes with an exact mode, mkdir -p, rm -r, reads. */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Stats } from 'ssh2';
import type { SFTPWrapper } from 'ssh2';
import { SshConnectionLostError, SshSftpError } from './ssh-errors.js';

export type UploadSource = string | Buffer | Readable;

export interface WriteOptions {
  /** Exact permission bits, applied after the write so the server's umask does not change them. Default 0o600. */
  mode?: number;
}

export interface RemoteStat {
  size: number;
  /** Permission bits only, e.g. 0o600. */
  mode: number;
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink: boolean;
  mtime: Date;
}

const NO_SUCH_FILE = 2;
const DEFAULT_FILE_MODE = 0o600;
const DEFAULT_DIR_MODE = 0o755;
const DEFAULT_MAX_READ_BYTES = 64 * 1024 * 1024;
/** An upload's pieces, each one SFTP write request, and how many are sent before the first is answered. */
const WRITE_PIECE_BYTES = 64 * 1024;
const WRITES_IN_FLIGHT = 32;

type SftpCallbackError = Error & { code?: number | string };

export class SftpFiles {
  constructor(
    private readonly sftp: SFTPWrapper,
    private readonly endpoint: string,
    private readonly isConnected: () => boolean,
  ) {}

  /** Writes a file atomically (temp file, then rename over the target). */
  writeFile(remotePath: string, data: string | Buffer, options: WriteOptions = {}): Promise<void> {
    return this.upload(Buffer.from(data), remotePath, options);
  }

  /** Uploads a local file (a string is a local path), a Buffer or a stream, atomically, with `mode`. */
  async upload(source: UploadSource, remotePath: string, options: WriteOptions = {}): Promise<void> {
    const mode = options.mode ?? DEFAULT_FILE_MODE;
    const input = typeof source === 'string' ? createReadStream(source) : Buffer.isBuffer(source) ? Readable.from([source]) : source;
    const temp = `${remotePath}.overmind-${randomBytes(6).toString('hex')}.tmp`;
    let handle: Buffer | undefined;
    try {
      handle = await this.call<Buffer>('upload', remotePath, (cb) => this.sftp.open(temp, 'w', { mode }, cb));
      await this.writeAll(handle, input, remotePath);
      await this.call('chmod', remotePath, (cb) => this.sftp.fchmod(handle!, mode, cb));
      const closing = handle;
      handle = undefined;
      await this.call('upload', remotePath, (cb) => this.sftp.close(closing, cb));
      await this.call('rename', remotePath, (cb) => this.sftp.ext_openssh_rename(temp, remotePath, cb));
    } catch (err) {
      if (typeof source === 'string') (input as ReturnType<typeof createReadStream>).destroy();
      if (this.isConnected()) {
        if (handle) await this.quiet((cb) => this.sftp.close(handle!, cb));
        await this.quiet((cb) => this.sftp.unlink(temp, cb));
      }
      throw err;
    }
  }

  /**
   * Writes the input at increasing offsets, up to WRITES_IN_FLIGHT requests at once: one write at a
   * time would wait a round trip per piece (64 KiB per 50 ms is 1.3 MB/s), where the window keeps a
   * link busy as OpenSSH's `sftp` does with its 64 requests.
   */
  private async writeAll(handle: Buffer, input: AsyncIterable<Buffer | string>, remotePath: string): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    const drainTo = async (size: number) => {
      while (inFlight.size > size && !failure) await Promise.race(inFlight);
      if (!failure) return;
      await Promise.all(inFlight); // no write lands after the caller removes the temp file
      throw failure;
    };
    let position = 0;
    try {
      for await (const chunk of input) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        for (let offset = 0; offset < buf.length; offset += WRITE_PIECE_BYTES) {
          const piece = buf.subarray(offset, offset + WRITE_PIECE_BYTES);
          const at = position;
          position += piece.length;
          const write: Promise<void> = this.call('upload', remotePath, (cb) => this.sftp.write(handle, piece, 0, piece.length, at, cb)).then(
            () => void inFlight.delete(write),
            (err: unknown) => {
              failure ??= err;
              inFlight.delete(write);
            },
          );
          inFlight.add(write);
          await drainTo(WRITES_IN_FLIGHT - 1);
        }
      }
    } catch (err) {
      await Promise.all(inFlight); // the source failed: the same, before the caller cleans up
      throw err;
    }
    await drainTo(0);
  }

  async readFile(remotePath: string, options: { maxBytes?: number } = {}): Promise<Buffer> {
    const max = options.maxBytes ?? DEFAULT_MAX_READ_BYTES;
    const st = await this.stat(remotePath);
    if (!st) throw new SshSftpError(this.endpoint, 'read', remotePath, { reason: 'no such file' });
    if (st.size > max) throw new SshSftpError(this.endpoint, 'read', remotePath, { reason: `file is larger than ${max} bytes` });
    return this.call<Buffer>('read', remotePath, (cb) => this.sftp.readFile(remotePath, cb));
  }

  /** Stat without following a final symlink; null when the path does not exist. */
  async stat(remotePath: string): Promise<RemoteStat | null> {
    try {
      const st = await this.call<Stats>('stat', remotePath, (cb) => this.sftp.lstat(remotePath, cb));
      return {
        size: st.size,
        mode: st.mode & 0o7777,
        isFile: st.isFile(),
        isDirectory: st.isDirectory(),
        isSymbolicLink: st.isSymbolicLink(),
        mtime: new Date(st.mtime * 1000),
      };
    } catch (err) {
      if (err instanceof SshSftpError && (err.cause as SftpCallbackError | undefined)?.code === NO_SUCH_FILE) return null;
      throw err;
    }
  }

  /** Creates a directory and its missing parents (mode applies to the ones created). */
  async mkdirp(remotePath: string, options: WriteOptions = {}): Promise<void> {
    const mode = options.mode ?? DEFAULT_DIR_MODE;
    const absolute = remotePath.startsWith('/');
    const parts = remotePath.split('/').filter((p) => p.length > 0);
    for (let i = 1; i <= parts.length; i++) {
      const dir = (absolute ? '/' : '') + parts.slice(0, i).join('/');
      const st = await this.stat(dir);
      if (st?.isDirectory) continue;
      if (st) throw new SshSftpError(this.endpoint, 'mkdir', dir, { reason: 'exists and is not a directory' });
      try {
        await this.call('mkdir', dir, (cb) => this.sftp.mkdir(dir, { mode }, cb));
      } catch (err) {
        // Another writer may have created it meanwhile.
        if (!(await this.stat(dir))?.isDirectory) throw err;
      }
    }
  }

  /** Removes a file, symlink or whole tree. Returns false when nothing was there. */
  async remove(remotePath: string): Promise<boolean> {
    if (/^\/*$/.test(remotePath) || remotePath === '.') {
      throw new SshSftpError(this.endpoint, 'remove', remotePath, { reason: 'refusing to remove a root directory' });
    }
    const st = await this.stat(remotePath);
    if (!st) return false;
    if (!st.isDirectory) {
      await this.call('remove', remotePath, (cb) => this.sftp.unlink(remotePath, cb));
      return true;
    }
    const entries = await this.call<{ filename: string }[]>('list', remotePath, (cb) => this.sftp.readdir(remotePath, cb));
    for (const entry of entries) {
      if (entry.filename !== '.' && entry.filename !== '..') await this.remove(`${remotePath}/${entry.filename}`);
    }
    await this.call('remove', remotePath, (cb) => this.sftp.rmdir(remotePath, cb));
    return true;
  }

  close(): void {
    this.sftp.end();
  }

  /** Promisifies one SFTP call and turns its failure into a typed error. */
  private call<T = void>(operation: string, remotePath: string, run: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const done = (err: Error | null | undefined, value?: T) => {
        if (!err) return resolve(value as T);
        const e = err as SftpCallbackError;
        if (typeof e.code === 'string') return reject(err); // local I/O error (e.g. the source file)
        if (!this.isConnected()) return reject(new SshConnectionLostError(this.endpoint, `SFTP ${operation}`, { cause: err }));
        reject(new SshSftpError(this.endpoint, operation, remotePath, { reason: err.message, cause: err }));
      };
      try {
        run(done);
      } catch (err) {
        done(err as Error);
      }
    });
  }

  private quiet(run: (cb: (err?: Error | null) => void) => void): Promise<void> {
    return new Promise((resolve) => {
      try {
        run(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}
