/**
 * Redfish transport: HTTPS with the node's TLS trust, basic or session auth (`X-Auth-Token`, the
 * session deleted on close since BMCs have few session slots), timeouts, and Redfish error bodies
 * turned into typed errors.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent } from 'node:https';
import {
  NotFoundError,
  ProviderError,
  TransientError,
  parseRetryAfter,
  readBoundedText,
  remoteMessage,
  type OperationContext,
} from '@overmind/provider';
import { BmcAuthError, BmcRequestError, BmcUnreachableError } from './baremetal-errors.js';
import type { RedfishRegistration } from './node-registration.js';
import { bmcAgent, untrustedCertificateError } from './redfish-tls.js';

export const SESSIONS_PATH = '/redfish/v1/SessionService/Sessions';
const MAX_BODY = 8 * 1024 * 1024;
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
// Failures where the request never left: safe to retry even for a POST.
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export interface RedfishHttpOptions {
  timeoutMs: number;
  retries: number;
}

export interface RedfishResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface ErrorBody {
  error?: { code?: string; message?: string; '@Message.ExtendedInfo'?: { MessageId?: string; Message?: string }[] };
}

/**
 * The most specific message and id a Redfish error body (`{ error: { code, message, @Message.ExtendedInfo } }`)
 * offers, bounded; nothing from a body of another shape.
 */
export function redfishErrorDetail(body: unknown): { message?: string; messageId?: string } {
  const error = (body as ErrorBody | undefined)?.error;
  if (!error || typeof error !== 'object') return {};
  const info = Array.isArray(error['@Message.ExtendedInfo']) ? error['@Message.ExtendedInfo'] : [];
  const messages = info.map((i) => i?.Message).filter((m): m is string => typeof m === 'string');
  const message = remoteMessage(messages.length ? messages.join(' ') : error.message);
  const messageId = remoteMessage(info.find((i) => typeof i?.MessageId === 'string')?.MessageId ?? error.code, 100);
  return { ...(message ? { message } : {}), ...(messageId ? { messageId } : {}) };
}

export class RedfishHttp {
  readonly endpoint: string;
  private readonly origin: string;
  private readonly agent: Agent;
  private token: string | undefined;
  private sessionUri: string | undefined;

  constructor(
    private readonly registration: RedfishRegistration,
    private readonly options: RedfishHttpOptions,
  ) {
    this.endpoint = registration.url;
    this.origin = new URL(registration.url).origin;
    this.agent = bmcAgent(registration, registration.url);
  }

  /** GET without credentials: the service root is public by the specification. */
  async getPublic(path: string, ctx?: OperationContext): Promise<unknown> {
    return this.checked('GET', path, undefined, {}, ctx).then((r) => r.body);
  }

  async get(path: string, ctx?: OperationContext): Promise<unknown> {
    return (await this.authed('GET', path, undefined, {}, ctx)).body;
  }

  async send(method: Method, path: string, body: unknown, ctx?: OperationContext, headers: Record<string, string> = {}): Promise<RedfishResponse> {
    return this.authed(method, path, body, headers, ctx);
  }

  /** Logs out of the session, if one was opened, and drops kept-alive sockets. */
  async close(): Promise<void> {
    const uri = this.sessionUri;
    const token = this.token;
    this.sessionUri = undefined;
    this.token = undefined;
    if (uri && token) {
      await this.exchange('DELETE', uri, undefined, { 'X-Auth-Token': token }).catch(() => undefined);
    }
    this.agent.destroy();
  }

  private async authed(method: Method, path: string, body: unknown, headers: Record<string, string>, ctx?: OperationContext): Promise<RedfishResponse> {
    const r = this.registration;
    if (r.auth === 'basic') {
      const basic = `Basic ${Buffer.from(`${r.username}:${r.password}`).toString('base64')}`;
      return this.checked(method, path, body, { ...headers, Authorization: basic }, ctx);
    }
    const hadToken = this.token !== undefined;
    if (!hadToken) await this.login(ctx);
    const response = await this.retrying(method, () => this.exchange(method, path, body, { ...headers, 'X-Auth-Token': this.token! }, ctx), ctx);
    if (response.status === 401 && hadToken) {
      // The BMC expired our session: log in again once.
      this.token = undefined;
      await this.login(ctx);
      return this.checked(method, path, body, { ...headers, 'X-Auth-Token': this.token! }, ctx);
    }
    return this.check(method, path, response);
  }

  private async login(ctx?: OperationContext): Promise<void> {
    const r = this.registration;
    const response = await this.checked('POST', SESSIONS_PATH, { UserName: r.username, Password: r.password }, {}, ctx);
    const token = response.headers['x-auth-token'];
    if (typeof token !== 'string' || !token) {
      throw new BmcRequestError(`BMC ${this.endpoint} created a session without an X-Auth-Token header`);
    }
    this.token = token;
    const location = response.headers.location;
    const id = (response.body as { '@odata.id'?: unknown } | undefined)?.['@odata.id'];
    // A BMC behind NAT may name itself by another address in Location; its relative @odata.id still works.
    this.sessionUri = [location, id].find((uri): uri is string => typeof uri === 'string' && this.onBmc(uri) !== undefined);
  }

  /** The URL of a path or link on this BMC; undefined for a link to anywhere else. */
  private onBmc(link: string): URL | undefined {
    let url: URL;
    try {
      url = new URL(link, this.registration.url);
    } catch {
      return undefined;
    }
    return url.origin === this.origin ? url : undefined;
  }

  private async checked(method: Method, path: string, body: unknown, headers: Record<string, string>, ctx?: OperationContext): Promise<RedfishResponse> {
    return this.check(method, path, await this.retrying(method, () => this.exchange(method, path, body, headers, ctx), ctx));
  }

  private check(method: Method, path: string, response: RedfishResponse): RedfishResponse {
    const { status } = response;
    if (status < 400) return response;
    const { message, messageId } = redfishErrorDetail(response.body);
    const detail = message ? `: ${message}` : '';
    // The path may be one of the BMC's own links: bounded like any text it sends.
    const shown = remoteMessage(path, 200) ?? '/';
    const what = `${method} ${shown}`;
    if (status === 401) throw new BmcAuthError(this.endpoint, `wrong Redfish user name or password${detail}`, { status });
    if (status === 403) throw new BmcAuthError(this.endpoint, `the Redfish account may not ${what}${detail}`, { status });
    if (status === 404) throw new NotFoundError(`BMC ${this.endpoint} has no ${shown}${detail}`, { status, ...(messageId ? { providerCode: messageId } : {}) });
    const options = { status, ...(messageId ? { providerCode: messageId } : {}) };
    if (status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers['retry-after'] as string | undefined);
      throw new TransientError(`BMC ${this.endpoint} answered ${status} to ${what}${detail}`, { ...options, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    }
    throw new BmcRequestError(`BMC ${this.endpoint} refused ${what} (${status})${detail}`, options);
  }

  private async retrying(method: Method, fn: () => Promise<RedfishResponse>, ctx?: OperationContext): Promise<RedfishResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const safe = method !== 'POST' || NOT_SENT.has((err as { cause?: { code?: string } }).cause?.code ?? '');
        if (!(err instanceof BmcUnreachableError) || !safe || attempt >= this.options.retries || ctx?.signal?.aborted) throw err;
        ctx?.log?.(`BMC ${this.endpoint} did not answer; retrying (${attempt + 1}/${this.options.retries})`);
      }
    }
  }

  /**
   * One request. Paths come from the BMC's own links (`@odata.id`, action targets, `Location`), so a
   * link to another origin is refused before anything (a token, a password) is sent there.
   */
  private async exchange(method: Method, path: string, body: unknown, headers: Record<string, string>, ctx?: OperationContext): Promise<RedfishResponse> {
    const url = this.onBmc(path);
    if (!url) {
      throw new BmcRequestError(`BMC ${this.endpoint} linked to another host for ${method}; not followed, nothing was sent`, {
        providerCode: 'foreign_link',
      });
    }
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = ctx?.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          method,
          agent: this.agent,
          signal,
          headers: {
            Accept: 'application/json',
            'OData-Version': '4.0',
            ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
            ...headers,
          },
        },
        resolve,
      );
      req.on('error', (err) => reject(this.networkError(err, timeout, ctx)));
      req.end(payload);
    });
    let text: string;
    try {
      text = await readBoundedText(res, { what: `BMC ${this.endpoint} ${method} ${url.pathname}`, limit: MAX_BODY, declaredLength: res.headers['content-length'] });
    } catch (err) {
      res.destroy();
      if (err instanceof ProviderError) throw err;
      throw this.networkError(err as Error, timeout, ctx);
    }
    return { status: res.statusCode ?? 0, headers: res.headers, body: parseBody(text) };
  }

  private networkError(err: Error, timeout: AbortSignal, ctx?: OperationContext): Error {
    if (err instanceof BmcRequestError) return err;
    if (ctx?.signal?.aborted) return err;
    if (timeout.aborted) return new BmcUnreachableError(this.endpoint, `no answer within ${this.options.timeoutMs} ms`, { cause: err });
    const untrusted = untrustedCertificateError(err, this.endpoint);
    if (untrusted) return untrusted;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (UNREACHABLE.has(code)) return new BmcUnreachableError(this.endpoint, code, { cause: err });
    return new BmcRequestError(`BMC ${this.endpoint} request failed: ${err.message}`, { cause: err });
  }
}

function parseBody(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 500);
  }
}
