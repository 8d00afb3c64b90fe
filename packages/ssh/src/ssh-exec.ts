/** One remote command on an open connection: streamed lines, bounded capture, timeout, abort, sudo. */
import type { Readable } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { LineSplitter, TailCapture } from './output-lines.js';
import {
  SshCommandAbortedError,
  SshCommandTimeoutError,
  SshConnectError,
  SshConnectionLostError,
  SshSudoError,
} from './ssh-errors.js';
import { RemoteCommand } from './remote-command.js';

export interface ExecOptions {
  /** Each stdout line as it arrives (without the newline); the last one even if unterminated. */
  onStdout?: (line: string) => void;
  onStderr?: (line: string) => void;
  /** Kills the remote command and throws SshCommandTimeoutError after this long. */
  timeoutMs?: number;
  /** Aborting kills the remote command and throws SshCommandAbortedError. */
  signal?: AbortSignal;
  /** Exported before the command. Visible in the remote process list: never put secrets here. */
  env?: Record<string, string>;
  /**
   * Exported before the command without appearing on any command line: sent on stdin and read by
   * the remote shell's builtins (the command's own stdin is then at EOF). The place for secrets.
   * Cannot be combined with `stdin`.
   */
  secretEnv?: Record<string, string>;
  /** Fed to the command's stdin, then EOF. Without it stdin is closed at once. */
  stdin?: string | Buffer | Readable;
  /** Run as root through sudo when the user is not root (password from the target, fed on stdin). */
  sudo?: boolean;
  /** Bytes of stdout and of stderr kept in the result (the tail). Defaults to 1 MiB each. */
  maxOutputBytes?: number;
}

export interface ExecResult {
  /** Null when the command was killed by a signal. */
  exitCode: number | null;
  /** E.g. `SIGKILL`, when the command was killed by a signal. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** True when output beyond `maxOutputBytes` was dropped from the head of the capture. */
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
}

export interface ExecContext {
  endpoint: string;
  username: string;
  sudoPassword: string | undefined;
  isConnected(): boolean;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
/** After SIGTERM, how long the command gets to exit before SIGKILL and closing the channel. */
const KILL_GRACE_MS = 1000;

export function runExec(client: Client, ctx: ExecContext, command: string, options: ExecOptions = {}): Promise<ExecResult> {
  const { endpoint } = ctx;
  const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const stdout = new TailCapture(maxBytes);
  const stderr = new TailCapture(maxBytes);
  const outLines = options.onStdout ? new LineSplitter(options.onStdout) : undefined;
  const errLines = options.onStderr ? new LineSplitter(options.onStderr) : undefined;
  const sudo = options.sudo === true && ctx.username !== 'root';

  return new Promise<ExecResult>((resolve, reject) => {
    let channel: ClientChannel | undefined;
    let settled = false;
    let failure: Error | undefined;
    let killing = false;
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    let timer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let input = options.stdin;
    const inputStream = input !== undefined && typeof input !== 'string' && !Buffer.isBuffer(input) ? input : undefined;

    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      inputStream?.removeListener('error', stop);
      if (inputStream && channel) inputStream.unpipe(channel);
      if (err) reject(err);
      else resolve({ exitCode, signal: exitSignal, stdout: stdout.text(), stderr: stderr.text(), stdoutTruncated: stdout.truncated, stderrTruncated: stderr.truncated });
    };

    // Signals the remote process group from a second channel (as root when the command runs as root).
    const signalGroup = (name: 'TERM' | 'KILL') => {
      if (remote?.pid === undefined) return;
      const sudoKill = sudo && remote.started;
      runExec(client, ctx, `kill -${name} -${remote.pid} 2>/dev/null; true`, { sudo: sudoKill }).catch(() => undefined);
    };

    // Once both a failure and a channel exist: TERM the group as soon as its PID is known, then after
    // a grace period KILL it and close the channel. Runs again when the PID arrives on stderr.
    const enforce = () => {
      if (!failure || !channel) return;
      if (!killing && remote?.pid !== undefined) {
        killing = true;
        signalGroup('TERM');
      }
      if (killTimer) return;
      const ch = channel;
      killTimer = setTimeout(() => {
        if (killing) signalGroup('KILL');
        ch.close();
        finish(failure);
      }, KILL_GRACE_MS);
    };

    function stop(err: Error) {
      if (settled || failure) return;
      failure = err;
      enforce();
    }

    // A throwing line callback is the caller's bug: stop the command and surface it.
    const deliver = (splitter: LineSplitter | undefined, act: (s: LineSplitter) => void) => {
      if (!splitter) return;
      try {
        act(splitter);
      } catch (err) {
        stop(err instanceof Error ? err : new Error(String(err)));
      }
    };

    function onAbort() {
      stop(new SshCommandAbortedError(endpoint, command, { cause: options.signal?.reason }));
    }

    const startStdin = () => {
      const ch = channel!;
      if (input === undefined) ch.end();
      else if (inputStream) inputStream.once('error', stop).pipe(ch);
      else ch.end(input);
    };

    const onStderr = (chunk: Buffer) => {
      if (chunk.length === 0) return;
      stderr.push(chunk);
      deliver(errLines, (s) => s.push(chunk));
    };

    const onChannel = (ch: ClientChannel) => {
      channel = ch;
      ch.on('error', () => {
        // Writes racing a closing channel; the close handler decides the outcome.
      });
      ch.on('exit', (code: number | null, signalName?: string) => {
        exitCode = code;
        exitSignal = code === null ? (signalName ?? null) : null;
      });
      ch.on('data', (chunk: Buffer) => {
        stdout.push(chunk);
        deliver(outLines, (s) => s.push(chunk));
      });
      ch.stderr.on('data', (raw: Buffer) => {
        onStderr(remote!.push(raw));
        enforce();
      });
      ch.on('close', () => {
        onStderr(remote!.flush());
        deliver(outLines, (s) => s.end());
        deliver(errLines, (s) => s.end());
        if (failure) return finish(failure);
        if (exitCode === null && exitSignal === null) return finish(new SshConnectionLostError(endpoint, 'a command'));
        if (sudo && !remote!.started) {
          const said = stderr.text().trim().split('\n').pop();
          return finish(new SshSudoError(endpoint, said || `sudo exited with code ${exitCode}`));
        }
        finish();
      });
      if (!sudo) startStdin();
      enforce();
    };

    let remote: RemoteCommand | undefined;
    try {
      options.signal?.throwIfAborted();
      remote = new RemoteCommand(command, { env: options.env, secretEnv: options.secretEnv, sudo, sudoPassword: ctx.sudoPassword }, {
        sendPassword: () => channel?.write(`${ctx.sudoPassword}\n`),
        onStarted: () => sudo && startStdin(),
        onSudoRefused: (reason) => stop(new SshSudoError(endpoint, reason)),
      });
      if (remote.envInput !== undefined) {
        if (input !== undefined) throw new TypeError('secretEnv and stdin cannot be combined: secretEnv is sent on stdin');
        input = remote.envInput;
      }
    } catch (err) {
      if (options.signal?.aborted) return finish(new SshCommandAbortedError(endpoint, command, { cause: options.signal.reason }));
      return finish(err as Error);
    }

    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => stop(new SshCommandTimeoutError(endpoint, command, options.timeoutMs!)), options.timeoutMs);
    }
    try {
      client.exec(remote.line, (err, ch) => {
        if (err) {
          const cause = { cause: err };
          if (failure) return finish(failure);
          if (!ctx.isConnected()) return finish(new SshConnectionLostError(endpoint, 'a command', cause));
          return finish(new SshConnectError(endpoint, `could not open a command channel (${err.message})`, cause));
        }
        onChannel(ch);
      });
    } catch (err) {
      finish(new SshConnectionLostError(endpoint, 'a command', { cause: err }));
    }
  });
}
