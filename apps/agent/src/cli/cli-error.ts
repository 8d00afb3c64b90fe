/** A failure the CLI reports as one line and an exit code, never a stack trace. */

/** `run` ends with this when only a person can help (not enrolled, bad config, refused by the server): systemd does not restart it. */
export const EXIT_NEEDS_OPERATOR = 78;
/** `status`: enrolled but not connected (or not running). */
export const EXIT_NOT_CONNECTED = 1;
/** `status`: not enrolled. */
export const EXIT_NOT_ENROLLED = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
