/**
 * Transport: one SSH session per driver operation, host key pinning with trust on first use, and
 * virsh command lines built only from shell-quoted arguments.
 */
import type { HostKeyEvent, OperationContext } from '@overmind/provider';
import { shellQuote, withSession, type ExecResult, type SshSession, type SshTarget } from '@overmind/ssh';
import type { LibvirtCredentials, ResolvedSettings } from './libvirt-settings.js';
import { translateVirshError } from './virsh-errors.js';

export interface RunOptions {
  /** Fed to the command's stdin (domain XML); never part of the command line. */
  stdin?: string;
  timeoutMs?: number;
  /** Ignore the operation's abort signal (rollback and cleanup steps must finish). */
  uninterruptible?: boolean;
}

/** virsh on one open session. Arguments are quoted here; callers never splice strings into shell. */
export class VirshShell {
  constructor(
    private readonly session: SshSession,
    private readonly settings: ResolvedSettings,
    private readonly ctx: OperationContext | undefined,
  ) {}

  /** The quoted `virsh -c URI args...` line, for use inside scripts. */
  line(args: readonly string[]): string {
    return ['virsh', '-c', this.settings.uri, ...args].map(shellQuote).join(' ');
  }

  /** Runs virsh; returns stdout or throws the translated libvirt error. */
  async run(args: readonly string[], options: RunOptions = {}): Promise<string> {
    const result = await this.exec(this.line(args), options);
    if (result.exitCode !== 0) throw this.error(`virsh ${args[0]}`, result);
    return result.stdout;
  }

  /** Runs virsh and hands back the raw result, for callers that accept some failures. */
  attempt(args: readonly string[], options: RunOptions = {}): Promise<ExecResult> {
    return this.exec(this.line(args), options);
  }

  /** Runs a POSIX sh script assembled from `line()` and quoted values; throws on a non-zero exit. */
  async script(what: string, body: string, options: RunOptions = {}): Promise<string> {
    const result = await this.exec(body, options);
    if (result.exitCode !== 0) throw this.error(what, result);
    return result.stdout;
  }

  error(what: string, result: Pick<ExecResult, 'exitCode' | 'stderr'>) {
    return translateVirshError({ what, endpoint: this.session.endpoint, exitCode: result.exitCode, stderr: result.stderr });
  }

  private exec(command: string, options: RunOptions): Promise<ExecResult> {
    return this.session.exec(command, {
      // English messages and states, whatever the host's locale.
      env: { LC_ALL: 'C' },
      stdin: options.stdin,
      timeoutMs: options.timeoutMs ?? this.settings.commandTimeoutSeconds * 1000,
      signal: options.uninterruptible ? undefined : this.ctx?.signal,
    });
  }
}

/** The hypervisor host: builds SSH targets, pins its key, and opens sessions for operations. */
export class LibvirtHost {
  #pinned: string | undefined;

  constructor(
    private readonly credentials: LibvirtCredentials,
    private readonly settings: ResolvedSettings,
    private readonly onHostKey?: (event: HostKeyEvent) => void | Promise<void>,
  ) {
    this.#pinned = settings.hostKeyFingerprint;
  }

  /** The pinned fingerprint: from the settings, or the one seen on first use. */
  get hostKeyFingerprint(): string | undefined {
    return this.#pinned;
  }

  target(): SshTarget {
    const { username, privateKey, passphrase, password } = this.credentials;
    const auth: SshTarget['auth'] = privateKey
      ? { type: 'key', privateKey, ...(passphrase ? { passphrase } : {}) }
      : { type: 'password', password: password ?? '' };
    return {
      host: this.settings.host,
      port: this.settings.port,
      username,
      auth,
      hostKeyFingerprint: this.#pinned ?? null,
    };
  }

  async session<T>(ctx: OperationContext | undefined, fn: (virsh: VirshShell) => Promise<T>): Promise<T> {
    ctx?.signal?.throwIfAborted();
    return withSession(this.target(), async (session) => {
      const info = session.hostKey;
      if (info && !info.hostKeyPinned) await this.#pin(info.hostKeyFingerprint, ctx);
      return fn(new VirshShell(session, this.settings, ctx));
    });
  }

  async #pin(fingerprint: string, ctx: OperationContext | undefined): Promise<void> {
    // Pin in memory first: later sessions of this driver refuse another key even if storing fails.
    this.#pinned = fingerprint;
    ctx?.log?.(`pinned SSH host key ${fingerprint} of ${this.settings.host} on first use`);
    await this.onHostKey?.({ host: this.settings.host, port: this.settings.port, hostKeyFingerprint: fingerprint });
  }
}
