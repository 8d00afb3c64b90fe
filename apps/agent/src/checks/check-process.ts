/**
 * One run of a check plugin: its program and arguments as an argv (a shell only when the check asks
 * for one), in its own process group, stdin closed, the start of stdout and stderr kept. At the
 * timeout the group gets SIGTERM and then SIGKILL; the result is read as the plugin API says.
 */
import { spawn } from 'node:child_process';
import type { CheckDefinition, CheckResult } from '@overmind/agent-protocol';
import { interpretPluginRun, type PluginRun } from '@overmind/checks';
import { signalGroup } from '../runs/process-group.js';

/** Kept of a plugin's stdout: far more than a status line, long output and perfdata need. */
export const STDOUT_CAPTURE_BYTES = 64 * 1024;
const STDERR_CAPTURE_BYTES = 16 * 1024;
/** After SIGTERM at the timeout, how long the group gets before SIGKILL. */
export const CHECK_KILL_GRACE_MS = 2000;
/** After the plugin exits, how long a child it left behind may hold its stdout before the group is killed. */
const STDIO_GRACE_MS = 1000;

/** Keeps the first `max` bytes of a stream: the status line comes first. */
class Head {
  #chunks: Buffer[] = [];
  #size = 0;
  truncated = false;
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    const room = this.max - this.#size;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#chunks.push(part);
    this.#size += part.length;
  }
  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

/**
 * The plugin's environment: the agent's, with numbers in the C locale as the plugin API wants them
 * (`LC_NUMERIC=C`, as Icinga sets it; an `LC_ALL` would override it, so it is dropped).
 */
function pluginEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_NUMERIC: 'C' };
  delete env.LC_ALL;
  return env;
}

function spawnFailure(err: NodeJS.ErrnoException, file: string): string {
  if (err.code === 'ENOENT') return `command not found: ${file}`;
  if (err.code === 'EACCES') return `not executable: ${file} (permission denied)`;
  return `cannot start ${file}: ${err.message}`;
}

/** Runs a check once; never rejects. `signal` stops it (the check was removed) like a timeout would. */
export function runCheck(check: CheckDefinition, signal?: AbortSignal): Promise<CheckResult> {
  const startedAt = new Date();
  const started = performance.now();
  const [file, args] = check.shell ? ['/bin/sh', ['-c', check.command, check.name, ...check.args]] : [check.command, check.args];
  const stdout = new Head(STDOUT_CAPTURE_BYTES);
  const stderr = new Head(STDERR_CAPTURE_BYTES);

  return new Promise((resolve) => {
    const run: PluginRun = { exitCode: null, signal: null, stdout: '', stderr: '' };
    let settled = false;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let stdioTimer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const child = spawn(file, args, { detached: true, env: pluginEnv(), cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });

    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(stdioTimer);
      signal?.removeEventListener('abort', onAbort);
      const result = interpretPluginRun({
        ...run,
        stdout: stdout.text(),
        stderr: stderr.text(),
        truncated: stdout.truncated,
        ...(timedOut ? { timedOutAfterSeconds: check.timeoutSeconds } : {}),
      });
      resolve({
        checkId: check.id,
        state: result.state,
        output: result.output,
        longOutput: result.longOutput,
        perfdata: result.perfdata,
        durationMs: Math.max(0, Math.round(performance.now() - started)),
        at: startedAt.toISOString(),
      });
    };
    const kill = () => {
      if (child.pid === undefined) return;
      const pid = child.pid;
      signalGroup(pid, 'SIGTERM');
      // Not cleared when the plugin exits: what it left in the group is killed too.
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), CHECK_KILL_GRACE_MS);
      killTimer.unref();
    };
    const onAbort = () => {
      if (!settled && !timedOut) kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, check.timeoutSeconds * 1000);

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (err) => {
      // Only a spawn failure lands here: the program is missing or not executable.
      run.spawnError = spawnFailure(err, file);
      finish();
    });
    child.on('exit', (code, sig) => {
      run.exitCode = code;
      run.signal = sig;
      stdioTimer = setTimeout(() => {
        // A background child still holds the pipes: the check is over, the group goes.
        if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, STDIO_GRACE_MS);
    });
    child.on('close', finish);
    if (signal?.aborted) onAbort();
  });
}
