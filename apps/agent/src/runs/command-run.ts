/**
 * A `command` run: `/bin/sh -c COMMAND` as the agent's user in its own process group, with the
 * run's env over the agent's (never logged: it may hold secrets), stdout and stderr as log lines.
 */
import { homedir } from 'node:os';
import type { CommandSpec } from '@overmind/agent-protocol';
import { runInProcessGroup } from './process-group.js';
import type { RunEnd, RunIo } from './run-types.js';

export async function runCommand(spec: CommandSpec, io: RunIo): Promise<RunEnd> {
  const result = await runInProcessGroup(spec.command, {
    env: { ...process.env, ...spec.env },
    cwd: homedir(),
    signal: io.signal,
    onStdout: (line) => io.line('stdout', line),
    onStderr: (line) => io.line('stderr', line),
    captureBytes: 0,
  });
  const succeeded = result.exitCode === 0 && !result.stoppedBy;
  const error = succeeded
    ? null
    : result.exitCode !== null
      ? `the command exited with code ${result.exitCode}`
      : `the command was killed by ${result.signal ?? 'a signal'}`;
  return { succeeded, exitCode: result.exitCode, signal: result.signal, summary: null, error };
}
