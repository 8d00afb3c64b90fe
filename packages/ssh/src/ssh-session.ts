/** One SSH connection reused for the several steps of a job: commands, sudo, files. */
import type { Client } from 'ssh2';
import { openConnection, type HostKeyInfo } from './ssh-connect.js';
import { SshCommandFailedError, SshConnectionLostError, SshSftpError } from './ssh-errors.js';
import { runExec, type ExecContext, type ExecOptions, type ExecResult } from './ssh-exec.js';
import { SftpFiles, type RemoteStat, type UploadSource, type WriteOptions } from './ssh-sftp.js';
import { describeTarget, type SshTarget } from './ssh-target.js';

export class SshSession {
  readonly endpoint: string;
  private client: Client | undefined;
  private connected = false;
  private files: Promise<SftpFiles> | undefined;
  private info: HostKeyInfo | undefined;

  constructor(readonly target: SshTarget) {
    this.endpoint = describeTarget(target);
  }

  /** The host key seen on connect; `hostKeyPinned: false` means trust on first use, store the fingerprint. */
  get hostKey(): HostKeyInfo | undefined {
    return this.info;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async connect(): Promise<HostKeyInfo> {
    if (this.client) throw new Error(`SSH session to ${this.endpoint} is already connected`);
    const { client, ...info } = await openConnection(this.target);
    this.client = client;
    this.connected = true;
    this.info = info;
    // ssh2 emits 'error' (e.g. keepalive timeout) before 'close'; in-flight work learns of it through
    // its own channel closing, so the listener only has to exist.
    client.on('error', () => {});
    client.once('close', () => {
      this.connected = false;
    });
    return info;
  }

  /** Runs a command; resolves with its exit code whatever it is. */
  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return runExec(this.requireClient('a command'), this.execContext(), command, options);
  }

  /** Runs a command and throws SshCommandFailedError unless it exits 0. */
  async run(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const result = await this.exec(command, options);
    if (result.exitCode !== 0) throw new SshCommandFailedError(this.endpoint, command, result);
    return result;
  }

  /** Runs a command as root (through sudo unless the user is root); the password goes on stdin. */
  sudo(command: string, options: Omit<ExecOptions, 'sudo'> = {}): Promise<ExecResult> {
    return this.exec(command, { ...options, sudo: true });
  }

  async writeFile(remotePath: string, data: string | Buffer, options?: WriteOptions): Promise<void> {
    return (await this.sftp()).writeFile(remotePath, data, options);
  }

  async upload(source: UploadSource, remotePath: string, options?: WriteOptions): Promise<void> {
    return (await this.sftp()).upload(source, remotePath, options);
  }

  async readFile(remotePath: string, options?: { maxBytes?: number }): Promise<Buffer> {
    return (await this.sftp()).readFile(remotePath, options);
  }

  async stat(remotePath: string): Promise<RemoteStat | null> {
    return (await this.sftp()).stat(remotePath);
  }

  async mkdirp(remotePath: string, options?: WriteOptions): Promise<void> {
    return (await this.sftp()).mkdirp(remotePath, options);
  }

  async remove(remotePath: string): Promise<boolean> {
    return (await this.sftp()).remove(remotePath);
  }

  /** Closes the SFTP channel and the connection; safe to call more than once. */
  async close(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    const files = this.files;
    this.files = undefined;
    if (files) await files.then((f) => f.close(), () => undefined);
    if (!this.connected) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        client.destroy();
        resolve();
      }, 2000);
      client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      client.end();
    });
  }

  private sftp(): Promise<SftpFiles> {
    if (!this.files) {
      const client = this.requireClient('SFTP');
      this.files = new Promise<SftpFiles>((resolve, reject) => {
        client.sftp((err, sftp) => {
          if (err) {
            this.files = undefined;
            return reject(
              this.connected
                ? new SshSftpError(this.endpoint, 'open', 'subsystem', { reason: err.message, cause: err })
                : new SshConnectionLostError(this.endpoint, 'SFTP', { cause: err }),
            );
          }
          sftp.on('error', () => {});
          resolve(new SftpFiles(sftp, this.endpoint, () => this.connected));
        });
      });
    }
    return this.files;
  }

  private requireClient(what: string): Client {
    if (!this.client) throw new Error(`SSH session to ${this.endpoint} is not connected; call connect() first`);
    if (!this.connected) throw new SshConnectionLostError(this.endpoint, what);
    return this.client;
  }

  private execContext(): ExecContext {
    const auth = this.target.auth;
    return {
      endpoint: this.endpoint,
      username: this.target.username,
      sudoPassword: this.target.sudoPassword ?? (auth.type === 'password' ? auth.password : undefined),
      isConnected: () => this.connected,
    };
  }
}

/** Connects, runs `fn`, and always closes, whatever `fn` does. */
export async function withSession<T>(target: SshTarget, fn: (session: SshSession) => Promise<T>): Promise<T> {
  const session = new SshSession(target);
  try {
    await session.connect();
    return await fn(session);
  } finally {
    await session.close();
  }
}
