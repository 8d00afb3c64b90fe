import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/db/entities/index.js';
import { expectProblem } from './support/api-routes.js';
import { PASSWORDS, createDummyProvider, createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let providerId: string;
let sql: pg.Client;

beforeAll(async () => {
  t = await createTestApp();
  providerId = (await createDummyProvider(t)).id;
  sql = new pg.Client({ connectionString: t.databaseUrl });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await t?.close();
});

const nodeBody = (name: string) => ({ providerId, name, imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' });

function createNode(key: string | undefined, body: object, role: Role = 'operator', app: TestApp = t) {
  return app.request(role, { method: 'POST', url: '/api/v1/nodes', payload: body, headers: key === undefined ? {} : { 'idempotency-key': key } });
}

/** How many nodes (any state) are named `name`. */
async function nodesNamed(name: string): Promise<number> {
  const res = await t.request('observer', { method: 'GET', url: `/api/v1/nodes?search=${name}&includeGone=true&limit=200` });
  return (res.json().items as { name: string }[]).filter((n) => n.name === name).length;
}

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** 409 "still in progress" with Retry-After, or the one 202 (first or replayed). */
function expectCreatedOrInProgress(res: LightMyRequestResponse) {
  if (res.statusCode === 409) {
    expect(expectProblem(res, 409).detail).toMatch(/still being processed/);
    expect(res.headers['retry-after']).toBe('1');
  } else {
    expect(res.statusCode, res.body).toBe(202);
  }
}

describe('Idempotency-Key on creating requests', () => {
  it('makes one node of concurrent identical POST /nodes with the same key; every answer is that node or "retry"', async () => {
    const name = unique('same');
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 6 }, () => createNode(key, nodeBody(name))));
    answers.forEach(expectCreatedOrInProgress);
    const created = answers.filter((r) => r.statusCode === 202);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body)).size).toBe(1);
    expect(await nodesNamed(name)).toBe(1);
  });

  it('answers a repeat after completion with the first status, body and Location, marked as replayed', async () => {
    const name = unique('replay');
    const key = `"${randomUUID()}"`; // the draft's quoted form: the quotes are part of the key
    const first = await createNode(key, nodeBody(name));
    expect(first.statusCode, first.body).toBe(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // Field order is not part of the request.
    const { name: n, ...rest } = nodeBody(name);
    const again = await createNode(key, { ...rest, name: n });
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.body).toBe(first.body);
    expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(await nodesNamed(name)).toBe(1);
  });

  it('refuses the same key with another body with 422, and runs nothing', async () => {
    const key = randomUUID();
    const name = unique('first');
    expect((await createNode(key, nodeBody(name))).statusCode).toBe(202);
    const other = unique('other');
    const res = await createNode(key, nodeBody(other));
    expect(expectProblem(res, 422).detail).toMatch(/already used for a different request/);
    expect(await nodesNamed(other)).toBe(0);
    expect(await nodesNamed(name)).toBe(1);
  });

  it('keeps keys apart per user and per route', async () => {
    const key = randomUUID();
    const name = unique('per-user');
    const byOperator = await createNode(key, nodeBody(name), 'operator');
    const byAdmin = await createNode(key, nodeBody(name), 'admin');
    expect([byOperator.statusCode, byAdmin.statusCode]).toEqual([202, 202]);
    expect(byAdmin.headers['idempotent-replayed']).toBeUndefined();
    expect(byAdmin.json().id).not.toBe(byOperator.json().id);
    expect(await nodesNamed(name)).toBe(2);

    const token = await t.request('operator', { method: 'POST', url: '/api/v1/tokens', payload: { name: 'same key', password: PASSWORDS.operator }, headers: { 'idempotency-key': key } });
    expect(token.statusCode, token.body).toBe(201);
    expect(token.headers['idempotent-replayed']).toBeUndefined();
  });

  it('changes nothing without the header: two identical POSTs make two nodes', async () => {
    const name = unique('plain');
    const answers = await Promise.all([createNode(undefined, nodeBody(name)), createNode(undefined, nodeBody(name))]);
    expect(answers.map((r) => r.statusCode)).toEqual([202, 202]);
    expect(answers[0]!.json().id).not.toBe(answers[1]!.json().id);
    expect(await nodesNamed(name)).toBe(2);
  });

  it('does not keep a refused request: the client fixes it and retries with the same key', async () => {
    const key = randomUUID();
    const name = unique('fixed');
    const refused = await createNode(key, { ...nodeBody(name), imageId: 'no-such-image' });
    expectProblem(refused, 422);
    const missing = await createNode(key, { ...nodeBody(name), providerId: randomUUID() });
    expectProblem(missing, 404);
    const fixed = await createNode(key, nodeBody(name));
    expect(fixed.statusCode, fixed.body).toBe(202);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
    expect(await nodesNamed(name)).toBe(1);
  });

  it('accepts 1 to 255 printable ASCII characters as a key; anything else is 400 naming the header', async () => {
    for (const bad of ['k'.repeat(256), 'tab\there', '']) {
      const res = await createNode(bad, nodeBody(unique('bad-key')));
      const problem = expectProblem(res, 400);
      expect(problem.errors?.[0]?.field, res.body).toBe('headers.idempotency-key');
    }
    const longest = await createNode('~'.repeat(255), nodeBody(unique('long-key')));
    expect(longest.statusCode, longest.body).toBe(202);
  });

  it('answers 409 with Retry-After while the first request runs, and lets a repeat take over a key whose request died', async () => {
    const key = randomUUID();
    const name = unique('stuck');
    expect((await createNode(key, nodeBody(name))).statusCode).toBe(202);
    // As if the first request were still running (its process alive)...
    await sql.query(`UPDATE idempotency_keys SET status = NULL, response = NULL, locked_until = now() + interval '1 minute' WHERE key = $1`, [key]);
    const busy = await createNode(key, nodeBody(name));
    expect(expectProblem(busy, 409).detail).toMatch(/still being processed/);
    expect(busy.headers['retry-after']).toBe('1');
    // ...another body is still refused...
    expectProblem(await createNode(key, nodeBody(unique('stuck-other'))), 422);
    // ...and once its lease is over (the process died), the same request runs again.
    await sql.query(`UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE key = $1`, [key]);
    const rerun = await createNode(key, nodeBody(name));
    expect(rerun.statusCode).toBe(202);
    expect(rerun.headers['idempotent-replayed']).toBeUndefined();
    expect(await nodesNamed(name)).toBe(2);
  });

  it('forgets keys after they expire, and purges them', async () => {
    const key = randomUUID();
    const name = unique('expired');
    expect((await createNode(key, nodeBody(name))).statusCode).toBe(202);
    await sql.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
    const fresh = await createNode(key, nodeBody(name));
    expect(fresh.statusCode).toBe(202);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(await nodesNamed(name)).toBe(2);

    await sql.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
    const live = randomUUID();
    expect((await createNode(live, nodeBody(unique('live')))).statusCode).toBe(202);
    expect(await t.app.services.idempotency.purgeExpired()).toBeGreaterThanOrEqual(1);
    const left = await sql.query('SELECT key FROM idempotency_keys WHERE key = ANY($1)', [[key, live]]);
    expect(left.rows).toEqual([{ key: live }]);
  });

  it('replays a minted API token to its owner, without keeping its secret readable in the database', async () => {
    const key = randomUUID();
    const mint = () => t.request('observer', { method: 'POST', url: '/api/v1/tokens', payload: { name: 'ci', password: PASSWORDS.observer }, headers: { 'idempotency-key': key } });
    const first = await mint();
    expect(first.statusCode, first.body).toBe(201);
    const { secret, token } = first.json();
    const again = await mint();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual({ secret, token });
    const listed = (await t.request('observer', { method: 'GET', url: '/api/v1/tokens' })).json().items as { name: string }[];
    expect(listed.filter((x) => x.name === 'ci')).toHaveLength(1);

    const { rows } = await sql.query(`SELECT t::text AS row FROM idempotency_keys t WHERE key = $1`, [key]);
    expect(rows).toHaveLength(1);
    expect(rows[0].row).not.toContain(secret);
    expect(rows[0].row).not.toContain(token.id);
  });

  it('makes one node across API processes sharing the database', async () => {
    const other = await createTestApp({ worker: false, database: { url: t.databaseUrl, drop: async () => {} }, masterKey: t.masterKey });
    try {
      const name = unique('two-apis');
      const key = randomUUID();
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => createNode(key, nodeBody(name), 'operator', i % 2 === 0 ? t : other)),
      );
      answers.forEach(expectCreatedOrInProgress);
      expect(new Set(answers.filter((r) => r.statusCode === 202).map((r) => r.body)).size).toBe(1);
      expect(await nodesNamed(name)).toBe(1);
      const later = await createNode(key, nodeBody(name), 'operator', other);
      expect(later.statusCode).toBe(202);
      expect(later.headers['idempotent-replayed']).toBe('true');
    } finally {
      await other.close();
    }
  });

  it('declares the header on every creating POST, and only there', () => {
    const doc = t.app.swagger() as unknown as { paths: Record<string, Record<string, { operationId: string; parameters?: { in: string; name: string; required?: boolean }[] }>> };
    const withHeader = Object.values(doc.paths)
      .flatMap((methods) => Object.values(methods))
      .filter((op) => op.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key' && !p.required))
      .map((op) => op.operationId)
      .sort();
    expect(withHeader).toEqual(
      ['attachBalancerMember', 'cloneConstellation', 'createAlertRule', 'createApiToken', 'createBalancer', 'createCheck', 'createConstellation', 'createNode', 'createNodesFromServerRole', 'createProvider', 'createServerRole', 'createUser', 'importConstellation', 'registerNode', 'runCommand'].sort(),
    );
  });
});
