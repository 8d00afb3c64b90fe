import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

type Directives = Record<string, string[]>;

/**
 * The console is a Vite build: its scripts, styles and assets are files of its own origin, nothing
 * is inline, and it talks to the API (fetch and EventSource) on the same origin. No
 * `upgrade-insecure-requests`: a console reached over plain HTTP on a LAN would stop loading.
 */
export const CONSOLE_CSP: Directives = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
};

/**
 * The console page's own policy: CONSOLE_CSP, plus a nonce fresh for this answer that lets the <style> elements
 * the component library (Mantine) writes at run time apply: its theme variables and responsive layout rules. The
 * page carries the same nonce in `<meta name="style-nonce">` for the library to stamp on them; scripts stay 'self'.
 */
export function consolePageCsp(nonce: string): string {
  return Object.entries({ ...CONSOLE_CSP, 'style-src': [...CONSOLE_CSP['style-src']!, `'nonce-${nonce}'`] })
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join(';');
}

/**
 * Swagger UI at /api/docs: its own files and the logo it inlines as a data: image. Its topbar first
 * draws a logo of its own, an SVG with this one inline <style> (swagger-ui-standalone-preset's
 * `.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}`), allowed by its hash; the
 * browser test fails on any other refusal, e.g. after an upgrade changes it.
 */
export const DOCS_CSP: Directives = {
  ...CONSOLE_CSP,
  'style-src': ["'self'", "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"],
};

/** API answers are data, never documents: nothing may load from them or frame them. */
export const API_CSP: Directives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

const csp = (directives: Directives) => ({ contentSecurityPolicy: { useDefaults: false, directives } });

const OPTIONS = {
  ...csp(CONSOLE_CSP),
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  xFrameOptions: { action: 'deny' as const },
};

/** The headers helmet sets with `options`, as a plain map (it only ever sets or removes headers). */
function headersOf(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = { setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)), removeHeader: () => {} };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, () => {});
  return headers;
}

/**
 * An API answer's security headers, for answers no hook sees: the router's refusals of malformed
 * URLs and the HTTP parser's of malformed or late requests.
 */
export const API_SECURITY_HEADERS = headersOf({ ...OPTIONS, ...csp(API_CSP) });

const CONSOLE_HEADERS = headersOf(OPTIONS);
const DOCS_HEADERS = headersOf({ ...OPTIONS, ...csp(DOCS_CSP) });

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's security headers (set for every route by the security-headers plugin). */
    securityHeaders?: Record<string, string>;
  }
}

/**
 * Security headers on every answer (helmet's): a Content-Security-Policy per kind of route, nosniff,
 * no framing, no referrer, same-origin opener and resource policies, and HSTS (which browsers
 * honour only over HTTPS, e.g. behind a TLS-terminating proxy; not for subdomains, which Overmind
 * does not own). Registered before anything that can answer, including the auth hook's 401s. Each
 * kind's headers are worked out by helmet once, at start: @fastify/helmet with a policy per route
 * built a helmet middleware for every request, a fifth of the node page's own CPU.
 */
export const securityHeadersPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRoute', (route) => {
      const headers = route.url.startsWith('/api/docs') ? DOCS_HEADERS : route.url.startsWith('/api/') ? API_SECURITY_HEADERS : CONSOLE_HEADERS;
      route.config = { ...route.config, securityHeaders: headers } as typeof route.config;
    });
    // Answers of no route (404s) get the console's, as a page would.
    app.addHook('onRequest', (request, reply, done) => {
      reply.headers(request.routeOptions.config.securityHeaders ?? CONSOLE_HEADERS);
      done();
    });
  },
  { name: 'security-headers', fastify: '5.x' },
);
