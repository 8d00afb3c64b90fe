import { setTimeout as sleep } from 'node:timers/promises';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../src/db/entities/index.js';
import { expectProblem } from './support/api-routes.js';
import { PASSWORDS, createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ worker: false });
});
afterAll(() => t?.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const as = (who: Role | string, method: Method, url: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, payload, headers: { authorization: `Bearer ${who in t.tokens ? t.tokens[who as Role] : who}` } });
const login = (username: string, password: string, remoteAddress = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress });
const me = (token: string) => as(token, 'GET', '/auth/me');

async function createUser(username: string, role: Role, password = `${username}-password`) {
  const res = await as('admin', 'POST', '/users', { username, password, role });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; username: string; role: Role };
}

/** Sees a request as it is after the per-process user cache (5 s) has expired. */
async function pastUserCache<T>(fn: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 6_000 });
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
  }
}

/** The audit event the request `res` wrote for `action`. */
async function audited(res: LightMyRequestResponse, action: string) {
  const page = (await as('admin', 'GET', `/audit-events?action=${action}&limit=200`)).json();
  const event = page.items.find((e: { requestId: string }) => e.requestId === res.headers['x-request-id']);
  expect(event, `no ${action} audit event for request ${res.headers['x-request-id']}`).toBeDefined();
  return event;
}

describe('users', () => {
  it('an admin creates, reads, changes and deletes a user, each audited', async () => {
    const created = await as('admin', 'POST', '/users', { username: 'alice', password: 'alice-password', role: 'observer' });
    expect(created.statusCode).toBe(201);
    const alice = created.json();
    expect(Object.keys(alice).sort()).toEqual(['createdAt', 'id', 'role', 'updatedAt', 'username']);
    expect(await audited(created, 'user.create')).toMatchObject({ actorId: t.userIds.admin, actorName: 'admin', targetType: 'user', targetId: alice.id, ip: '127.0.0.1', outcome: 'success' });

    const duplicate = await as('admin', 'POST', '/users', { username: 'ALICE', password: 'other-password', role: 'admin' });
    expect(expectProblem(duplicate, 409).detail).toBe('Username "ALICE" is taken');
    expect((await as('admin', 'GET', `/users/${alice.id}`)).json()).toEqual(alice);
    expect((await as('admin', 'GET', '/users?search=LIC')).json()).toMatchObject({ total: 1, items: [alice] });

    const promoted = await as('admin', 'PATCH', `/users/${alice.id}`, { role: 'operator' });
    expect(promoted.json().role).toBe('operator');
    expect(await audited(promoted, 'user.update')).toMatchObject({ targetId: alice.id, details: { role: 'operator', passwordChanged: false } });
    const session = (await login('alice', 'alice-password')).json().token;
    expect((await me(session)).json()).toMatchObject({ username: 'alice', role: 'operator' });
    expectProblem(await as(session, 'GET', '/users'), 403);

    const deleted = await as('admin', 'DELETE', `/users/${alice.id}`);
    expect(deleted.statusCode).toBe(204);
    expect(await audited(deleted, 'user.delete')).toMatchObject({ targetId: alice.id, details: { username: 'alice' } });
    expectProblem(await as('admin', 'GET', `/users/${alice.id}`), 404);
    expectProblem(await login('alice', 'alice-password'), 401);
    expectProblem(await pastUserCache(() => me(session)), 401);
  });

  it('a password reset ends the sessions issued before it, even within the same second', async () => {
    // Start at the top of a second so that creation, login and reset share it.
    await sleep(1000 - (Date.now() % 1000));
    const bob = await createUser('bob', 'observer', 'bob-first-password');
    const session = (await login('bob', 'bob-first-password')).json().token;
    const reset = await as('admin', 'PATCH', `/users/${bob.id}`, { password: 'bob-second-password' });
    expect(reset.statusCode).toBe(200);
    expect(await audited(reset, 'user.update')).toMatchObject({ targetId: bob.id, details: { passwordChanged: true } });
    expectProblem(await login('bob', 'bob-first-password'), 401);
    const fresh = (await login('bob', 'bob-second-password')).json().token;
    expect((await me(fresh)).statusCode).toBe(200);
    const old = expectProblem(await pastUserCache(() => me(session)), 401);
    expect(old.detail).toBe('Token is no longer valid: log in again');
  });

  it('a user changes their own password with the current one', async () => {
    await createUser('carol', 'observer', 'carol-first-password');
    const session = (await login('carol', 'carol-first-password')).json().token;
    const wrong = await as(session, 'POST', '/auth/password', { currentPassword: 'not-it', newPassword: 'carol-second-password' });
    expect(expectProblem(wrong, 401).detail).toBe('Current password is wrong');
    const changed = await as(session, 'POST', '/auth/password', { currentPassword: 'carol-first-password', newPassword: 'carol-second-password' });
    expect(changed.statusCode, changed.body).toBe(204);
    expect(await audited(changed, 'user.update')).toMatchObject({ actorName: 'carol', details: { passwordChanged: true } });
    expectProblem(await login('carol', 'carol-first-password'), 401);
    expect((await login('carol', 'carol-second-password')).statusCode).toBe(200);
  });

  it('the last admin can be neither deleted nor demoted; a second admin makes it possible', async () => {
    expect(expectProblem(await as('admin', 'DELETE', `/users/${t.userIds.admin}`), 409).detail).toMatch(/last admin/);
    expectProblem(await as('admin', 'PATCH', `/users/${t.userIds.admin}`, { role: 'operator' }), 409);
    expect((await as('admin', 'GET', `/users/${t.userIds.admin}`)).json().role).toBe('admin');

    const second = await createUser('root2', 'admin');
    const root2 = (await login('root2', 'root2-password')).json().token;
    expect((await as(root2, 'PATCH', `/users/${t.userIds.admin}`, { role: 'operator' })).json().role).toBe('operator');
    expectProblem(await as(root2, 'DELETE', `/users/${second.id}`), 409);
    expectProblem(await as(root2, 'PATCH', `/users/${second.id}`, { role: 'observer' }), 409);
    expect((await as(root2, 'PATCH', `/users/${t.userIds.admin}`, { role: 'admin' })).json().role).toBe('admin');
    expect((await as('admin', 'DELETE', `/users/${second.id}`)).statusCode).toBe(204);
  });
});

describe('login', () => {
  it('refuses a wrong password or an unknown user alike, and audits the failure', async () => {
    const wrong = await login('operator', 'wrong-password', '192.0.2.1');
    expect(expectProblem(wrong, 401).detail).toBe('Wrong username or password');
    expect(expectProblem(await login('nobody', 'wrong-password', '192.0.2.1'), 401).detail).toBe('Wrong username or password');
    expect(await audited(wrong, 'auth.login')).toMatchObject({ actorName: 'operator', outcome: 'failure', ip: '192.0.2.1', targetId: null });
    const ok = await login('operator', PASSWORDS.operator, '192.0.2.1');
    expect(await audited(ok, 'auth.login')).toMatchObject({ actorId: t.userIds.operator, outcome: 'success', ip: '192.0.2.1', targetId: t.userIds.operator });
  });

  it('limits failures per username and address: 5, then 429 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) expectProblem(await login('operator', 'wrong-password', '192.0.2.10'), 401);
    const limited = await login('operator', PASSWORDS.operator, '192.0.2.10');
    expectProblem(limited, 429);
    expect(limited.headers['retry-after']).toBe('300');
    expect((await login('OPERATOR', PASSWORDS.operator, '192.0.2.10')).statusCode).toBe(429);
    expect((await login('operator', PASSWORDS.operator, '192.0.2.11')).statusCode).toBe(200);
    expect((await login('observer', PASSWORDS.observer, '192.0.2.10')).statusCode).toBe(200);
  });

  it('limits failures per address over all usernames: 30', async () => {
    const fail = (i: number) => login(`ghost-${i}`, 'wrong-password', '192.0.2.20').then((r) => expect(r.statusCode).toBe(401));
    for (let i = 0; i < 29; i += 4) await Promise.all([i, i + 1, i + 2, i + 3].filter((n) => n < 29).map(fail));
    expect((await login('observer', PASSWORDS.observer, '192.0.2.20')).statusCode).toBe(200);
    await fail(29);
    expectProblem(await login('observer', PASSWORDS.observer, '192.0.2.20'), 429);
    expect((await login('observer', PASSWORDS.observer, '192.0.2.21')).statusCode).toBe(200);
  });
});

describe('API tokens', () => {
  const create = async (who: Role, name: string) => {
    const res = await as(who, 'POST', '/tokens', { name, expiresInDays: 30 });
    expect(res.statusCode, res.body).toBe(201);
    return { res, ...(res.json() as { token: { id: string; prefix: string; userId: string }; secret: string }) };
  };

  it('shows the secret once, works as a bearer token, and stops working when revoked', async () => {
    const { res, token, secret } = await create('operator', 'ci');
    expect(secret).toMatch(/^om_[\w-]{32}$/);
    expect(token).toMatchObject({ name: 'ci', prefix: secret.slice(0, 8), userId: t.userIds.operator, revokedAt: null, lastUsedAt: null });
    expect(Date.parse(res.json().token.expiresAt) - Date.now()).toBeGreaterThan(29 * 86400_000);
    expect(await audited(res, 'token.create')).toMatchObject({ actorName: 'operator', targetType: 'token', targetId: token.id });

    expect((await me(secret)).json()).toMatchObject({ username: 'operator', role: 'operator' });
    expectProblem(await as(secret, 'GET', '/users'), 403);
    const listed = await as('operator', 'GET', '/tokens');
    expect(listed.body).not.toContain(secret.slice(8));
    const item = listed.json().items.find((i: { id: string }) => i.id === token.id);
    expect(Object.keys(item).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'userId']);
    expect(item.lastUsedAt).not.toBeNull();

    const revoked = await as('operator', 'DELETE', `/tokens/${token.id}`);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect(await audited(revoked, 'token.revoke')).toMatchObject({ actorName: 'operator', targetId: token.id });
    expect(expectProblem(await me(secret), 401).detail).toBe('API token is unknown, revoked or expired');
  });

  it('refuses an expired token', async () => {
    const { token, secret } = await create('observer', 'short-lived');
    expect((await me(secret)).statusCode).toBe(200);
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    await db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1`, [token.id]);
    await db.end();
    expectProblem(await me(secret), 401);
  });

  it("hides another user's tokens from a non-admin; an admin sees and revokes them", async () => {
    const mine = await create('admin', 'admin-automation');
    const theirs = await create('operator', 'operator-automation');
    const ids = async (who: Role) => (await as(who, 'GET', '/tokens?limit=200')).json().items.map((i: { id: string }) => i.id);
    expect(await ids('operator')).not.toContain(mine.token.id);
    expect(await ids('observer')).not.toContain(theirs.token.id);
    expect(await ids('admin')).toEqual(expect.arrayContaining([mine.token.id, theirs.token.id]));
    expectProblem(await as('operator', 'DELETE', `/tokens/${mine.token.id}`), 404);
    expect((await me(mine.secret)).statusCode).toBe(200);

    const revoked = await as('admin', 'DELETE', `/tokens/${theirs.token.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(await audited(revoked, 'token.revoke')).toMatchObject({ actorName: 'admin', targetId: theirs.token.id });
    expectProblem(await me(theirs.secret), 401);
  });
});
