/**
 * Creating operations take an `Idempotency-Key` header: a repeat with the same key (a retry after a
 * timeout, a double click) gets the first request's answer instead of creating a second thing.
 */
export interface IdempotencyOptions {
  /** One key per operation, the same on every retry of it (e.g. from `newIdempotencyKey()`). */
  idempotencyKey?: string;
  /** How long to wait for a first request with this key that is still running (default 30 s). */
  inProgressTimeoutMs?: number;
}

/**
 * A new random key (128 bits, hex). `crypto.randomUUID()` would do, but browsers offer it only on
 * HTTPS or localhost, and the console may be served over plain HTTP inside a network.
 */
export function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The `params.header` of a request with `key`, or none. */
export const idempotencyHeader = (key: string | undefined): { 'idempotency-key': string } | undefined =>
  key === undefined ? undefined : { 'idempotency-key': key };

/**
 * Sends a request again while the API answers that its first copy (same key) is still running: 409
 * with Retry-After. The request then ends with the first one's answer, replayed.
 */
export async function untilNotInProgress<T extends { response: Response }>(send: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await send();
    const { status, headers } = result.response;
    if (status !== 409 || !headers.has('retry-after')) return result;
    const waitMs = Math.max(0.05, Number(headers.get('retry-after')) || 1) * 1000;
    if (Date.now() + waitMs > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
