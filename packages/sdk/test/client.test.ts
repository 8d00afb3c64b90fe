import { describe, expect, it } from 'vitest';
import { createOvermindClient, OvermindApiError } from '../src/index.js';

/** A fetch that answers from a handler and records each request (the SDK's only I/O). */
function fakeFetch(handler: (req: Request) => Response) {
  const seen: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    seen.push(req);
    return handler(req);
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}
const json = (status: number, body: unknown, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
const job = (state: string) => ({ id: 'j1', state, type: 'node.reboot' });

describe('createOvermindClient', () => {
  it('sends the token from login, or from getToken on every request', async () => {
    const api = fakeFetch((req) =>
      req.url.endsWith('/auth/login') ? json(200, { token: 'tok-1', expiresAt: '', user: {} }) : json(200, { items: [], page: 1, limit: 50, total: 0 }),
    );
    const client = createOvermindClient({ baseUrl: 'http://api.test/', fetch: api.fetch });
    await client.login('admin', 'pw');
    await client.listNodes({ state: 'running' });
    expect(api.seen[1]!.url).toBe('http://api.test/api/v1/nodes?state=running');
    expect(api.seen[1]!.headers.get('authorization')).toBe('Bearer tok-1');

    let current = 'tok-a';
    const dynamic = createOvermindClient({ baseUrl: 'http://api.test', fetch: api.fetch, getToken: () => current });
    await dynamic.listNodes();
    current = 'tok-b';
    await dynamic.listNodes();
    expect(api.seen.slice(2).map((r) => r.headers.get('authorization'))).toEqual(['Bearer tok-a', 'Bearer tok-b']);
    expect(dynamic.eventsUrl()).toBe('http://api.test/api/v1/events?access_token=tok-b');
  });

  it('throws problem+json answers as OvermindApiError with their fields', async () => {
    const problem = { type: 'about:blank', title: 'Conflict', status: 409, detail: 'a job is in progress', requestId: 'r-1', errors: [{ field: 'body.credentials.apiKey', message: 'bad' }] };
    const client = createOvermindClient({ baseUrl: 'http://api.test', fetch: fakeFetch(() => json(409, problem, 'application/problem+json')).fetch });
    const err = (await client.rebootNode('n1').catch((e: unknown) => e)) as OvermindApiError;
    expect(err).toBeInstanceOf(OvermindApiError);
    expect(err).toMatchObject({ status: 409, detail: 'a job is in progress', requestId: 'r-1', message: 'a job is in progress' });
    expect(err.fieldErrors('credentials')).toEqual(['bad']);
  });

  it('keeps the status and request id of answers that are not problem+json', async () => {
    const page = () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html', 'x-request-id': 'r-2' } });
    const client = createOvermindClient({ baseUrl: 'http://api.test', fetch: fakeFetch(page).fetch });
    await expect(client.getJob('j1')).rejects.toMatchObject({ status: 502, requestId: 'r-2', name: 'OvermindApiError' });
  });

  it('waitForJob polls until the job finished, and gives up after timeoutMs', async () => {
    const states = ['queued', 'running', 'succeeded'];
    const client = createOvermindClient({ baseUrl: 'http://api.test', fetch: fakeFetch(() => json(200, job(states.shift() ?? 'succeeded'))).fetch });
    await expect(client.waitForJob('j1', { intervalMs: 1 })).resolves.toMatchObject({ state: 'succeeded' });
    expect(states).toEqual([]);

    const stuck = createOvermindClient({ baseUrl: 'http://api.test', fetch: fakeFetch(() => json(200, job('running'))).fetch });
    await expect(stuck.waitForJob('j1', { timeoutMs: 30, intervalMs: 5 })).rejects.toThrow('job j1 still running after 30 ms');
  });

  it('sends an Idempotency-Key when given one, and waits out a first request still running to get its answer', async () => {
    const body = { providerId: 'p1', name: 'web-1', imageId: 'i', sizeId: 's', locationId: 'l' };
    const busy = { type: 'about:blank', title: 'Conflict', status: 409, detail: 'still being processed', requestId: 'r-3' };
    const answers = [
      () => new Response(JSON.stringify(busy), { status: 409, headers: { 'content-type': 'application/problem+json', 'retry-after': '0.05' } }),
      () => json(202, job('queued')),
    ];
    const api = fakeFetch(() => answers.shift()!());
    const client = createOvermindClient({ baseUrl: 'http://api.test', fetch: api.fetch });
    await expect(client.createNode(body, { idempotencyKey: 'k-1' })).resolves.toMatchObject({ id: 'j1' });
    expect(api.seen.map((r) => [r.method, r.headers.get('idempotency-key')])).toEqual([['POST', 'k-1'], ['POST', 'k-1']]);
    expect(await api.seen[1]!.json()).toEqual(body);

    // Without a key nothing is sent, and a plain 409 is an error at once.
    const plain = fakeFetch(() => json(409, { ...busy, detail: 'a job is in progress' }, 'application/problem+json'));
    const other = createOvermindClient({ baseUrl: 'http://api.test', fetch: plain.fetch });
    await expect(other.createNode(body)).rejects.toMatchObject({ status: 409, detail: 'a job is in progress' });
    expect(plain.seen.map((r) => r.headers.has('idempotency-key'))).toEqual([false]);

    // A first request that stays in progress past the wait ends as the 409.
    const stuck = fakeFetch(() => new Response(JSON.stringify(busy), { status: 409, headers: { 'content-type': 'application/problem+json', 'retry-after': '0.05' } }));
    const impatient = createOvermindClient({ baseUrl: 'http://api.test', fetch: stuck.fetch });
    await expect(impatient.createProvider({ name: 'p', type: 'dummy', credentials: {} }, { idempotencyKey: 'k-2', inProgressTimeoutMs: 300 })).rejects.toMatchObject({ status: 409 });
    expect(stuck.seen.length).toBeGreaterThanOrEqual(2);
    expect(stuck.seen.length).toBeLessThanOrEqual(7);
  });
});
