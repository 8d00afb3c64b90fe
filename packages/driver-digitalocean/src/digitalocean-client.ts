import {
  ProviderError,
  TransientError,
  errorForHttpStatus,
  httpFailureMessage,
  parseRetryAfter,
  readBoundedText,
  type OperationContext,
} from '@overmind/provider';
import type { DoError, DoLinks } from './digitalocean-types.js';

export interface DigitalOceanClientOptions {
  token: string;
  /** API root, e.g. https://api.digitalocean.com (no /v2). */
  apiUrl: string;
  requestTimeoutMs: number;
  /** Items per page on list calls (DigitalOcean allows up to 200). */
  perPage: number;
}

/** The last rate-limit headers DigitalOcean sent. */
export interface RateLimit {
  limit: number;
  remaining: number;
  /** When the window resets, epoch milliseconds. */
  resetAt: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  ctx?: OperationContext | undefined;
}

// A runaway `next` chain must end; 1000 pages of 200 is far beyond any real account.
const MAX_PAGES = 1000;

/** HTTP transport for DigitalOcean API v2: token auth, JSON, pagination, rate limits, typed errors. */
export class DigitalOceanClient {
  rateLimit: RateLimit | undefined;
  readonly #options: DigitalOceanClientOptions;
  readonly #base: URL;

  constructor(options: DigitalOceanClientOptions) {
    this.#options = options;
    this.#base = new URL(options.apiUrl.replace(/\/*$/, '/'));
  }

  /** GET that must return a JSON body. */
  async get<T>(path: string, ctx?: OperationContext, query?: Query): Promise<T> {
    return this.#expectBody<T>('GET', path, await this.request<T>('GET', path, { query, ctx }));
  }

  /** POST that must return a JSON body. */
  async post<T>(path: string, body: unknown, ctx?: OperationContext): Promise<T> {
    return this.#expectBody<T>('POST', path, await this.request<T>('POST', path, { body, ctx }));
  }

  /** GETs every page of a list, following `links.pages.next` to the end. */
  async list<T>(path: string, key: string, ctx?: OperationContext, query: Query = {}): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let url: URL | undefined = this.#url(path, { per_page: this.#options.perPage, ...query });
    for (let page = 1; url; page++) {
      if (page > MAX_PAGES || seen.has(url.href)) throw new ProviderError(`DigitalOcean pagination of ${path} does not end`);
      seen.add(url.href);
      const body: (Record<string, unknown> & { links?: DoLinks }) | undefined = await this.#send('GET', url, undefined, ctx);
      const batch = body?.[key];
      if (!Array.isArray(batch)) throw new ProviderError(`DigitalOcean answered GET ${path} without a "${key}" list`);
      items.push(...(batch as T[]));
      const next: string | undefined = body?.links?.pages?.next;
      url = next ? this.#sameOrigin(next) : undefined;
    }
    return items;
  }

  /** Any call; resolves to the parsed body, or undefined for an empty one (204). */
  request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T | undefined> {
    return this.#send<T>(method, this.#url(path, options.query), options.body, options.ctx);
  }

  #url(path: string, query: Query = {}): URL {
    const url = new URL(path.replace(/^\//, ''), this.#base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  // Pagination links name the public API host; the token is only ever sent to the configured one.
  #sameOrigin(href: string): URL {
    const link = new URL(href, this.#base);
    return link.origin === this.#base.origin ? link : new URL(link.pathname + link.search, this.#base.origin);
  }

  async #send<T>(method: string, url: URL, body: unknown, ctx?: OperationContext): Promise<T | undefined> {
    const what = `${method} ${url.pathname}`;
    const timeout = AbortSignal.timeout(this.#options.requestTimeoutMs);
    const signal = ctx?.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method,
        signal,
        // A redirect would take the token along (and a 307 the body); the answer is an error instead.
        redirect: 'manual',
        headers: {
          authorization: `Bearer ${this.#options.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      text = await readBoundedText(res.body, { what: `DigitalOcean ${what}`, declaredLength: res.headers.get('content-length') });
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      if (ctx?.signal?.aborted) throw ctx.signal.reason;
      const reason = timeout.aborted ? `timed out after ${this.#options.requestTimeoutMs} ms` : networkReason(err);
      throw new TransientError(`DigitalOcean ${what} ${reason}`, { cause: err });
    }
    this.#noteRateLimit(res.headers);
    if (!res.ok) throw this.#errorFor(what, res, text);
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new ProviderError(`DigitalOcean ${what} returned a malformed JSON body`, { status: res.status, cause: err });
    }
  }

  #expectBody<T>(method: string, path: string, body: T | undefined): T {
    if (body === undefined || body === null || typeof body !== 'object') {
      throw new ProviderError(`DigitalOcean ${method} ${path} returned no JSON object`);
    }
    return body;
  }

  #noteRateLimit(headers: Headers): void {
    const limit = Number(headers.get('ratelimit-limit'));
    const remaining = Number(headers.get('ratelimit-remaining'));
    const reset = Number(headers.get('ratelimit-reset'));
    if (headers.has('ratelimit-remaining') && [limit, remaining, reset].every(Number.isFinite)) {
      this.rateLimit = { limit, remaining, resetAt: reset * 1000 };
    }
  }

  /** Status and reason, plus the `message` of DigitalOcean's documented `{ id, message }` body; never the raw body. */
  #errorFor(what: string, res: Response, text: string): ProviderError {
    const parsed = parseError(text);
    const options = { status: res.status, ...(parsed?.id ? { providerCode: parsed.id.slice(0, 100) } : {}) };
    const detail = httpFailureMessage(`DigitalOcean ${what}`, res.status, parsed?.message);
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after')) ?? this.#untilReset(res.headers);
    return errorForHttpStatus(res.status, detail, { ...options, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }

  #untilReset(headers: Headers): number | undefined {
    const reset = Number(headers.get('ratelimit-reset'));
    return headers.has('ratelimit-reset') && Number.isFinite(reset) ? Math.max(0, reset * 1000 - Date.now()) : undefined;
  }
}

function parseError(text: string): Partial<DoError> | undefined {
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === 'object') {
      const { id, message } = body as Record<string, unknown>;
      return { ...(typeof id === 'string' ? { id } : {}), ...(typeof message === 'string' ? { message } : {}) };
    }
  } catch {
    // Not JSON (an HTML error page, a proxy): only the status is reported.
  }
  return undefined;
}

function networkReason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return `could not reach the API${typeof code === 'string' ? ` (${code})` : ''}`;
}
