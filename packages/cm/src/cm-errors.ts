/**
 * Typed errors of configuration management. Like the provider errors they carry a stable `code` and a
 * `retryable` flag, so the API maps them without parsing messages (configuration_invalid -> 422,
 * tool_missing -> 424/409, apply_failed -> job failure naming the step).
 */

export type CmErrorCode = 'configuration_invalid' | 'tool_missing' | 'apply_failed';

/** One thing wrong with a configuration or a repository, pointing at the file when there is one. */
export interface CmProblem {
  /** Path relative to the repository root, e.g. `roles/web.json`; null for the configuration itself. */
  file: string | null;
  /** 1-based, when the problem has a position (e.g. invalid JSON). */
  line?: number;
  column?: number;
  message: string;
}

export class CmError extends Error {
  readonly code: CmErrorCode = 'apply_failed';
  readonly retryable: boolean = false;

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

export function formatProblem(problem: CmProblem): string {
  const at = problem.line === undefined ? '' : `:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  return problem.file ? `${problem.file}${at}: ${problem.message}` : problem.message;
}

/** The configuration (or the repository it refers to) cannot be applied as it is. Lists every problem. */
export class ConfigurationInvalidError extends CmError {
  override readonly code = 'configuration_invalid';

  constructor(
    readonly problems: CmProblem[],
    summary = 'Configuration is invalid',
  ) {
    const shown = problems.slice(0, 5).map(formatProblem);
    const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
    super(`${summary}: ${shown.join('; ')}${more}`);
  }
}

/** The configuration tool is not on the node and could not be installed. */
export class ToolMissingError extends CmError {
  override readonly code = 'tool_missing';

  constructor(
    readonly tool: string,
    readonly endpoint: string,
    readonly detail: string,
  ) {
    super(`${tool} is not available on ${endpoint}: ${detail}`);
  }
}

export interface ApplyFailedOptions {
  cause?: unknown;
  /** Exit code of the command that failed, when a command failed. */
  exitCode?: number | null;
  /** The last lines of output, the usual explanation of a failed run. */
  lastLines?: string[];
  retryable?: boolean;
}

/** A step of an apply failed. `step` names it; `exitCode` and `lastLines` say how when a command failed. */
export class ApplyFailedError extends CmError {
  override readonly code = 'apply_failed';
  override readonly retryable: boolean;
  readonly exitCode: number | null;
  readonly lastLines: string[];

  constructor(
    readonly step: string,
    message: string,
    options: ApplyFailedOptions = {},
  ) {
    super(`Step "${step}" failed: ${message}`, options);
    this.exitCode = options.exitCode ?? null;
    this.lastLines = options.lastLines ?? [];
    this.retryable = options.retryable ?? false;
  }
}

export function isCmError(err: unknown): err is CmError {
  return err instanceof CmError;
}
