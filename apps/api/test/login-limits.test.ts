import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectProblem } from './support/api-routes.js';
import { PASSWORDS, createTestApp, createTestDatabase, type TestApp } from './support/test-app.js';

// Every failed attempt costs a real scrypt hash (N=2^17, ~0.3 s of a core, much more on a busy
// machine), so the tests keep attempts few and time limits wide.
const SLOW = { timeout: 180_000 };

// Two API processes on one database, as `overmind api` scaled out, allowing 10 failures per address
// (OVERMIND_LOGIN_FAILURES_PER_ADDRESS) and the default 5 per username and address. Two more apps
// on the same database trust a proxy, by address and by hop count.
const LIMITS = { OVERMIND_LOGIN_FAILURES_PER_ADDRESS: '10' };
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let a: TestApp;
let b: TestApp;
let proxied: TestApp;
let hops: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  a = await createTestApp({ worker: false, database, env: LIMITS });
  b = await createTestApp({ worker: false, database, env: LIMITS });
  proxied = await createTestApp({ worker: false, database, env: { ...LIMITS, OVERMIND_TRUST_PROXY: '127.0.0.1' } });
  hops = await createTestApp({ worker: false, database, env: { ...LIMITS, OVERMIND_TRUST_PROXY: '1' } });
}, 120_000);
afterAll(async () => {
  for (const t of [a, b, proxied, hops]) await t?.close();
  await database?.drop();
});

const login = (t: TestApp, username: string, password: string, remoteAddress: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress, headers });

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  try {
    return (await db.query(text, params)).rows as T[];
  } finally {
    await db.end();
  }
}

/** Failed logins the audit log holds for an address: each one is a password that was checked. */
async function failuresAudited(ip: string): Promise<number> {
  const [row] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.login' AND outcome = 'failure' AND ip = $1`, [ip]);
  return row!.n;
}

function tally(codes: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of codes) counts[c] = (counts[c] ?? 0) + 1;
  return counts;
}

describe('login limits under concurrency', () => {
  it('60 concurrent wrong passwords for one user over two API processes: exactly 5 are checked', SLOW, async () => {
    const codes = (await Promise.all(
      Array.from({ length: 60 }, (_, i) => login(i % 2 ? a : b, 'operator', `wrong-password-${i}`, '192.0.2.100')),
    )).map((r) => r.statusCode);
    expect(tally(codes)).toEqual({ 401: 5, 429: 55 });
    expect(await failuresAudited('192.0.2.100')).toBe(5);
    // The right password from that address waits too; from another address it works.
    const limited = expectProblem(await login(a, 'operator', PASSWORDS.operator, '192.0.2.100'), 429);
    expect(limited.detail).toMatch(/^Too many failed logins from this address; try again in \d+ (seconds|minutes)$/);
    expect((await login(b, 'operator', PASSWORDS.operator, '192.0.2.101')).statusCode).toBe(200);
  });

  it('when the window ends the address may try again; Retry-After says when that is', async () => {
    // 192.0.2.100 used up its attempts for `operator` in the test before, which began the window.
    const limited = await login(a, 'operator', PASSWORDS.operator, '192.0.2.100');
    expectProblem(limited, 429);
    const wait = Number(limited.headers['retry-after']);
    expect(wait).toBeGreaterThan(60);
    expect(wait).toBeLessThanOrEqual(300);
    await sql(`UPDATE login_attempts SET window_ends_at = now() - interval '1 second' WHERE ip = '192.0.2.100'`);
    expect((await login(b, 'operator', PASSWORDS.operator, '192.0.2.100')).statusCode).toBe(200);
  });
  it('60 concurrent wrong logins under different names from one address: exactly the address limit (10) are checked', SLOW, async () => {
    const codes = (await Promise.all(
      Array.from({ length: 60 }, (_, i) => login(i % 2 ? a : b, `ghost-${i}`, 'wrong-password', '192.0.2.110')),
    )).map((r) => r.statusCode);
    expect(tally(codes)).toEqual({ 401: 10, 429: 50 });
    expect(await failuresAudited('192.0.2.110')).toBe(10);
    expectProblem(await login(a, 'observer', PASSWORDS.observer, '192.0.2.110'), 429);
  });

  it('a right password gives its attempt back', SLOW, async () => {
    expectProblem(await login(a, 'observer', 'wrong-password', '192.0.2.120'), 401);
    for (let i = 0; i < 3; i++) expect((await login(i % 2 ? a : b, 'observer', PASSWORDS.observer, '192.0.2.120')).statusCode).toBe(200);
    // Had the right ones counted, the second of these would already be refused.
    for (let i = 0; i < 4; i++) expectProblem(await login(b, 'observer', 'wrong-password', '192.0.2.120'), 401);
    expectProblem(await login(a, 'observer', PASSWORDS.observer, '192.0.2.120'), 429);
  });


  it('clears ended windows from the table now and then', async () => {
    await sql(`INSERT INTO login_attempts (ip, username, attempts, window_ends_at) VALUES
                 ('192.0.2.230', '', 10, now() + interval '5 minutes'),
                 ('192.0.2.231', 'someone', 3, now() - interval '1 second')`);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    try {
      // Refused before any password is checked; the sweep runs first.
      expectProblem(await login(a, 'someone', 'wrong-password', '192.0.2.230'), 429);
    } finally {
      vi.useRealTimers();
    }
    expect(await sql(`SELECT ip FROM login_attempts WHERE ip IN ('192.0.2.230', '192.0.2.231')`)).toEqual([{ ip: '192.0.2.230' }]);
  });
});

describe('the address a login comes from (OVERMIND_TRUST_PROXY)', () => {
  it('without it, a forged X-Forwarded-For is ignored: the connecting address is counted and audited', SLOW, async () => {
    const codes = (await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(a, 'admin', 'wrong-password', '192.0.2.140', { 'x-forwarded-for': `192.0.2.${150 + i}` })),
    )).map((r) => r.statusCode);
    expect(tally(codes)).toEqual({ 401: 5, 429: 15 });
    expect(await failuresAudited('192.0.2.140')).toBe(5);
    expect(await failuresAudited('192.0.2.150')).toBe(0);
  });

  it('behind a trusted proxy, X-Forwarded-For decides, so one client cannot lock out everyone', SLOW, async () => {
    const viaProxy = (client: string, password: string) => login(proxied, 'operator', password, '127.0.0.1', { 'x-forwarded-for': client });
    for (let i = 0; i < 5; i++) expectProblem(await viaProxy('192.0.2.170', 'wrong-password'), 401);
    expectProblem(await viaProxy('192.0.2.170', PASSWORDS.operator), 429);
    expect(await failuresAudited('192.0.2.170')).toBe(5);
    expect(await failuresAudited('127.0.0.1')).toBe(0);
    expect((await viaProxy('192.0.2.171', PASSWORDS.operator)).statusCode).toBe(200);
    // A peer that is not the trusted proxy cannot choose its address.
    expectProblem(await login(proxied, 'observer', 'wrong-password', '192.0.2.180', { 'x-forwarded-for': '192.0.2.190' }), 401);
    expect(await failuresAudited('192.0.2.180')).toBe(1);
    expect(await failuresAudited('192.0.2.190')).toBe(0);
  });

  it('a hop count trusts that many proxies: the address the nearest one saw decides', SLOW, async () => {
    expectProblem(await login(hops, 'admin', 'wrong-password', '127.0.0.1', { 'x-forwarded-for': '192.0.2.210, 192.0.2.211' }), 401);
    expect(await failuresAudited('192.0.2.211')).toBe(1);
    expect(await failuresAudited('192.0.2.210')).toBe(0);
  });
});
