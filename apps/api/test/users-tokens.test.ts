import { randomBytes, scryptSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../src/db/entities/index.js';
import { verifyPassword } from '../src/lib/password.js';
import { expectProblem } from './support/api-routes.js';
import { PASSWORDS, createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;

// Creating a user, logging in, resetting and confirming a password each cost a real scrypt hash
// (N=2^17: ~0.3 s of a core, many seconds on a busy 2-core machine); tests here do several.
const HASHING = { timeout: 180_000 };

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

async function sql(text: string, params: unknown[] = []) {
  const db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  try {
    return (await db.query(text, params)).rows;
  } finally {
    await db.end();
  }
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

describe('users', HASHING, () => {
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
    // 403, not 401: the session is valid (a 401 would sign the console out).
    expect(expectProblem(wrong, 403).detail).toBe('Password is wrong');
    expect(await audited(wrong, 'auth.confirm-password')).toMatchObject({ actorName: 'carol', outcome: 'failure', details: { purpose: 'password change' } });
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

describe('login', HASHING, () => {
  it('refuses a wrong password or an unknown user alike, and audits the failure', async () => {
    const wrong = await login('operator', 'wrong-password', '192.0.2.1');
    expect(expectProblem(wrong, 401).detail).toBe('Wrong username or password');
    expect(expectProblem(await login('nobody', 'wrong-password', '192.0.2.1'), 401).detail).toBe('Wrong username or password');
    expect(await audited(wrong, 'auth.login')).toMatchObject({ actorName: 'operator', outcome: 'failure', ip: '192.0.2.1', targetId: null });
    const ok = await login('operator', PASSWORDS.operator, '192.0.2.1');
    expect(await audited(ok, 'auth.login')).toMatchObject({ actorId: t.userIds.operator, outcome: 'success', ip: '192.0.2.1', targetId: t.userIds.operator });
  });

  it('refuses a session token whose signature or claims were altered, right after the genuine one passed', async () => {
    // The genuine token is verified once and then found in the verification cache (verified-tokens.ts), keyed by its whole text.
    const genuine = t.tokens.observer;
    expect((await me(genuine)).statusCode).toBe(200);
    const [header, payload, signature] = genuine.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    expect(expectProblem(await me(`${header}.${payload}.${flipped}`), 401).detail).toMatch(/token/i);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin', sub: t.userIds.admin })).toString('base64url');
    expectProblem(await me(`${header}.${forged}.${signature}`), 401);
    expectProblem(await as(`${header}.${forged}.${signature}`, 'GET', '/users'), 401);
    expect((await me(genuine)).json().username).toBe('observer');
  });

  it('limits failures per username and address: 5, then 429 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) expectProblem(await login('operator', 'wrong-password', '192.0.2.10'), 401);
    const limited = await login('operator', PASSWORDS.operator, '192.0.2.10');
    expectProblem(limited, 429);
    // What is left of the 5-minute window that began at the first failure.
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(60);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(300);
    expect((await login('OPERATOR', PASSWORDS.operator, '192.0.2.10')).statusCode).toBe(429);
    expect((await login('operator', PASSWORDS.operator, '192.0.2.11')).statusCode).toBe(200);
    expect((await login('observer', PASSWORDS.observer, '192.0.2.10')).statusCode).toBe(200);
  });

  it('replaces a hash made with weaker scrypt parameters at the next login, keeping sessions', async () => {
    const henry = await createUser('henry', 'observer', 'henry-password');
    // A hash as the previous release made them (N=2^15).
    const salt = randomBytes(16);
    const key = scryptSync('henry-password', salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const weak = `scrypt$32768$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    const [before] = await sql('UPDATE users SET password_hash = $1 WHERE id = $2 RETURNING password_changed_at', [weak, henry.id]);

    const res = await login('henry', 'henry-password');
    expect(res.statusCode, res.body).toBe(200);
    const [after] = await sql('SELECT password_hash, password_changed_at FROM users WHERE id = $1', [henry.id]);
    expect(after.password_hash).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('henry-password', after.password_hash)).toBe(true);
    // Not a password change: the session just issued (and any older one) stays valid.
    expect(after.password_changed_at).toEqual(before.password_changed_at);
    expect((await pastUserCache(() => me(res.json().token))).statusCode).toBe(200);
    expect((await login('henry', 'henry-password')).statusCode).toBe(200);
  });
});

describe('API tokens', HASHING, () => {
  const create = async (who: Role, name: string) => {
    const res = await as(who, 'POST', '/tokens', { name, password: PASSWORDS[who], expiresInDays: 30 });
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

  const mint = (session: string, payload: object, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/v1/tokens', payload, remoteAddress, headers: { authorization: `Bearer ${session}` } });

  it('needs the password again: missing is 400; wrong is 403 and counts against the login limits', async () => {
    const missing = await mint(t.tokens.observer, { name: 'no-password' });
    expect(expectProblem(missing, 400).errors).toEqual([{ field: 'body.password', message: 'is required' }]);
    const wrong = await mint(t.tokens.observer, { name: 'guessed', password: 'not-the-password' }, '192.0.2.30');
    expect(expectProblem(wrong, 403).detail).toBe('Password is wrong');
    expect(await audited(wrong, 'auth.confirm-password')).toMatchObject({
      actorName: 'observer', outcome: 'failure', ip: '192.0.2.30', details: { purpose: 'token.create' },
    });
    // A stolen session guesses no faster than a login: 5 wrong passwords from an address, then 429.
    for (let i = 0; i < 4; i++) expectProblem(await mint(t.tokens.observer, { name: 'guessed', password: `guess-${i}` }, '192.0.2.30'), 403);
    expectProblem(await mint(t.tokens.observer, { name: 'guessed', password: PASSWORDS.observer }, '192.0.2.30'), 429);
    expectProblem(await login('observer', PASSWORDS.observer, '192.0.2.30'), 429);
    const names = (await as('admin', 'GET', '/tokens?limit=200')).json().items.map((i: { name: string }) => i.name);
    expect(names).not.toContain('guessed');
  });

  it('expires after 90 days unless asked otherwise, and not later than the server allows', async () => {
    const res = await as('observer', 'POST', '/tokens', { name: 'default-lifetime', password: PASSWORDS.observer });
    expect(res.statusCode, res.body).toBe(201);
    const left = Date.parse(res.json().token.expiresAt) - Date.now();
    expect(left).toBeGreaterThan(90 * 86400_000 - 600_000);
    expect(left).toBeLessThanOrEqual(90 * 86400_000);
    const tooLong = await as('observer', 'POST', '/tokens', { name: 'too-long', password: PASSWORDS.observer, expiresInDays: 366 });
    expect(expectProblem(tooLong, 400)).toMatchObject({
      detail: 'expiresInDays must be at most 365 on this server',
      errors: [{ field: 'body.expiresInDays', message: 'must be <= 365' }],
    });
  });

  it("an admin's password reset revokes the user's tokens; a role change does not, the token acts with the new role", async () => {
    const erin = await createUser('erin', 'observer', 'erin-first-password');
    const session = (await login('erin', 'erin-first-password')).json().token;
    const minted = await mint(session, { name: 'erin-ci', password: 'erin-first-password' });
    expect(minted.statusCode, minted.body).toBe(201);
    const { token, secret } = minted.json();

    expect((await as('admin', 'PATCH', `/users/${erin.id}`, { role: 'operator' })).statusCode).toBe(200);
    expect((await me(secret)).json()).toMatchObject({ username: 'erin', role: 'operator' });

    const reset = await as('admin', 'PATCH', `/users/${erin.id}`, { password: 'erin-second-password' });
    expect(reset.statusCode).toBe(200);
    expect(await audited(reset, 'user.update')).toMatchObject({ targetId: erin.id, details: { passwordChanged: true, tokensRevoked: 1 } });
    expect(expectProblem(await me(secret), 401).detail).toBe('API token is unknown, revoked or expired');
    const listed = (await as('admin', 'GET', '/tokens?limit=200')).json().items.find((i: { id: string }) => i.id === token.id);
    expect(listed.revokedAt).not.toBeNull();
  });

  it('changing your own password revokes your tokens; deleting a user ends theirs and their sessions', async () => {
    const frank = await createUser('frank', 'observer', 'frank-first-password');
    const session = (await login('frank', 'frank-first-password')).json().token;
    const first = (await mint(session, { name: 'frank-1', password: 'frank-first-password' })).json().secret;
    expect((await me(first)).statusCode).toBe(200);
    const changed = await as(session, 'POST', '/auth/password', { currentPassword: 'frank-first-password', newPassword: 'frank-second-password' });
    expect(changed.statusCode, changed.body).toBe(204);
    expect(await audited(changed, 'user.update')).toMatchObject({ details: { passwordChanged: true, tokensRevoked: 1 } });
    expectProblem(await me(first), 401);

    const fresh = (await login('frank', 'frank-second-password')).json().token;
    const second = (await mint(fresh, { name: 'frank-2', password: 'frank-second-password' })).json().secret;
    expect((await me(second)).statusCode).toBe(200);
    expect((await as('admin', 'DELETE', `/users/${frank.id}`)).statusCode).toBe(204);
    expectProblem(await me(second), 401);
    expectProblem(await me(fresh), 401);
    expect(await sql('SELECT id FROM api_tokens WHERE user_id = $1', [frank.id])).toEqual([]);
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
