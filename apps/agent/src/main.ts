/** The `overmind-agent` program: the entry point of the bundle and of `tsx src/main.ts`. */
import { errorMessage } from './agent-log.js';
import { buildCli } from './cli/agent-cli.js';
import { CliError } from './cli/cli-error.js';

function fail(err: unknown): never {
  // One line, never a stack: the message says what to do.
  const message = err instanceof CliError ? err.message : `unexpected error: ${errorMessage(err)}`;
  process.stderr.write(`overmind-agent: ${message}\n`);
  process.exit(err instanceof CliError ? err.exitCode : 1);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

const program = buildCli({
  env: process.env,
  stdin: process.stdin,
  out: (line) => process.stdout.write(`${line}\n`),
  exit: (code) => {
    process.exitCode = code;
  },
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  fail(err);
}
// `run` leaves timers and sockets behind once stopped; `process.exitCode` alone would wait for them.
process.exit(process.exitCode ?? 0);
