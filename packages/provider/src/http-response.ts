/**
 * What a driver takes from an HTTP answer: a body read up to a bound, and for a failure a message
 * of status and reason plus, at most, the provider's own short error message. Never the raw body:
 * an endpoint is an address a user typed, and echoing whatever answers there would let the API read
 * internal pages on the user's behalf.
 */
import { STATUS_CODES } from 'node:http';
import { ResponseTooLargeError } from './errors.js';

/** The most a driver reads of one response. A page of any list is far smaller. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** Longest provider message kept in an error. */
export const MAX_REMOTE_MESSAGE = 300;

export interface BoundedReadOptions {
  /** Names the call in the error, e.g. `DigitalOcean GET /v2/droplets`; never holds secrets. */
  what: string;
  /** Defaults to MAX_RESPONSE_BYTES. */
  limit?: number;
  /** The Content-Length the peer declared: a larger one is refused before reading a byte. */
  declaredLength?: string | number | null | undefined;
}

/**
 * Reads a response body (a fetch `Response.body`, an `IncomingMessage`) as UTF-8, throwing
 * ResponseTooLargeError as soon as it passes the limit. Leaving the loop early cancels the stream,
 * so the rest is never read.
 */
export async function readBoundedText(body: AsyncIterable<Uint8Array> | null | undefined, options: BoundedReadOptions): Promise<string> {
  const limit = options.limit ?? MAX_RESPONSE_BYTES;
  const tooLarge = () => new ResponseTooLargeError(`${options.what} answered with more than ${limit} bytes; not read`);
  if (!body) return '';
  const declared = Number(options.declaredLength ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await body[Symbol.asyncIterator]().return?.();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A provider's error message, from a field of its documented JSON error shape, made safe to show:
 * one line, no control characters, at most `max` characters. Anything but a non-empty string gives
 * undefined.
 */
export function remoteMessage(value: unknown, max = MAX_REMOTE_MESSAGE): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = value.replace(/[\p{Cc}\p{Cf}\s]+/gu, ' ').trim();
  if (!clean) return undefined;
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/**
 * `<what> failed (<status> <reason>)`, then the provider's message when its error shape had one.
 * Redirects are never followed (the credentials would go along), so a 3xx says so.
 */
export function httpFailureMessage(what: string, status: number, providerMessage?: unknown): string {
  const reason = STATUS_CODES[status] ?? 'Unexpected status';
  const message = status >= 300 && status < 400 ? 'redirects are not followed' : remoteMessage(providerMessage);
  return `${what} failed (${status} ${reason})${message ? `: ${message}` : ''}`;
}
