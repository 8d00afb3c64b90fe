import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderRegistry } from '../src/modules/providers/provider-registry.js';
import { createCmRegistry } from '../src/modules/cm/cm-registry.js';
import { VALID_BODIES } from './support/api-routes.js';
import { FIXTURE_KITCHEN, kitchenTarGz } from './support/cm-support.js';
import { describeRequest, operationsOf, requestsFor, type FuzzFixtures, type FuzzRequest, type OpenApiDoc } from './support/fuzz-requests.js';
import type { JsonSchema } from './support/schema-arbitrary.js';
import { PASSWORDS, createDummyProvider, createTestApp, createTestDatabase, waitForJob, type TestApp } from './support/test-app.js';

/**
 * Every operation of the app's own OpenAPI document, fed generated requests (valid, boundary and
 * hostile values for path and query parameters and bodies, as each role and with no or bad
 * credentials): none may answer 5xx, and every error is problem+json. FUZZ_RUNS raises the number
 * of requests per operation for a deeper local run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
/** To replay a failure: FUZZ_ONLY=<operationId> FUZZ_SEED=<seed> (both printed with it). */
const ONLY = process.env.FUZZ_ONLY;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

let seedDb: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let baseUrl: string;
let doc: OpenApiDoc;
let kitchenDir: string;
/** Ids of things that exist, by the first path segment that names their collection. */
const existing: Record<string, string[]> = {};
const sshKey = generateKeyPairSync('ed25519', { privateKeyEncoding: { format: 'pem', type: 'pkcs8' }, publicKeyEncoding: { format: 'pem', type: 'spki' } }).privateKey;
/** The kitchen archive is filled in before the first request. */
const fixtures: FuzzFixtures = { existing, imageIds: ['debian-12', 'rocky-9'], kitchen: Buffer.alloc(0), sshKey };

/**
 * Things to act on, made by an app with a worker (dummy provider catalogs, nodes, a kitchen, a server
 * role). The fuzzed app has no worker: the jobs it queues never run, so nothing reaches for the dummy
 * nodes' documentation-range addresses.
 */
beforeAll(async () => {
  seedDb = await createTestDatabase();
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-fuzz-kitchen-'));
  const env = { OVERMIND_KITCHEN_DIR: kitchenDir };
  const seed = await createTestApp({ database: seedDb, env });
  const masterKey = seed.masterKey; // the credentials it seals must open in the fuzzed app
  try {
    const providers = [await createDummyProvider(seed), await createDummyProvider(seed)];
    const nodes: string[] = [];
    for (const [i, provider] of providers.entries()) {
      const res = await seed.request('operator', {
        method: 'POST',
        url: '/api/v1/nodes',
        payload: { providerId: provider.id, name: `fuzz-${i}`, imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1', tags: ['fuzz'] },
      });
      const job = await waitForJob(seed, res.json().id);
      nodes.push(job.targetId);
    }
    fixtures.kitchen = await kitchenTarGz(FIXTURE_KITCHEN);
    const kitchen = await seed.request('operator', { method: 'PUT', url: '/api/v1/kitchen', payload: fixtures.kitchen, headers: { 'content-type': 'application/gzip' } });
    expect(kitchen.statusCode, kitchen.body).toBe(200);
    const role = await seed.request('operator', {
      method: 'POST',
      url: '/api/v1/server-roles',
      payload: { name: 'fuzz-role', providerId: providers[0]!.id, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12', runList: ['role[web]'], ssh: { username: 'root', privateKey: sshKey } },
    });
    expect(role.statusCode, role.body).toBe(201);
    const victim = await seed.request('admin', { method: 'POST', url: '/api/v1/users', payload: { username: 'fuzz-victim', password: 'victim-password', role: 'operator' } });
    const token = await seed.request('observer', { method: 'POST', url: '/api/v1/tokens', payload: { name: 'fuzz', password: PASSWORDS.observer } });
    expect(token.statusCode, token.body).toBe(201);
    const balancer = await seed.request('operator', {
      method: 'POST',
      url: `/api/v1/providers/${providers[0]!.id}/balancers`,
      payload: { name: 'fuzz-lb', port: 80, protocol: 'http', nodeIds: [nodes[0]] },
    });
    expect(balancer.statusCode, balancer.body).toBe(202);
    await waitForJob(seed, balancer.json().job.id);
    const jobs = (await seed.request('admin', { method: 'GET', url: '/api/v1/jobs?limit=20' })).json().items.map((j: { id: string }) => j.id);
    const rule = await seed.request('operator', {
      method: 'POST',
      url: '/api/v1/alert-rules',
      payload: { name: 'fuzz-rule', condition: { kind: 'check', state: 'critical' }, scope: { kind: 'node', nodeId: nodes[0] }, webhook: { url: 'http://127.0.0.1:9/hook', secret: 'fuzz-shared-secret-0123' } },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    // An alert as the evaluator writes one (firing needs check results this app has no agent for).
    const [alert] = await seed.app.db.query(`INSERT INTO alerts (rule_id, rule_name, node_id, state, summary) VALUES ($1, 'fuzz-rule', $2, 'firing', 'x') RETURNING id`, [rule.json().id, nodes[0]]);
    Object.assign(existing, {
      providers: providers.map((p) => p.id),
      nodes,
      jobs,
      'server-roles': [role.json().id],
      users: [victim.json().id],
      tokens: [token.json().token.id],
      'alert-rules': [rule.json().id],
      alerts: [alert.id],
      balancers: [balancer.json().balancer.id],
    });
  } finally {
    await seed.close();
  }
  t = await createTestApp({ database: seedDb, worker: false, env, masterKey });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
}, 180_000);
afterAll(async () => {
  await t?.close();
  await seedDb?.drop();
  await rm(kitchenDir, { recursive: true, force: true });
});

function headersOf(r: FuzzRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  if (r.caller && typeof r.caller === 'string') headers.authorization = `Bearer ${t.tokens[r.caller]}`;
  else if (r.caller) headers.authorization = `Bearer ${r.caller.token}`;
  if (r.contentType) headers['content-type'] = r.contentType;
  return headers;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

async function send(r: FuzzRequest): Promise<Answer> {
  const res = await t.app.inject({ method: r.method as InjectOptions['method'], url: r.url, headers: headersOf(r), payload: r.payload });
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body };
}

/** The event stream never ends by itself: over real HTTP, read the status and headers, then hang up. */
async function sendToStream(r: FuzzRequest): Promise<Answer> {
  const controller = new AbortController();
  try {
    const headers = headersOf(r);
    const res = await fetch(`${baseUrl}${r.url}`, { method: r.method, headers, signal: controller.signal }).catch((err: Error) => {
      // fetch refuses some header values itself (a NUL in a token): nothing reached the server.
      if (err instanceof TypeError && /header/i.test(String(err.cause ?? err.message))) return null;
      throw err;
    });
    if (!res) return { status: 400, contentType: 'application/problem+json', body: '' };
    const body = res.status === 200 ? '' : await res.text();
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body };
  } finally {
    controller.abort();
  }
}

/** Sends raw bytes and reads until the server closes the connection. */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(baseUrl).port), '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

/** What the server logged about a failed request: the error behind a 500. */
function loggedCause(body: string): string {
  const requestId = (() => {
    try {
      return (JSON.parse(body) as { requestId?: string }).requestId;
    } catch {
      return undefined;
    }
  })();
  const line = t.logs.map((l) => JSON.parse(l) as { reqId?: string; msg?: string; err?: { type?: string; message?: string; stack?: string } })
    .find((l) => l.reqId === requestId && l.msg === 'request failed');
  return line?.err ? `${line.err.type}: ${line.err.message}\n${line.err.stack?.split('\n').slice(1, 6).join('\n')}` : 'nothing logged';
}

function check(r: FuzzRequest, answer: Answer) {
  if (answer.status >= 500) throw new Error(`${answer.status} for ${describeRequest(r)}\n  answered: ${answer.body.slice(0, 400)}\n  cause: ${loggedCause(answer.body)}`);
  if (answer.status >= 400 && !answer.contentType.startsWith('application/problem+json')) {
    throw new Error(`${answer.status} without problem+json (${answer.contentType}) for ${describeRequest(r)}`);
  }
}

describe('every operation of the OpenAPI document, fuzzed', () => {
  it('covers them all', () => {
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(50);
    expect(ops.filter((op) => op.stream).map((op) => op.operationId)).toEqual(['streamEvents']);
  });

  it('never answers 5xx, and every error is problem+json', async () => {
    const failures: string[] = [];
    const succeeded = new Set<string>();
    // Deletions last, so the things the other operations act on still exist for them.
    const ops = operationsOf(doc)
      .filter((o) => !ONLY || o.operationId === ONLY)
      .sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    for (const op of ops) {
      const result = await fc.check(
        fc.asyncProperty(requestsFor(op, fixtures), async (r) => {
          const answer = op.stream ? await sendToStream(r) : await send(r);
          if (answer.status < 300) succeeded.add(op.operationId);
          check(r, answer);
        }),
        { numRuns: op.stream ? Math.ceil(RUNS / 3) : RUNS, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
      if (result.failed) failures.push(`${op.operationId} (seed ${result.seed}): ${String((result.errorInstance as Error | undefined)?.message ?? result.counterexample)}`);
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
    // The requests reach the handlers, not only the refusals: most operations answered 2xx at least
    // once (those that cannot here: the dedicated-server ones with no such provider, actions behind
    // a job the worker-less app never runs, logins with made-up passwords).
    if (!ONLY) {
      const missed = ops.filter((o) => !succeeded.has(o.operationId)).map((o) => o.operationId);
      expect(succeeded.size, `never succeeded: ${missed.join(', ')}`).toBeGreaterThanOrEqual(32);
    }
  }, 300_000);

  it('numeric parameters out of any range are refused, never a 5xx', async () => {
    const failures: string[] = [];
    const texts = ['1e300', '-1e300', '1e400', 'Infinity', '-Infinity', 'NaN', '9'.repeat(400), '9007199254740993', '-1', '0x10', '1.5'];
    for (const op of operationsOf(doc).filter((o) => !o.stream)) {
      for (const param of op.params.filter((p) => p.in === 'query' && (p.schema.type === 'integer' || p.schema.type === 'number'))) {
        for (const text of texts) {
          const r: FuzzRequest = {
            caller: 'admin',
            method: op.method,
            url: `${op.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'id' ? existing[op.path.split('/')[3]!]?.[0] ?? randomUUID() : 'debian-12'))}?${param.name}=${encodeURIComponent(text)}`,
            ...(op.body ? { contentType: 'application/json', payload: '{}' } : {}),
          };
          const answer = await send(r);
          try {
            check(r, answer);
          } catch (err) {
            failures.push((err as Error).message);
          }
        }
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 120_000);

  it('free-form objects nested too deep, and text Postgres cannot store, are refused by name', async () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const failures: string[] = [];
    for (const op of operationsOf(doc).filter((o) => o.body?.types.includes('application/json'))) {
      const base = { ...(VALID_BODIES[op.operationId]?.() ?? {}) };
      if ('providerId' in base) base.providerId = existing.providers![0];
      const url = op.path.replace(/\{id\}/, existing[op.path.split('/')[3]!]?.[0] ?? randomUUID());
      const cases: [field: string, payload: string, expected: number | 'not 5xx'][] = [];
      for (const [name, schema] of Object.entries(op.body!.schema.properties ?? {})) {
        const withField = (json: string) => JSON.stringify({ ...base, [name]: '@@' }).replace('"@@"', json);
        if (schema.type === 'object' && schema.additionalProperties) {
          cases.push([`body.${name}`, withField(`{"a":${nested(62)}}`), 'not 5xx']);
          for (const depth of [64, 5_000, 200_000]) cases.push([`body.${name}`, withField(`{"a":${nested(depth)}}`), 400]);
          cases.push([`body.${name}.a`, withField('{"a":"nul \\u0000 here"}'), 400]);
          cases.push([`body.${name}.a.0`, withField('{"a":["half \\ud800 a pair"]}'), 400]);
          cases.push([`body.${name}`, withField('{"\\u0000":1}'), 400]);
        }
        if (schema.type === 'string' && !schema.format && !schema.enum) cases.push([`body.${name}`, withField('"a\\u0000b"'), 400]);
      }
      for (const [field, payload, expected] of cases) {
        const r: FuzzRequest = { caller: 'admin', method: op.method, url, contentType: 'application/json', payload };
        const answer = await send(r);
        try {
          check(r, answer);
          if (expected !== 'not 5xx') {
            expect(answer.status).toBe(expected);
            expect(JSON.parse(answer.body).errors[0].field).toBe(field);
          }
        } catch (err) {
          failures.push(`${op.operationId} ${field}: ${(err as Error).message.slice(0, 300)}`);
        }
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 120_000);

  it('malformed URLs, NUL and broken Unicode in paths and queries are refused as problem+json', async () => {
    const node = existing.nodes![0];
    const provider = existing.providers![0];
    for (const url of [
      '/api/v1/nodes/%zz',
      '/api/v1/nodes/%E0%A4%A',
      `/api/v1/nodes?search=%00`,
      `/api/v1/audit-events?actor=a%00`,
      `/api/v1/providers/${provider}/images?search=%00`,
      `/api/v1/nodes/${node}?x=%00`,
      `/api/v1/nodes/urn:uuid:${node}`,
      `/api/v1/nodes/{${node}}`,
      `/api/v1/providers/${provider}/images/${'i'.repeat(600)}/favourite`,
      `/api/v1/providers/${provider}/images/a%00b/favourite`,
    ]) {
      const method = url.endsWith('favourite') ? 'PUT' : 'GET';
      const r: FuzzRequest = { caller: 'admin', method, url };
      const answer = await send(r);
      check(r, answer);
      expect(answer.status, `${method} ${url}`).toBe(400);
    }
    // What Node's HTTP parser refuses before the app sees it: the same problem+json, then the socket closes.
    const huge = await fetch(`${baseUrl}/api/v1/nodes?search=${'s'.repeat(20_000)}`);
    expect(huge.status).toBe(431);
    expect(huge.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(huge.headers.get('x-content-type-options')).toBe('nosniff');
    expect(((await huge.json()) as { detail: string }).detail).toBe('The request line and headers are too large');
    const garbage = await rawExchange('NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(garbage).toMatch(/\r\ncontent-type: application\/problem\+json/);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, detail: 'The request is not valid HTTP' });
  });
});

/** Whatever the body limit lets through still has a bound: no number, text or list is unbounded. */
describe('every input has bounds', () => {
  function unbounded(schema: JsonSchema, at: string): string[] {
    const found: string[] = [];
    for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) found.push(...unbounded(alt, at));
    const kinds = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
    if ((kinds.includes('integer') || kinds.includes('number')) && (schema.maximum === undefined || schema.minimum === undefined)) found.push(`${at}: a number without minimum and maximum`);
    if (kinds.includes('string') && !schema.enum && schema.maxLength === undefined) found.push(`${at}: a string without maxLength`);
    if (kinds.includes('array') && schema.maxItems === undefined) found.push(`${at}: an array without maxItems`);
    if (schema.items) found.push(...unbounded(schema.items, `${at}[]`));
    for (const [name, s] of Object.entries(schema.properties ?? {})) found.push(...unbounded(s, `${at}.${name}`));
    return found;
  }

  it('in every route: parameters and JSON bodies', () => {
    const found = operationsOf(doc).flatMap((op) => [
      ...op.params.flatMap((p) => unbounded(p.schema, `${op.operationId} ${p.in}.${p.name}`)),
      ...(op.body?.types.includes('application/json') ? unbounded(op.body.schema, `${op.operationId} body`) : []),
    ]);
    expect(found, found.join('\n')).toEqual([]);
  });

  it('in every plugin schema: numbers have a maximum (a JSON 1e400 is Infinity, an integer to ajv)', async () => {
    const numbersOnly = (schema: JsonSchema, at: string): string[] => unbounded(schema, at).filter((f) => f.includes('number'));
    const providers = await createProviderRegistry().all();
    const cms = await createCmRegistry().all();
    const found = [
      ...providers.flatMap((p) => [
        ...numbersOnly(p.credentialSchema as JsonSchema, `${p.kind} credentials`),
        ...numbersOnly(p.settingsSchema as JsonSchema, `${p.kind} settings`),
        ...(p.registrationSchema ? numbersOnly(p.registrationSchema as JsonSchema, `${p.kind} registration`) : []),
      ]),
      ...cms.flatMap((c) => numbersOnly(c.settingsSchema as JsonSchema, `${c.kind} settings`)),
    ];
    expect(providers.length).toBeGreaterThan(5);
    expect(found, found.join('\n')).toEqual([]);
  });
});
