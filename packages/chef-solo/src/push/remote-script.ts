/** Runs one step's shell script on the node, as root when configured, failing with the step's name. */
import { ApplyFailedError, type CmContext, type CmHost, type HostExecResult } from '@overmind/cm';
import type { ResolvedChefSoloOptions } from './push-options.js';

export interface ScriptCall {
  step: string;
  ctx?: CmContext;
  /** Defaults to the push's `sudo` setting; false runs as the login user. */
  sudo?: boolean;
  /** Cleanup runs after an abort too, so it ignores the signal. Default true. */
  abortable?: boolean;
  timeoutMs?: number;
  /** Also log stdout lines (stderr lines are always logged). */
  streamStdout?: boolean;
}

/** The last `count` non-empty lines of some output. */
export function lastLines(text: string, count: number): string[] {
  return text.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '').slice(-count);
}

export async function runScript(host: CmHost, script: string, options: ResolvedChefSoloOptions, call: ScriptCall): Promise<HostExecResult> {
  const log = call.ctx?.log;
  const result = await host.exec(script, {
    sudo: call.sudo ?? options.sudo,
    timeoutMs: call.timeoutMs ?? options.commandTimeoutMs,
    signal: call.abortable === false ? undefined : call.ctx?.signal,
    onStderr: log,
    onStdout: call.streamStdout ? log : undefined,
  });
  if (result.exitCode !== 0) {
    const tail = lastLines(result.stderr, options.failureLines);
    const status = result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with code ${result.exitCode}`;
    throw new ApplyFailedError(call.step, `command on ${host.endpoint} ${status}${tail.length ? `: ${tail.at(-1)}` : ''}`, {
      exitCode: result.exitCode,
      lastLines: tail,
    });
  }
  return result;
}
