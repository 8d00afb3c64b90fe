import {
  ProviderError,
  TransientError,
  errorForHttpStatus,
  httpFailureMessage,
  parseRetryAfter,
  readBoundedText,
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
      // A redirect would carry X-Auth-Token along (fetch drops only Authorization), and a 307 from
      // Keystone the password: the 3xx is answered as an error instead.
      redirect: 'manual',
      headers: {
        accept: 'application/json',
        ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...call.headers,
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
    const text = await readBoundedText(res.body, { what: `OpenStack ${call.what}`, declaredLength: res.headers.get('content-length') });
    return { status: res.status, headers: res.headers, text };
  } catch (err) {
    if (err instanceof ProviderError) throw err;
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
 * The typed error for a failed reply: status and reason, plus the message of a documented JSON error
 * shape (Keystone `{ error: { message, title } }`, Nova `{ itemNotFound: { message } }`, Glance
 * `{ message }`). Never the raw body: a plain-text or HTML page (Glance, a proxy, whatever answers at
 * the configured URL) gives the status alone.
 */
export function errorFor(what: string, reply: HttpReply): ProviderError {
  const { message, providerCode } = describe(reply);
  const options = { status: reply.status, ...(providerCode ? { providerCode } : {}) };
  const detail = httpFailureMessage(`OpenStack ${what}`, reply.status, message);
  // Nova answers 403 for an exhausted quota too; that is not a credentials problem.
  if (reply.status === 403 && message !== undefined && /quota exceeded/i.test(message)) return new ProviderError(detail, options);
  const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'));
  return errorForHttpStatus(reply.status, detail, { ...options, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

function describe(reply: HttpReply): { message?: string; providerCode?: string } {
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    return {};
  }
  if (!body || typeof body !== 'object') return {};
  const record = body as Record<string, unknown>;
  if (typeof record.message === 'string') return { message: record.message };
  for (const [key, value] of Object.entries(record)) {
    const inner = value as { message?: unknown; title?: unknown } | null;
    if (inner && typeof inner === 'object' && typeof inner.message === 'string') {
      return { message: inner.message, providerCode: (typeof inner.title === 'string' ? inner.title : key).slice(0, 100) };
    }
  }
  return {};
}
