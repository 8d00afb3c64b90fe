/**
 * Typed SSH errors. They extend the provider error vocabulary so a driver can let them propagate and
 * the API still maps them (credentials refused -> invalid_credentials, network trouble -> transient).
 * Messages name the endpoint (user@host:port) but never a password, key or passphrase.
 */
import { InvalidCredentialsError, ProviderError, TransientError } from '@overmind/provider';

interface CauseOption {
  cause?: unknown;
}

/** Long scripts would drown the message; the head is enough to tell which step failed. */
function shorten(command: string, max = 160): string {
  const oneLine = command.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}...` : oneLine;
}

/** The host could not be reached: refused, unreachable, DNS failure, handshake timeout or failure. */
export class SshConnectError extends TransientError {
  constructor(
    readonly endpoint: string,
    reason: string,
    options: CauseOption = {},
  ) {
    super(`SSH connection to ${endpoint} failed: ${reason}`, options);
  }
}

/** The server refused the credentials (or a private key could not be read with its passphrase). */
export class SshAuthError extends InvalidCredentialsError {
  constructor(
    readonly endpoint: string,
    reason: string,
    options: CauseOption = {},
  ) {
    super(`SSH authentication to ${endpoint} failed: ${reason}`, options);
  }
}

/** The server presented a host key other than the pinned one; refused before authenticating. */
export class HostKeyMismatchError extends ProviderError {
  constructor(
    readonly endpoint: string,
    readonly expectedFingerprint: string,
    readonly actualFingerprint: string,
  ) {
    super(
      `SSH host key for ${endpoint} does not match the pinned key: expected ${expectedFingerprint}, ` +
        `got ${actualFingerprint}. The server may have been reinstalled or the connection intercepted; ` +
        `nothing was sent. Update the pinned fingerprint only if the change is expected.`,
    );
  }
}

/** A remote command ran longer than its timeout; its channel was closed to stop it. */
export class SshCommandTimeoutError extends TransientError {
  constructor(
    readonly endpoint: string,
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`SSH command on ${endpoint} timed out after ${timeoutMs} ms: ${shorten(command)}`);
  }
}

/** `run()` saw a non-zero exit. Carries the result; the message quotes the tail of stderr. */
export class SshCommandFailedError extends ProviderError {
  readonly exitCode: number | null;
  readonly exitSignal: string | null;
  readonly stdout: string;
  readonly stderr: string;

  constructor(
    readonly endpoint: string,
    readonly command: string,
    result: { exitCode: number | null; signal: string | null; stdout: string; stderr: string },
  ) {
    const status = result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with code ${result.exitCode}`;
    const tail = result.stderr.trim().split('\n').slice(-3).join(' | ').slice(-300);
    super(`SSH command on ${endpoint} ${status}: ${shorten(command)}${tail ? ` (stderr: ${tail})` : ''}`);
    this.exitCode = result.exitCode;
    this.exitSignal = result.signal;
    this.stdout = result.stdout;
    this.stderr = result.stderr;
  }
}

/** The caller aborted a remote command through its AbortSignal; its channel was closed. */
export class SshCommandAbortedError extends ProviderError {
  constructor(
    readonly endpoint: string,
    readonly command: string,
    options: CauseOption = {},
  ) {
    super(`SSH command on ${endpoint} was aborted: ${shorten(command)}`, options);
  }
}

/** The connection dropped (or the session was closed) while work was in flight. */
export class SshConnectionLostError extends TransientError {
  constructor(
    readonly endpoint: string,
    what: string,
    options: CauseOption = {},
  ) {
    super(`SSH connection to ${endpoint} was lost during ${what}`, options);
  }
}

/** `sudo` refused to run the command: no password given where one is needed, or a wrong one. */
export class SshSudoError extends InvalidCredentialsError {
  constructor(
    readonly endpoint: string,
    reason: string,
  ) {
    super(`sudo on ${endpoint} failed: ${reason}`);
  }
}

/** An SFTP operation failed (permission denied, no such file...). */
export class SshSftpError extends ProviderError {
  constructor(
    readonly endpoint: string,
    operation: string,
    readonly remotePath: string,
    options: CauseOption & { reason?: string } = {},
  ) {
    super(
      `SFTP ${operation} ${remotePath} on ${endpoint} failed${options.reason ? `: ${options.reason}` : ''}`,
      options,
    );
  }
}
