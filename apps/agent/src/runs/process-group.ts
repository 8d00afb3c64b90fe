/**
 * Runs a shell command in its own process group (as the SSH runner does on a remote node), so a
 * timeout or a cancel stops everything it started: SIGTERM to the group, SIGKILL after a grace.
 * Output arrives as lines and a bounded tail of each stream is kept for the result.
 */
import { spawn } from 'node:child_process';
import { LineSplitter } from './line-splitter.js';

/** After SIGTERM, how long the group gets before SIGKILL. */
export const KILL_GRACE_MS = 5000;
/** After the shell exits, how long its stdout/stderr may stay open (a background child holding them). */
const STDIO_GRACE_MS = 2000;
const DEFAULT_CAPTURE_BYTES = 1024 * 1024;

export interface GroupProcessOptions {
  /** Run through `sudo -n` when the agent is not root; directly when it is. */
  sudo?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdin?: string | Buffer;
  onStdout?: (line: string) => void;
  onStderr?: (line: string) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Bytes of each stream kept in the result (its tail). */
  captureBytes?: number;
}

export interface GroupProcessResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Why the agent stopped the command, when it did. */
  stoppedBy: 'timeout' | 'abort' | null;
}

/** Keeps the last `max` bytes of a stream. */
class Tail {
  #chunks: Buffer[] = [];
  #size = 0;
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    if (this.max <= 0) return;
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    while (this.#size - this.#chunks[0]!.length >= this.max) this.#size -= this.#chunks.shift()!.length;
  }
  text(): string {
    const all = Buffer.concat(this.#chunks);
    return all.subarray(Math.max(0, all.length - this.max)).toString('utf8');
  }
}

/** Signals a process group, ignoring one that is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left in the group
  }
}

export const isRoot = (): boolean => process.getuid?.() === 0;

export function runInProcessGroup(command: string, options: GroupProcessOptions = {}): Promise<GroupProcessResult> {
  const viaSudo = options.sudo === true && !isRoot();
  const [file, args] = viaSudo ? ['sudo', ['-n', '/bin/sh', '-c', command]] : ['/bin/sh', ['-c', command]];
  const capture = options.captureBytes ?? DEFAULT_CAPTURE_BYTES;
  const stdout = new Tail(capture);
  const stderr = new Tail(capture);

  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ exitCode: null, signal: null, stdout: '', stderr: '', stoppedBy: 'abort' });
      return;
    }
    const child = spawn(file, args, {
      detached: true,
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stoppedBy: GroupProcessResult['stoppedBy'] = null;
    let exit: { code: number | null; signal: string | null } | null = null;
    let settled = false;
    let timeout: NodeJS.Timeout | undefined;
    let stdioTimer: NodeJS.Timeout | undefined;
    const outLines = options.onStdout ? new LineSplitter(options.onStdout) : null;
    const errLines = options.onStderr ? new LineSplitter(options.onStderr) : null;

    const stop = (why: 'timeout' | 'abort') => {
      if (stoppedBy || settled || child.pid === undefined) return;
      stoppedBy = why;
      const pid = child.pid;
      signalGroup(pid, 'SIGTERM');
      // Not cleared when the shell exits: what it left in the group is killed too.
      setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS).unref();
    };
    const onAbort = () => stop('abort');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) timeout = setTimeout(() => stop('timeout'), options.timeoutMs);

    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(stdioTimer);
      options.signal?.removeEventListener('abort', onAbort);
      outLines?.end();
      errLines?.end();
      resolve({ exitCode: exit?.code ?? null, signal: exit?.signal ?? null, stdout: stdout.text(), stderr: stderr.text(), stoppedBy });
    };

    child.stdout!.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      outLines?.push(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      errLines?.push(chunk);
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // EPIPE when the command does not read its input
      child.stdin.end(options.stdin);
    }
    child.on('error', (err) => {
      // Only spawn failures land here (e.g. no sudo): a shell's "not found".
      stderr.push(Buffer.from(`${file}: ${err.message}\n`));
      errLines?.push(Buffer.from(`${file}: ${err.message}\n`));
      exit = { code: 127, signal: null };
      finish();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      stdioTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish();
      }, STDIO_GRACE_MS);
    });
    child.on('close', finish);
  });
}
