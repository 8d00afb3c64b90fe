import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VALID_BODIES, expectProblem, listOperations, samplePath, wrongTypeFor, type Operation } from './support/api-routes.js';
import { createDummyProvider, createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let ops: Operation[];

beforeAll(async () => {
  t = await createTestApp();
  ops = listOperations(t.app);
});
afterAll(() => t?.close());

// Valid bodies for every body route; validation answers before the handler, so none of them runs.
const BODIES: Record<string, () => Record<string, unknown>> = {
  ...VALID_BODIES,
  changeOwnPassword: () => ({ currentPassword: 'whatever', newPassword: 'a-new-password' }),
};

const bodyOps = () => ops.filter((op) => op.body);
const send = (op: Operation, payload: unknown, extra: Record<string, unknown> = {}) =>
  t.request('admin', { method: op.method as 'POST', url: samplePath(op), payload: payload as object, ...extra });

function fields(res: Awaited<ReturnType<typeof send>>): string[] {
  return (expectProblem(res, 400).errors as { field: string }[]).map((e) => e.field);
}

describe('bad input on every route that takes input', () => {
  it('has a valid sample body for every route that takes one', () => {
    expect(bodyOps().map((op) => op.operationId).sort()).toEqual(Object.keys(BODIES).sort());
  });

  it('an unknown body field is refused by name', async () => {
    for (const op of bodyOps()) {
      const res = await send(op, { ...BODIES[op.operationId]!(), colour: 'red' });
      expect(expectProblem(res, 400).errors, op.operationId).toEqual([{ field: 'body.colour', message: 'is not a known field' }]);
    }
  });

  it('a field of the wrong type is refused by name', async () => {
    for (const op of bodyOps()) {
      for (const [name, schema] of Object.entries(op.body!.properties!)) {
        const res = await send(op, { ...BODIES[op.operationId]!(), [name]: wrongTypeFor(schema) });
        expect(fields(res), `${op.operationId}.${name}`).toContain(`body.${name}`);
      }
    }
  });

  it('a missing required field is refused by name; an empty patch is refused', async () => {
    for (const op of bodyOps()) {
      for (const name of op.body!.required ?? []) {
        const { [name]: _dropped, ...rest } = BODIES[op.operationId]!();
        const res = await send(op, rest);
        expect(expectProblem(res, 400).errors, `${op.operationId}.${name}`).toEqual([{ field: `body.${name}`, message: 'is required' }]);
      }
      if (op.body!.minProperties) expectProblem(await send(op, {}), 400);
    }
  });

  it('refuses a body that is too large, not JSON, malformed or absent', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 1) });
    for (const op of bodyOps()) {
      expect(expectProblem(await send(op, huge, { headers: { 'content-type': 'application/json' } }), 413).detail).toBe('Request body is too large');
      const form = await send(op, 'name=x', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(expectProblem(form, 415).detail).toMatch(/^Unsupported content type "application\/x-www-form-urlencoded"/);
      expectProblem(await send(op, '{"name": "x",', { headers: { 'content-type': 'application/json' } }), 400);
      expectProblem(await send(op, '', { headers: { 'content-type': 'application/json' } }), 400);
      expect(fields(await send(op, undefined)), op.operationId).toEqual(['body']);
    }
  });

  // Fastify parses text/plain by default; the API takes JSON only (see BODY_ERRORS: 415).
  it('refuses a text/plain body with 415', async () => {
    for (const op of bodyOps()) {
      const plain = await send(op, 'name=x', { headers: { 'content-type': 'text/plain' } });
      expect(expectProblem(plain, 415).detail, op.operationId).toBe('Unsupported content type "text/plain": send application/json');
    }
  });

  it('a path id that is not a UUID is refused by name', async () => {
    const withId = ops.filter((op) => op.pathParams.includes('id'));
    expect(withId.length).toBeGreaterThan(20);
    for (const op of withId) {
      const res = await send(op, op.body ? BODIES[op.operationId]!() : undefined, { url: samplePath(op, { id: 'not-a-uuid' }) });
      expect(fields(res), op.operationId).toEqual(['params.id']);
    }
  });

  it('query parameters out of range or of the wrong type are refused by name', async () => {
    const paged = ops.filter((op) => op.query.limit);
    expect(paged.length).toBeGreaterThan(8);
    for (const op of paged) {
      const url = samplePath(op);
      for (const qs of [`limit=${op.query.limit!.maximum! + 1}`, 'limit=0']) {
        expect(fields(await t.request('admin', { method: 'GET', url: `${url}?${qs}` })), `${op.operationId} ${qs}`).toEqual(['querystring.limit']);
      }
      for (const [name, schema] of Object.entries(op.query)) {
        if (schema.type === 'string') continue; // any text is a string
        const res = await t.request('admin', { method: 'GET', url: `${url}?${name}=zz${wrongTypeFor(schema)}` });
        expect(fields(res), `${op.operationId} ${name}`).toContain(`querystring.${name}`);
      }
    }
  });
});

describe('not found', () => {
  it('answers 404 for unknown routes and unknown ids', async () => {
    const route = expectProblem(await t.request('admin', { method: 'GET', url: '/api/v1/nothing-here?x=1' }), 404);
    expect(route.detail).toBe('No route GET /api/v1/nothing-here');
    expectProblem(await t.request(null, { method: 'POST', url: '/api/v1/health' }), 404);
    for (const path of ['nodes', 'providers', 'jobs', 'users']) {
      const id = randomUUID();
      const res = await t.request('admin', { method: 'GET', url: `/api/v1/${path}/${id}` });
      expect(expectProblem(res, 404).detail).toMatch(new RegExp(`^\\w+ ${id} does not exist$`));
    }
    expectProblem(await t.request('admin', { method: 'GET', url: `/api/v1/jobs/${randomUUID()}/logs` }), 404);
    expectProblem(await t.request('admin', { method: 'POST', url: `/api/v1/nodes/${randomUUID()}/reboot` }), 404);
  });
});

describe('provider input the provider or its plugin refuses', () => {
  const create = (body: Record<string, unknown>) =>
    t.request('operator', { method: 'POST', url: '/api/v1/providers', payload: { name: `p-${randomUUID().slice(0, 8)}`, type: 'dummy', ...body } });
  const snapshot = async () => ({
    providers: (await t.request('observer', { method: 'GET', url: '/api/v1/providers?limit=200' })).json(),
    audit: (await t.request('admin', { method: 'GET', url: '/api/v1/audit-events?action=provider.create' })).json().total,
  });

  it('bad credentials: 422 with the provider\'s message, and nothing stored', async () => {
    const before = await snapshot();
    const res = await create({ credentials: { apiKey: 'bad-key-0123456789' } });
    const problem = expectProblem(res, 422);
    expect(problem.detail).toBe('Dummy (in-memory) rejected the credentials: Dummy provider rejected the API key: keys beginning with "bad" are refused');
    expect(problem.errors).toEqual([{ field: 'body.credentials', message: expect.stringContaining('rejected the API key') }]);
    expect(res.body).not.toContain('bad-key-0123456789');
    expect(await snapshot()).toEqual(before);
  });

  it('credentials that fail the plugin\'s schema: 422 naming the field, value not echoed', async () => {
    const wrongType = expectProblem(await create({ credentials: { apiKey: 5 } }), 422);
    expect(wrongType.errors).toEqual([{ field: 'body.credentials.apiKey', message: 'must be string' }]);
    const unknown = expectProblem(await create({ credentials: { apiKey: 'k-1', region: 'secret-region-value' } }), 422);
    expect(unknown.errors).toEqual([{ field: 'body.credentials.region', message: 'is not a known field' }]);
    expect(JSON.stringify(unknown)).not.toContain('secret-region-value');
    const missing = expectProblem(await create({ credentials: {} }), 422);
    expect(missing.errors).toEqual([{ field: 'body.credentials.apiKey', message: 'is required' }]);
    const settings = expectProblem(await create({ credentials: { apiKey: 'k-1' }, settings: { latencyMs: -1 } }), 422);
    expect(settings.errors).toEqual([{ field: 'body.settings.latencyMs', message: 'must be >= 0' }]);
  });

  it('a duplicate name (any case) is a 409; an unknown provider type a 422', async () => {
    const name = `dup-${randomUUID().slice(0, 8)}`;
    expect((await create({ name, credentials: { apiKey: 'k-1' } })).statusCode).toBe(201);
    expect(expectProblem(await create({ name: name.toUpperCase(), credentials: { apiKey: 'k-1' } }), 409).detail).toMatch(/already exists/);
    const unknown = expectProblem(await create({ type: 'no-such-cloud', credentials: {} }), 422);
    expect(unknown.errors).toEqual([{ field: 'body.type', message: 'is not a registered provider type' }]);
  });
});

describe('a server error', () => {
  it('is answered generically with the request id, never with internals, and is logged', async () => {
    const broken = await createTestApp({ worker: false });
    try {
      // Warm the auth cache, so authentication itself does not need the database below.
      expect((await broken.request('admin', { method: 'GET', url: '/api/v1/nodes' })).statusCode).toBe(200);
      const client = new pg.Client({ connectionString: broken.databaseUrl });
      await client.connect();
      await client.query('DROP TABLE nodes CASCADE');
      await client.end();

      const sqlError = await broken.request('admin', { method: 'GET', url: '/api/v1/nodes' });
      await broken.app.db.destroy();
      const noDatabase = await broken.request(null, { method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'x' } });

      for (const [res, cause] of [[sqlError, /relation "nodes" does not exist/], [noDatabase, /not connected/i]] as const) {
        const problem = expectProblem(res, 500);
        expect(Object.keys(problem).sort()).toEqual(['detail', 'requestId', 'status', 'title', 'type']);
        expect(problem.detail).toBe(`Something went wrong on our side. Quote request id ${problem.requestId} when reporting it.`);
        expect(res.body).not.toMatch(/SELECT|relation|nodes|typeorm|connection|\.ts:|\n\s+at /i);
        const logged = broken.logs.map((l) => JSON.parse(l)).find((l) => l.reqId === problem.requestId && l.msg === 'request failed');
        expect(logged, `no error log for ${problem.requestId}`).toBeDefined();
        expect(logged.level).toBe(50);
        expect(logged.err.message).toMatch(cause);
      }
    } finally {
      if (!broken.app.db.isInitialized) await broken.app.db.initialize();
      await broken.close();
    }
  });
});

describe('collections', () => {
  let a: string;
  let b: string;
  const list = async (qs: string) => {
    const res = await t.request('observer', { method: 'GET', url: `/api/v1/nodes?${qs}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: { id: string; name: string; state: string; providerId: string }[]; page: number; limit: number; total: number };
  };
  const names = (page: { items: { name: string }[] }) => page.items.map((n) => n.name);

  beforeAll(async () => {
    // The dummy provider seeds existing-1..N; every tenth is stopped; existing-i has 198.51.0.(i+1) and 10.1.0.(i+1).
    a = (await createDummyProvider(t, { initialNodes: 60 })).id;
    b = (await createDummyProvider(t, { initialNodes: 3 })).id;
  });

  it('pages with a default size of 50 and at most 200, with the right total', async () => {
    const first = await list('');
    expect(first).toMatchObject({ page: 1, limit: 50, total: 63 });
    expect(first.items).toHaveLength(50);
    const second = await list('page=2');
    expect(second).toMatchObject({ page: 2, limit: 50, total: 63 });
    expect(second.items).toHaveLength(13);
    expect(new Set([...first.items, ...second.items].map((n) => n.id)).size).toBe(63);
    expect((await list('limit=200')).items).toHaveLength(63);
    expect(expectProblem(await t.request('observer', { method: 'GET', url: '/api/v1/nodes?limit=201' }), 400).errors[0].field).toBe('querystring.limit');
  });

  it('sorts by name in either order', async () => {
    const expected = Array.from({ length: 60 }, (_, i) => `existing-${i + 1}`).sort();
    expect(names(await list(`providerId=${a}&limit=200`))).toEqual(expected);
    expect(names(await list(`providerId=${a}&limit=200&sort=name&order=desc`))).toEqual([...expected].reverse());
  });

  it('filters by provider, state, tag and search by name or address', async () => {
    const ofB = await list(`providerId=${b}`);
    expect(ofB.total).toBe(3);
    expect(ofB.items.every((n) => n.providerId === b)).toBe(true);

    const stopped = await list(`providerId=${a}&state=stopped`);
    expect(names(stopped).sort()).toEqual(['existing-10', 'existing-20', 'existing-30', 'existing-40', 'existing-50', 'existing-60']);

    const tagged = (await list(`providerId=${a}&search=existing-1&limit=2`)).items;
    for (const node of tagged) {
      expect((await t.request('operator', { method: 'PATCH', url: `/api/v1/nodes/${node.id}`, payload: { tags: ['db', 'eu'] } })).statusCode).toBe(200);
    }
    expect((await list('tag=db')).items.map((n) => n.id).sort()).toEqual(tagged.map((n) => n.id).sort());
    expect((await list('tag=web')).total).toBe(0);

    expect(names(await list('search=EXISTING-42'))).toEqual(['existing-42']);
    expect(names(await list('search=198.51.0.43'))).toEqual(['existing-42']);
    expect(names(await list('search=10.1.0.43'))).toEqual(['existing-42']);
    expect((await list('search=existing-2')).total).toBe(12); // 2 and 20-29 of A, 2 of B
    expect((await list('search=50%25')).total).toBe(0); // % is literal, not a wildcard
  });
});
