import {
  ProviderError,
  TransientError,
  errorForHttpStatus,
  parseRetryAfter,
} from '@overmind/provider';

export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
}

export interface HttpCall {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Names the call in errors, e.g. `compute GET /servers/detail`; never holds secrets. */
  what: string;
}

/** One HTTP exchange. Network failures and timeouts become TransientError; a caller's abort passes through. */
export async function httpCall(call: HttpCall): Promise<HttpReply> {
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  try {
    const res = await fetch(call.url, {
      method: call.method,
      signal,
      headers: {
        accept: 'application/json',
        ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...call.headers,
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (err) {
    if (call.signal?.aborted) throw call.signal.reason;
    const code = (err instanceof Error && (err.cause as { code?: unknown } | undefined)?.code) || undefined;
    const reason = timeout.aborted
      ? `timed out after ${call.timeoutMs} ms`
      : `could not reach the API${typeof code === 'string' ? ` (${code})` : ''}`;
    throw new TransientError(`OpenStack ${call.what} ${reason}`, { cause: err });
  }
}

/** The reply's JSON body; a body that is not JSON is a ProviderError, never a crash. */
export function jsonBody<T>(what: string, reply: HttpReply): T {
  try {
    const body: unknown = JSON.parse(reply.text);
    if (body !== null && typeof body === 'object') return body as T;
  } catch (err) {
    throw new ProviderError(`OpenStack ${what} returned a malformed JSON body`, { status: reply.status, cause: err });
  }
  throw new ProviderError(`OpenStack ${what} returned no JSON object`, { status: reply.status });
}

/**
 * The typed error for a failed reply. Keystone says `{ error: { message, title } }`, Nova
 * `{ itemNotFound: { message } }`, Glance often plain text or HTML; all keep the provider's message.
 */
export function errorFor(what: string, reply: HttpReply): ProviderError {
  const { message, providerCode } = describe(reply);
  const options = { status: reply.status, ...(providerCode ? { providerCode } : {}) };
  const detail = `OpenStack ${what} failed (${reply.status}): ${message}`;
  // Nova answers 403 for an exhausted quota too; that is not a credentials problem.
  if (reply.status === 403 && /quota exceeded/i.test(message)) return new ProviderError(detail, options);
  const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'));
  return errorForHttpStatus(reply.status, detail, { ...options, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

function describe(reply: HttpReply): { message: string; providerCode?: string } {
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    const text = reply.text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    return { message: text.slice(0, 300) || `HTTP ${reply.status}` };
  }
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    if (typeof record.message === 'string') return { message: record.message };
    for (const [key, value] of Object.entries(record)) {
      const inner = value as { message?: unknown; title?: unknown } | null;
      if (inner && typeof inner === 'object' && typeof inner.message === 'string') {
        return { message: inner.message, providerCode: typeof inner.title === 'string' ? inner.title : key };
      }
    }
  }
  return { message: reply.text.slice(0, 300) };
}
