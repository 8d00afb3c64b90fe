import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { match, type MatchFunction } from 'path-to-regexp';
import { builtinScenarios } from './replay-scenarios.js';
import type {
  OverrideOptions,
  ReplayRequest,
  ReplayResponse,
  ReplayServerOptions,
  Responder,
} from './replay-types.js';

interface Matcher {
  method: string;
  pattern: string;
  test: MatchFunction<Partial<Record<string, string | string[]>>>;
}

interface Route extends Matcher {
  responder: Responder;
}

interface Override extends Route {
  remaining: number;
}

function matcher(method: string, pattern: string): Matcher {
  return { method: method.toUpperCase(), pattern, test: match(pattern, { decode: decodeURIComponent }) };
}

function paramsOf(matcher: Matcher, method: string, path: string): Record<string, string> | undefined {
  if (matcher.method !== method) return undefined;
  const result = matcher.test(path);
  if (!result) return undefined;
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.params)) if (v !== undefined) params[k] = Array.isArray(v) ? v.join('/') : v;
  return params;
}

/**
 * A loopback HTTP server that answers like a provider API from a route table and fixtures, records
 * every request, and can be switched into error scenarios (401, 429, malformed body, slow...).
 */
export class ReplayServer {
  /** Every request received, oldest first. */
  readonly requests: ReplayRequest[] = [];
  /** Requests that matched no route (answered 418 so a driver cannot mistake them for a real 404). */
  readonly unmatched: ReplayRequest[] = [];
  /** Name of the scenario that answers every request, or null for normal replay. */
  scenario: string | null = null;
  /** Headers added to every response unless the response sets them (rate-limit or request-id headers). */
  defaultHeaders: Record<string, string> = {};
  /** Bytes each `stream` response wrote before it finished or the client hung up, resolved when it stops. */
  readonly streamed: Promise<number>[] = [];

  readonly #server: Server;
  readonly #fixturesDir: string | undefined;
  readonly #routes: Route[] = [];
  readonly #overrides: Override[] = [];
  readonly #scenarios: Map<string, Responder>;
  /** Pending delays, so close() can end them instead of leaving handlers waiting. */
  readonly #delays = new Map<NodeJS.Timeout, () => void>();
  #url = '';

  private constructor(options: ReplayServerOptions) {
    const dir = options.fixturesDir;
    this.#fixturesDir = dir instanceof URL ? fileURLToPath(dir) : dir;
    this.#scenarios = builtinScenarios(options.slowMs ?? 1000);
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  /** Starts a server on 127.0.0.1 with a free port. */
  static async start(options: ReplayServerOptions = {}): Promise<ReplayServer> {
    const replay = new ReplayServer(options);
    await new Promise<void>((resolve, reject) => {
      replay.#server.once('error', reject);
      replay.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = replay.#server.address() as AddressInfo;
    replay.#url = `http://127.0.0.1:${port}`;
    return replay;
  }

  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  get url(): string {
    return this.#url;
  }

  /** Adds a route; a second route with the same method and pattern replaces the first. */
  route(method: string, pattern: string, responder: Responder): this {
    const route = { ...matcher(method, pattern), responder };
    const i = this.#routes.findIndex((r) => r.method === route.method && r.pattern === pattern);
    if (i >= 0) this.#routes[i] = route;
    else this.#routes.push(route);
    return this;
  }

  /** Answers matching requests with `responder` ahead of routes and scenario, `times` times (default: always). */
  override(method: string, pattern: string, responder: Responder, options: OverrideOptions = {}): this {
    this.#overrides.push({ ...matcher(method, pattern), responder, remaining: options.times ?? Infinity });
    return this;
  }

  /** Defines or redefines a named scenario (e.g. a `401` with the provider's own error body). */
  defineScenario(name: string, responder: Responder): this {
    this.#scenarios.set(name, responder);
    return this;
  }

  /** Recorded requests matching a method and path pattern. */
  requestsTo(method: string, pattern: string): ReplayRequest[] {
    const m = matcher(method, pattern);
    return this.requests.filter((r) => paramsOf(m, r.method, r.path) !== undefined);
  }

  /** A fixture's text with `{{baseUrl}}` and `{{name}}` placeholders filled in. */
  fixtureText(name: string, vars: Record<string, string> = {}): string {
    if (!this.#fixturesDir) throw new Error(`ReplayServer has no fixturesDir; cannot load fixture ${name}`);
    const raw = readFileSync(join(this.#fixturesDir, name), 'utf8');
    const values: Record<string, string> = { baseUrl: this.#url, ...vars };
    return raw.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
  }

  /** A JSON fixture, parsed afresh on each call so handlers may change it. */
  fixture<T = unknown>(name: string, vars?: Record<string, string>): T {
    return JSON.parse(this.fixtureText(name, vars)) as T;
  }

  /** A handler answering with a JSON fixture, loaded when the request arrives. */
  fixtureResponse(name: string, init: Omit<ReplayResponse, 'json'> = {}): Responder {
    return () => ({ ...init, json: this.fixture(name) });
  }

  /** Forgets requests, overrides and the scenario; routes stay. */
  reset(): void {
    this.requests.length = 0;
    this.unmatched.length = 0;
    this.#overrides.length = 0;
    this.scenario = null;
  }

  async close(): Promise<void> {
    for (const [timer, resolve] of this.#delays) {
      clearTimeout(timer);
      resolve();
    }
    this.#delays.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const request = await this.#record(req);
      const response = await this.#respond(request);
      if (response.delayMs) await this.#delay(response.delayMs);
      if (res.destroyed) return;
      this.#write(res, response);
    } catch (err) {
      if (!res.headersSent && !res.destroyed) this.#write(res, { status: 599, text: `replay server error: ${String(err)}` });
    }
  }

  async #record(req: IncomingMessage): Promise<ReplayRequest> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.#url);
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) {
      const prev = query[k];
      query[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
    }
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const request: ReplayRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      params: {},
      query,
      headers: req.headers,
      body,
      json,
      scenario: this.scenario,
    };
    this.requests.push(request);
    return request;
  }

  #respond(request: ReplayRequest): Promise<ReplayResponse> {
    const route = this.#routes.find((r) => paramsOf(r, request.method, request.path) !== undefined);
    if (route) request.params = paramsOf(route, request.method, request.path) ?? {};
    const noRoute = async (): Promise<ReplayResponse> => {
      this.unmatched.push(request);
      return { status: 418, text: `replay: no route for ${request.method} ${request.path}` };
    };
    const routed = () => (route ? this.#run(route.responder, request, noRoute) : noRoute());
    const override = this.#overrides.find((o) => o.remaining > 0 && paramsOf(o, request.method, request.path));
    if (override) {
      override.remaining--;
      return this.#run(override.responder, request, routed);
    }
    if (this.scenario !== null) return this.#run(this.scenario, request, routed);
    return routed();
  }

  async #run(responder: Responder, request: ReplayRequest, next: () => Promise<ReplayResponse>): Promise<ReplayResponse> {
    if (typeof responder === 'string') {
      const named = this.#scenarios.get(responder);
      if (named === undefined) throw new Error(`unknown replay scenario "${responder}"`);
      return this.#run(named, request, next);
    }
    if (typeof responder === 'function') return responder(request, next);
    return structuredClone(responder);
  }

  #delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#delays.delete(timer);
        resolve();
      }, ms);
      this.#delays.set(timer, resolve);
    });
  }

  #write(res: ServerResponse, response: ReplayResponse): void {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.defaultHeaders)) headers[k.toLowerCase()] = v;
    let body = '';
    if (response.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(response.json);
    } else if (response.xml !== undefined) {
      headers['content-type'] = 'application/xml';
      body = response.xml;
    } else if (response.text !== undefined) {
      headers['content-type'] = 'text/plain; charset=utf-8';
      body = response.text;
    }
    for (const [k, v] of Object.entries(response.headers ?? {})) headers[k.toLowerCase()] = v;
    if (response.stream) return void this.streamed.push(this.#stream(res, response.status ?? 200, headers, body, response.stream));
    res.writeHead(response.status ?? 200, headers);
    res.end(body);
  }

  async #stream(res: ServerResponse, status: number, headers: Record<string, string>, body: string, stream: NonNullable<ReplayResponse['stream']>): Promise<number> {
    res.on('error', () => undefined);
    if (stream.declareLength) {
      res.writeHead(status, { ...headers, 'content-length': String(stream.bytes) });
      res.write(body.slice(0, 1) || ' ');
      return 1;
    }
    res.writeHead(status, headers);
    res.write(body);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    while (sent < stream.bytes && !res.destroyed) {
      const more = res.write(chunk.subarray(0, Math.min(chunk.length, stream.bytes - sent)));
      sent += Math.min(chunk.length, stream.bytes - sent);
      if (!more) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done).off('close', done);
            resolve();
          };
          res.on('drain', done).on('close', done);
        });
      }
    }
    if (!res.destroyed) res.end();
    return sent;
  }
}
