import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let dir: string;
let baseUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'overmind-web-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Overmind console</title><script type="module" src="/app.js"></script>');
  await writeFile(join(dir, 'app.js'), 'console.log("console")');
  t = await createTestApp({ worker: false, env: { OVERMIND_WEB_DIR: dir } });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

type Headers = Record<string, string | string[] | number | undefined>;

/** A CSP header as a map of directive to its sources. */
function policy(headers: Headers): Record<string, string[]> {
  const value = headers['content-security-policy'];
  expect(typeof value, 'content-security-policy header').toBe('string');
  return Object.fromEntries(
    String(value)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/** What every answer carries, whatever its kind. */
function expectBaseHeaders(headers: Headers) {
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(headers['strict-transport-security']).toBe('max-age=31536000');
  expect(policy(headers)['frame-ancestors']).toEqual(["'none'"]);
  expect(headers['x-powered-by']).toBeUndefined();
}

describe('security headers', () => {
  it('the console: scripts, styles and connections from its own origin only, nothing inline but styles carrying its nonce', async () => {
    const nonces = new Set<string>();
    for (const url of ['/', '/nodes/1234', '/app.js']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expectBaseHeaders(res.headers);
      const csp = policy(res.headers);
      if (url === '/app.js') expect(csp['style-src']).toEqual(["'self'"]);
      else {
        // The page: a nonce of its own for the <style> elements its scripts write, handed to them in a meta tag.
        const nonce = /<meta name="style-nonce" content="([^"]+)">/.exec(res.body)?.[1];
        expect(nonce, `${url}: style nonce in the page`).toMatch(/^[A-Za-z0-9+/]{24}$/);
        expect(csp['style-src']).toEqual(["'self'", `'nonce-${nonce}'`]);
        expect(res.headers['cache-control']).toBe('no-store');
        nonces.add(nonce!);
      }
      expect(csp).toMatchObject({
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
      });
      expect(String(res.headers['content-security-policy'])).not.toMatch(/unsafe-|upgrade-insecure-requests/);
    }
    expect(nonces.size, 'a fresh nonce per answer').toBe(2);
    // index.html is never served as a plain file, without its nonce.
    const direct = await t.app.inject({ method: 'GET', url: '/index.html' });
    expect(direct.statusCode).toBe(404);
  });

  it('API answers, errors included, allow nothing to load or frame them', async () => {
    const answers = [
      await t.request(null, { method: 'GET', url: '/api/v1/health' }),
      await t.request('observer', { method: 'GET', url: '/api/v1/nodes' }),
      await t.request(null, { method: 'GET', url: '/api/v1/nodes' }), // 401 from the auth hook
      await t.request('observer', { method: 'POST', url: '/api/v1/users', payload: {} }), // 403
      await t.request('observer', { method: 'GET', url: '/api/v1/nodes?page=0' }), // 400
      await t.request(null, { method: 'GET', url: '/api/v1/openapi.json' }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 401, 403, 400, 200]);
    for (const res of answers) {
      expectBaseHeaders(res.headers);
      expect(policy(res.headers)).toEqual({
        'default-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'none'"],
        'frame-ancestors': ["'none'"],
      });
    }
    // An unknown path has no route of its own: it gets the console's policy, and still all the rest.
    const missing = await t.request(null, { method: 'GET', url: '/api/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expectBaseHeaders(missing.headers);
  });

  it('the API docs (Swagger UI) get a policy of their own that lets them load', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui-bundle.js');
    expectBaseHeaders(page.headers);
    expect(policy(page.headers)).toMatchObject({ 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'connect-src': ["'self'"] });
    const bundle = await t.app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
    expectBaseHeaders(bundle.headers);
  });

  it('the event stream carries them too, and still streams', async () => {
    const controller = new AbortController();
    try {
      const res = await fetch(`${baseUrl}/api/v1/events?access_token=${t.tokens.observer}`, { signal: controller.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expectBaseHeaders(Object.fromEntries(res.headers));
      const first = await res.body!.getReader().read();
      expect(new TextDecoder().decode(first.value)).toContain(': connected');
    } finally {
      controller.abort();
    }
  });
});
