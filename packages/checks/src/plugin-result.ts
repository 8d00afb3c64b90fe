/**
 * What a finished plugin process means: its exit code is its state (0 OK, 1 WARNING, 2 CRITICAL,
 * 3 UNKNOWN); anything else (another code, a signal, a timeout, a command that could not start) is
 * UNKNOWN with the reason in the status text. The text itself never decides the state.
 */
import { CheckState } from './check-state.js';
import { OUTPUT_LIMITS } from './check-limits.js';
import { clipText, parsePluginOutput, type PluginOutput } from './plugin-output.js';

export interface PluginRun {
  /** Null when the process did not exit on its own (signal) or did not start. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  /** Plugins should not print to stderr; it is shown only when stdout is empty. */
  stderr: string;
  /** The run was killed at its timeout. */
  timedOutAfterSeconds?: number;
  /** The command could not be started (ENOENT, EACCES...): why. */
  spawnError?: string;
  /** stdout went past the capture limit and was cut. */
  truncated?: boolean;
}

export interface PluginResult extends PluginOutput {
  state: CheckState;
}

/** Why the exit status is not one of the plugin API's, or null when it is. */
function unknownReason(run: PluginRun): string | null {
  if (run.spawnError) return run.spawnError;
  if (run.timedOutAfterSeconds !== undefined) return `timed out after ${run.timedOutAfterSeconds} s`;
  if (run.signal) return `killed by ${run.signal}`;
  if (run.exitCode === null) return 'no exit status';
  if (run.exitCode < 0 || run.exitCode > 3) {
    const hint = run.exitCode === 127 ? ' (command not found)' : run.exitCode === 126 ? ' (not executable)' : '';
    return `exit code ${run.exitCode}${hint}, not a plugin state`;
  }
  return null;
}

export function interpretPluginRun(run: PluginRun): PluginResult {
  const fromStdout = run.stdout.trim() !== '';
  // A script that dies before printing (a shell's "not found", Python's traceback) says why on stderr.
  const parsed = parsePluginOutput(fromStdout ? run.stdout : run.stderr);
  if (!fromStdout) {
    parsed.perfdata = [];
    parsed.invalidPerfdata = [];
  }
  const reason = unknownReason(run);
  let output = parsed.output;
  if (reason) output = output ? `${reason}: ${output}` : reason;
  else if (!output) output = '(no output returned from the plugin)';
  let longOutput = parsed.longOutput;
  if (run.truncated) longOutput = longOutput ? `${longOutput}\n(output cut at the capture limit)` : '(output cut at the capture limit)';
  return {
    ...parsed,
    state: reason ? CheckState.unknown : (run.exitCode as CheckState),
    output: clipText(output, OUTPUT_LIMITS.outputChars),
    longOutput: clipText(longOutput, OUTPUT_LIMITS.longOutputChars),
  };
}
