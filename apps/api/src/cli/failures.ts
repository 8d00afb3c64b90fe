/**
 * How the `overmind` command ends: 0 done, 1 failed (an error, a refused request, a failed job),
 * 2 the command line was wrong (commander's own usage errors end the same way), 130 Ctrl-C.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** A failure the command explains itself: printed as `overmind: <message>`, never with a stack trace. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
  constructor(message: string, readonly exitCode: number = EXIT.failed) {
    super(message);
  }
}

/** The command line asked for something impossible (a missing option the parser cannot express). */
export class UsageError extends CliFailure {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}
