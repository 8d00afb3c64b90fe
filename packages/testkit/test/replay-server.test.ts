import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS, ReplayServer, slow } from '../src/index.js';

let server: ReplayServer;

beforeEach(async () => {
  server = await ReplayServer.start({ fixturesDir: new URL('./fixtures/', import.meta.url), slowMs: 150 });
  server
    .route('GET', '/widgets', server.fixtureResponse('widgets.json'))
    .route('GET', '/widgets/:id', (req) => ({ json: { id: req.params.id } }))
    .route('POST', '/widgets', (req) => ({ status: 201, json: { created: req.json } }));
});

afterEach(() => server.close());

async function get(path: string, init?: RequestInit) {
  const res = await fetch(`${server.url}${path}`, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('ReplayServer', () => {
  it('listens on a free loopback port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('routes by method and pattern and passes route params', async () => {
    const res = await get('/widgets/w%2042');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(res.text)).toEqual({ id: 'w 42' });
    expect((await get('/widgets', { method: 'DELETE' })).status).toBe(418);
  });

  it('serves fixtures with the base URL and variables filled in, fresh each time', async () => {
    const body = JSON.parse((await get('/widgets')).text);
    expect(body.next).toBe(`${server.url}/widgets?page={{page}}`);
    const a = server.fixture<{ next: string; widgets: unknown[] }>('widgets.json', { page: '2' });
    expect(a.next).toBe(`${server.url}/widgets?page=2`);
    a.widgets.length = 0;
    expect(server.fixture<{ widgets: unknown[] }>('widgets.json').widgets).toHaveLength(1);
    expect(server.fixtureText('widget.xml')).toContain(`<self>${server.url}/widgets/w-1</self>`);
    expect(() => server.fixture('missing.json')).toThrow(/ENOENT/);
  });

  it('records method, path, query, headers and body of every request', async () => {
    await get('/widgets?tag=a&tag=b&page=2', { headers: { authorization: 'Bearer t' } });
    await get('/widgets', { method: 'POST', body: JSON.stringify({ name: 'x' }), headers: { 'content-type': 'application/json' } });
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(first).toMatchObject({ method: 'GET', path: '/widgets', query: { tag: ['a', 'b'], page: '2' }, body: '' });
    expect(first!.headers.authorization).toBe('Bearer t');
    expect(second).toMatchObject({ method: 'POST', json: { name: 'x' }, body: '{"name":"x"}' });
    expect(server.requestsTo('POST', '/widgets')).toEqual([second]);
  });

  it('keeps requests that matched no route apart', async () => {
    const res = await get('/nothing/here');
    expect(res.status).toBe(418);
    expect(res.text).toContain('no route for GET /nothing/here');
    expect(server.unmatched.map((r) => r.path)).toEqual(['/nothing/here']);
  });

  it('answers every request from the active scenario until it is cleared', async () => {
    server.scenario = '429';
    const res = await get('/widgets/1');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(server.requests[0]!.scenario).toBe('429');
    for (const [name, status] of [['401', 401], ['403', 403], ['404', 404], ['500', 500]] as const) {
      server.scenario = name;
      expect((await get('/widgets/1')).status).toBe(status);
    }
    server.scenario = null;
    expect((await get('/widgets/1')).status).toBe(200);
    expect(BUILTIN_SCENARIOS).toContain('malformed');
  });

  it('serves a malformed JSON body in the malformed scenario', async () => {
    server.scenario = 'malformed';
    const res = await get('/widgets');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
  });

  it('delays the normal answer in the slow scenario', async () => {
    server.scenario = 'slow';
    const started = performance.now();
    const res = await get('/widgets/9');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(JSON.parse(res.text)).toEqual({ id: '9' });
  });

  it('lets a test redefine a scenario with a provider-shaped body', async () => {
    server.defineScenario('401', { status: 401, json: { id: 'unauthorized', message: 'Unable to authenticate you' } });
    server.scenario = '401';
    expect(JSON.parse((await get('/widgets')).text)).toEqual({ id: 'unauthorized', message: 'Unable to authenticate you' });
    server.scenario = 'nope';
    expect((await get('/widgets')).status).toBe(599);
  });

  it('answers one call from an override, then falls back to the route', async () => {
    server.override('GET', '/widgets/:id', '404', { times: 1 });
    server.override('POST', '/widgets', { status: 500, text: 'boom' }, { times: 2 });
    expect((await get('/widgets/1')).status).toBe(404);
    expect((await get('/widgets/1')).status).toBe(200);
    expect((await get('/widgets', { method: 'POST' })).text).toBe('boom');
    expect((await get('/widgets', { method: 'POST' })).status).toBe(500);
    expect((await get('/widgets', { method: 'POST' })).status).toBe(201);
  });

  it('lets an override wrap the routed answer and beats the scenario', async () => {
    server.override('GET', '/widgets/:id', async (_req, next) => ({ ...(await next()), headers: { 'x-extra': 'yes' } }));
    server.override('GET', '/widgets', slow(50));
    server.scenario = '500';
    const res = await get('/widgets/3');
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(JSON.parse(res.text)).toEqual({ id: '3' });
    expect((await get('/widgets')).status).toBe(200);
  });

  it('adds default headers to every response unless the response sets them', async () => {
    server.defaultHeaders = { 'X-Request-Id': 'req-1', 'x-mode': 'default' };
    server.override('GET', '/widgets', { headers: { 'x-mode': 'override' }, json: {} });
    const res = await get('/widgets');
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(res.headers.get('x-mode')).toBe('override');
  });

  it('replaces a route registered twice and forgets state on reset', async () => {
    server.route('GET', '/widgets/:id', { xml: '<w/>' });
    const res = await get('/widgets/1');
    expect(res.text).toBe('<w/>');
    expect(res.headers.get('content-type')).toBe('application/xml');
    server.scenario = '500';
    server.override('GET', '/widgets', '404');
    server.reset();
    expect(server.requests).toEqual([]);
    expect((await get('/widgets')).status).toBe(200);
  });

  it('closes promptly while a slow response is still pending', async () => {
    server.override('GET', '/widgets', slow(60_000));
    const pending = fetch(`${server.url}/widgets`).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await server.close();
    // Not the 60 s answer, with room for a busy machine.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await pending).toBe('failed');
  });
});
