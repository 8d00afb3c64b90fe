import { ProviderError, type OperationContext } from '@overmind/provider';
import { authenticate, endpointFor, type KeystoneSession } from './keystone-auth.js';
import { errorFor, httpCall, jsonBody, type HttpReply } from './openstack-http.js';
import type { OpenStackCredentials } from './openstack-settings.js';
import type { OsLink } from './openstack-types.js';

export type OpenStackService = 'compute' | 'image' | 'network' | 'load-balancer';

export interface OpenStackClientOptions {
  authUrl: string;
  credentials: OpenStackCredentials;
  region?: string | undefined;
  interface: string;
  computeApiVersion: string;
  requestTimeoutMs: number;
  pageSize: number;
}

export type Query = Record<string, string | number | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  ctx?: OperationContext | undefined;
}

// Re-authenticate this long before the token expires, so a call never starts with a dying token.
const EXPIRY_MARGIN_MS = 60_000;
const MAX_PAGES = 1000;

/** Keystone-authenticated HTTP to Nova and Glance: token cache and re-auth, microversions, pagination, errors. */
export class OpenStackClient {
  readonly #options: OpenStackClientOptions;
  #session: KeystoneSession | undefined;
  #pending: Promise<KeystoneSession> | undefined;

  constructor(options: OpenStackClientOptions) {
    this.#options = options;
  }

  /** A valid token, fetched once and shared by concurrent calls until it nears expiry. */
  session(ctx?: OperationContext): Promise<KeystoneSession> {
    const session = this.#session;
    if (session && session.expiresAt - EXPIRY_MARGIN_MS > Date.now()) return Promise.resolve(session);
    this.#pending ??= this.#authenticate(ctx).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #authenticate(ctx?: OperationContext): Promise<KeystoneSession> {
    const { authUrl, credentials, requestTimeoutMs } = this.#options;
    // No caller signal: the token is shared, so one caller's abort must not fail the others.
    const session = await authenticate(authUrl, credentials, requestTimeoutMs);
    this.#session = session;
    ctx?.log?.(`Keystone token issued, valid until ${new Date(session.expiresAt).toISOString()}`);
    return session;
  }

  /** Any call to a service; resolves to the parsed body, or undefined for an empty one. */
  async request<T>(service: OpenStackService, method: string, path: string, options: RequestOptions = {}): Promise<T | undefined> {
    const reply = await this.#exchange(service, method, path, (base) => withQuery(`${base}${path}`, options.query), options);
    return reply.text.trim() === '' ? undefined : jsonBody<T>(`${service} ${method} ${path}`, reply);
  }

  /** GET that must return a JSON object. */
  async get<T>(service: OpenStackService, path: string, ctx?: OperationContext, query?: Query): Promise<T> {
    const body = await this.request<T>(service, 'GET', path, { ctx, query });
    if (body === undefined) throw new ProviderError(`OpenStack ${service} GET ${path} returned an empty body`);
    return body;
  }

  /** Every page of a Nova list, following the `<key>_links` `next` link to the end. */
  listCompute<T>(path: string, key: string, ctx?: OperationContext, query: Query = {}): Promise<T[]> {
    return this.listLinked<T>('compute', path, key, ctx, query);
  }

  /** Every page of a list that links its next page as `<key>_links` (Nova, Octavia, Neutron). */
  listLinked<T>(service: OpenStackService, path: string, key: string, ctx?: OperationContext, query: Query = {}): Promise<T[]> {
    return this.#paginate<T>(service, path, key, { limit: this.#options.pageSize, ...query }, ctx, (body) =>
      (body[`${key}_links`] as OsLink[] | undefined)?.find((l) => l?.rel === 'next')?.href,
    );
  }

  /** Every page of a Neutron list (`<key>_links` when the cloud paginates, one page when it does not). */
  listNetwork<T>(path: string, key: string, ctx?: OperationContext, query: Query = {}): Promise<T[]> {
    return this.#paginate<T>('network', path, key, query, ctx, (body) =>
      (body[`${key}_links`] as OsLink[] | undefined)?.find((l) => l?.rel === 'next')?.href,
    );
  }

  /** Every page of a Glance v2 list, following the `next` path to the end. */
  listImages<T>(ctx?: OperationContext, query: Query = {}): Promise<T[]> {
    return this.#paginate<T>('image', '/v2/images', 'images', { limit: this.#options.pageSize, ...query }, ctx, (body) =>
      typeof body.next === 'string' ? body.next : undefined,
    );
  }

  async #paginate<T>(
    service: OpenStackService,
    path: string,
    key: string,
    query: Query,
    ctx: OperationContext | undefined,
    nextOf: (body: Record<string, unknown>) => string | undefined,
  ): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let target: ((base: string) => URL) | undefined = (base) => withQuery(`${base}${path}`, query);
    for (let page = 1; target; page++) {
      const reply = await this.#exchange(service, 'GET', path, target, { ctx });
      const body = jsonBody<Record<string, unknown>>(`${service} GET ${path}`, reply);
      const batch = body[key];
      if (!Array.isArray(batch)) throw new ProviderError(`OpenStack ${service} GET ${path} answered without a "${key}" list`);
      items.push(...(batch as T[]));
      const next = nextOf(body);
      if (!next) break;
      if (page >= MAX_PAGES || seen.has(next)) throw new ProviderError(`OpenStack pagination of ${path} does not end`);
      seen.add(next);
      target = (base) => nextPageUrl(base, path, next);
    }
    return items;
  }

  /** Sends with the token; on a 401 re-authenticates once and retries, as the token may have been revoked. */
  async #exchange(
    service: OpenStackService,
    method: string,
    path: string,
    target: (base: string) => URL,
    options: RequestOptions,
  ): Promise<HttpReply> {
    const what = `${service} ${method} ${path}`;
    for (let attempt = 1; ; attempt++) {
      const session = await this.session(options.ctx);
      const base = this.#endpoint(session, service);
      const reply = await httpCall({
        method,
        url: target(base),
        headers: { 'x-auth-token': session.token, ...this.#versionHeaders(service) },
        body: options.body,
        timeoutMs: this.#options.requestTimeoutMs,
        signal: options.ctx?.signal,
        what,
      });
      if (reply.status === 401 && attempt === 1) {
        options.ctx?.log?.(`${what} answered 401; re-authenticating`);
        this.#forget(session);
        continue;
      }
      if (reply.status >= 300) throw errorFor(what, reply);
      return reply;
    }
  }

  #forget(session: KeystoneSession): void {
    if (this.#session === session) this.#session = undefined;
  }

  #endpoint(session: KeystoneSession, service: OpenStackService): string {
    const url = endpointFor(session.catalog, service, this.#options.interface, this.#options.region);
    // Glance and Neutron paths carry their own version; some catalogs register the endpoint with it.
    if (service === 'image') return url.replace(/\/v2$/, '');
    return service === 'network' ? url.replace(/\/v2\.0$/, '') : url;
  }

  #versionHeaders(service: OpenStackService): Record<string, string> {
    if (service !== 'compute') return {};
    const version = this.#options.computeApiVersion;
    return { 'openstack-api-version': `compute ${version}`, 'x-openstack-nova-api-version': version };
  }
}

function withQuery(href: string, query: Query = {}): URL {
  const url = new URL(href);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

/**
 * The next page: the link's query (marker, limit, filters) on the same resource of the catalog
 * endpoint. Nova's absolute links name whatever host and path prefix it believes it has (often
 * wrong behind a proxy), Glance's are relative to its root, and the token must only ever go to
 * the catalog's host.
 */
export function nextPageUrl(base: string, path: string, link: string): URL {
  const { search } = new URL(link, 'http://link.invalid');
  return new URL(`${base}${path}${search}`);
}
