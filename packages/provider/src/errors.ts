/** Typed errors every driver throws, so callers decide on retries and HTTP codes without parsing text. */

export type ProviderErrorCode =
  | 'provider_error'
  | 'invalid_credentials'
  | 'not_supported'
  | 'not_found'
  | 'transient';

export interface ProviderErrorOptions {
  cause?: unknown;
  /** The provider's own error code, e.g. `InvalidInstanceID.NotFound`. */
  providerCode?: string;
  /** HTTP status the provider answered with, when there was one. */
  status?: number;
}

export class ProviderError extends Error {
  readonly code: ProviderErrorCode = 'provider_error';
  readonly retryable: boolean = false;
  readonly providerCode?: string;
  readonly status?: number;

  constructor(message: string, options: ProviderErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.providerCode !== undefined) this.providerCode = options.providerCode;
    if (options.status !== undefined) this.status = options.status;
  }
}

export class InvalidCredentialsError extends ProviderError {
  override readonly code = 'invalid_credentials';
}

export class NotSupportedError extends ProviderError {
  override readonly code = 'not_supported';
}

export class NotFoundError extends ProviderError {
  override readonly code = 'not_found';
}

export interface TransientErrorOptions extends ProviderErrorOptions {
  /** How long the provider asked us to wait (e.g. from `Retry-After`). */
  retryAfterMs?: number;
}

/** Timeouts, throttling (429) and provider-side 5xx: safe to retry later. */
export class TransientError extends ProviderError {
  override readonly code = 'transient';
  override readonly retryable = true;
  readonly retryAfterMs?: number;

  constructor(message: string, options: TransientErrorOptions = {}) {
    super(message, options);
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * A provider answered with more than a driver reads of one response (`MAX_RESPONSE_BYTES`). Not
 * retried: a runaway or hostile endpoint answers the same way next time.
 */
export class ResponseTooLargeError extends ProviderError {
  override readonly providerCode = 'response_too_large';
}

export function isProviderError(err: unknown): err is ProviderError {
  return err instanceof ProviderError;
}

/**
 * Parses an HTTP `Retry-After` header (delta-seconds or an HTTP date) into milliseconds.
 * Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The contract's typed error for a failed HTTP call: 401/403 invalid credentials, 404 not found,
 * 429 and 5xx transient (with the provider's wait, when it gave one), anything else a provider error.
 */
export function errorForHttpStatus(status: number, message: string, options: TransientErrorOptions = {}): ProviderError {
  const { retryAfterMs, ...rest } = { ...options, status };
  if (status === 401 || status === 403) return new InvalidCredentialsError(message, rest);
  if (status === 404) return new NotFoundError(message, rest);
  if (status === 429 || status >= 500) return new TransientError(message, retryAfterMs === undefined ? rest : { ...rest, retryAfterMs });
  return new ProviderError(message, rest);
}
