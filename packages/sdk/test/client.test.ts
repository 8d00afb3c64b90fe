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
});
