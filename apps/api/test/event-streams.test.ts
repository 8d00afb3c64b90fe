/**
 * Limits of the event stream (`GET /api/v1/events`) over real HTTP: how many a user and a process
 * may hold, clients that stop reading, and credentials that stop being valid while a stream is open.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OvermindEvent } from '../src/modules/events/event-bus.js';
import { openStalledStream, openStream, type StreamClient } from './support/event-stream-client.js';
import { createTestApp, eventually, type TestApp } from './support/test-app.js';

let t: TestApp;
/** A second API process on the same database, with a limit on streams in all and checks every second. */
let other: TestApp;
let baseUrl: string;
let otherUrl: string;

beforeAll(async () => {
  t = await createTestApp({ env: { OVERMIND_EVENT_STREAMS_PER_USER: '2', OVERMIND_EVENT_STREAM_RECHECK_SECONDS: '3600' } });
  other = await createTestApp({
    database: { url: t.databaseUrl, drop: async () => {} },
    masterKey: t.masterKey,
    worker: false,
    env: { OVERMIND_EVENT_STREAMS_PER_USER: '2', OVERMIND_EVENT_STREAMS_MAX: '3', OVERMIND_EVENT_STREAM_RECHECK_SECONDS: '1' },
  });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  otherUrl = await other.app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  await other?.close();
  await t?.close();
});

const as = (app: TestApp, token: string, options: InjectOptions) =>
  app.app.inject({ ...options, headers: { ...(options.headers ?? {}), authorization: `Bearer ${token}` } });

/** A user of its own for one test, logged in. */
async function newUser(role: 'observer' | 'operator' = 'observer') {
  const username = `u-${randomUUID().slice(0, 8)}`;
  const password = `password-${randomUUID()}`;
  const created = await t.request('admin', { method: 'POST', url: '/api/v1/users', payload: { username, password, role } });
  expect(created.statusCode, created.body).toBe(201);
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  expect(login.statusCode, login.body).toBe(200);
  return { id: created.json().id as string, token: login.json().token as string, password };
}

const ends = (stream: StreamClient, within: number, what: string) =>
  eventually(async () => (stream.isEnded() ? true : undefined), within, what);

/** Opens a stream of a user once one of theirs has closed: the server frees its slot. */
const reopens = (url: string, token: string) =>
  eventually(async () => {
    const stream = await openStream(url, token);
    return stream.status === 200 ? stream : undefined;
  }, 10_000, 'a freed stream slot');

describe('how many streams', () => {
  it('refuses a user a stream past their limit with a 429 saying so, and admits one once another closes', async () => {
    const user = await newUser();
    const [a, b] = [await openStream(baseUrl, user.token), await openStream(baseUrl, user.token)];
    expect([a.status, b.status]).toEqual([200, 200]);

    const refused = await openStream(baseUrl, user.token);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe('30');
    expect(refused.problem).toMatchObject({ status: 429, title: 'Too Many Requests', detail: expect.stringMatching(/already have 2 open event streams/) });
    // Another user is not affected.
    const neighbour = await openStream(baseUrl, t.tokens.observer);
    expect(neighbour.status).toBe(200);

    a.close();
    const again = await reopens(baseUrl, user.token);
    for (const s of [b, again, neighbour]) s.close();
  });

  it('refuses any stream past the limit of the process', async () => {
    const open = [await openStream(otherUrl, other.tokens.observer), await openStream(otherUrl, other.tokens.operator), await openStream(otherUrl, other.tokens.operator)];
    expect(open.map((s) => s.status)).toEqual([200, 200, 200]);
    const refused = await openStream(otherUrl, other.tokens.admin);
    expect(refused.status).toBe(429);
    expect(refused.problem).toMatchObject({ status: 429, detail: expect.stringMatching(/server has 3 open event streams/) });
    // The other process counts its own.
    const elsewhere = await openStream(baseUrl, t.tokens.admin);
    expect(elsewhere.status).toBe(200);

    open[0]!.close();
    const admitted = await reopens(otherUrl, other.tokens.admin);
    for (const s of [...open, admitted, elsewhere]) s.close();
  });
});

describe('clients that stop reading', () => {
  it('are disconnected once their unread events pass the limit, while a client that reads gets them all', async () => {
    const port = (t.app.server.address() as AddressInfo).port;
    const stalled = await Promise.all((['observer', 'operator', 'admin'] as const).map((role) => openStalledStream(port, t.tokens[role])));
    const reader = await openStream(baseUrl, t.tokens.operator);
    expect(reader.status).toBe(200);

    // Events of 7 kB, 100 at a time, each batch read by the reader before the next, until the server
    // has dropped the three stalled clients: the kernel's socket buffers (a few MB) then its 1 MiB limit.
    const name = 'n'.repeat(7000);
    const burst = (i: number): OvermindEvent => ({ type: 'node', id: `burst-${i}`, providerId: 'p', state: 'running', publicIps: [], privateIps: [], name, gone: false });
    const drops = () => t.logs.filter((l) => l.includes('event stream dropped: its client is not reading')).length;
    let sent = 0;
    let batches = 0;
    while (drops() < 3) {
      if (sent > 32 * 2 ** 20) throw new Error(`the stalled streams were still held after ${sent} bytes of events`);
      const events = Array.from({ length: 100 }, (_, i) => burst(batches * 100 + i));
      await t.app.events.publishMany(events);
      sent += events.reduce((n, e) => n + JSON.stringify(e).length, 0);
      const last = `burst-${batches * 100 + 99}`;
      await eventually(async () => (reader.received.some((e) => e.data.id === last) ? true : undefined), 30_000, `the reader to get ${last}`);
      batches++;
    }
    expect(drops()).toBe(3);
    expect(reader.received.filter((e) => String(e.data.id).startsWith('burst-'))).toHaveLength(batches * 100);
    expect(reader.isEnded()).toBe(false);

    // Reading now, a stalled client gets what the kernel and the server held for it, then the end.
    for (const client of stalled) {
      const bytes = await Promise.race([
        client.drain(),
        new Promise<number>((_, reject) => setTimeout(() => reject(new Error('the server kept a stalled stream open')), 30_000)),
      ]).finally(() => client.destroy());
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBeLessThan(sent);
    }
    // Still streaming to the reader after the drops.
    await t.app.events.publish({ type: 'provider', id: 'after-drops', status: 'ok', lastSyncAt: null });
    await eventually(async () => (reader.received.some((e) => e.data.id === 'after-drops') ? true : undefined), 10_000, 'an event after the drops');
    reader.close();
  }, 120_000);
});

describe('credentials that stop being valid', () => {
  it('ends a stream soon after its API token is revoked, even by another API process', async () => {
    const user = await newUser();
    const created = await as(t, user.token, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'automation', password: user.password } });
    expect(created.statusCode, created.body).toBe(201);
    const { token, secret } = created.json();
    const stream = await openStream(baseUrl, secret);
    const bystander = await openStream(baseUrl, user.token);
    expect([stream.status, bystander.status]).toEqual([200, 200]);

    expect((await as(other, user.token, { method: 'DELETE', url: `/api/v1/tokens/${token.id}` })).statusCode).toBe(200);
    await ends(stream, 10_000, 'the stream of a revoked token to end');
    expect(stream.comments.at(-1)).toMatch(/^closed: API token is unknown, revoked or expired/);
    // The same user's login session is still valid, and its stream goes on.
    await t.app.events.publish({ type: 'provider', id: 'after-revoke', status: 'ok', lastSyncAt: null });
    await eventually(async () => (bystander.received.some((e) => e.data.id === 'after-revoke') ? true : undefined), 10_000, 'an event after the revoke');
    expect(bystander.isEnded()).toBe(false);
    expect((await openStream(baseUrl, secret)).status).toBe(401);
    bystander.close();
  });

  it('ends a stream soon after its user is deleted, whatever deletes the row', async () => {
    const user = await newUser();
    const stream = await openStream(baseUrl, user.token);
    expect(stream.status).toBe(200);
    await t.app.db.query('DELETE FROM users WHERE id = $1', [user.id]);
    await ends(stream, 10_000, 'the stream of a deleted user to end');
    expect(stream.comments.at(-1)).toMatch(/^closed: Token is no longer valid/);
  });

  it('keeps a stream open when its user\'s role changes, and ends it when their password is reset', async () => {
    const user = await newUser();
    const stream = await openStream(baseUrl, user.token);
    expect(stream.status).toBe(200);
    expect((await t.request('admin', { method: 'PATCH', url: `/api/v1/users/${user.id}`, payload: { role: 'operator' } })).statusCode).toBe(200);
    await t.app.events.publish({ type: 'provider', id: 'after-role-change', status: 'ok', lastSyncAt: null });
    await eventually(async () => (stream.received.some((e) => e.data.id === 'after-role-change') ? true : undefined), 10_000, 'an event after the role change');
    expect(stream.isEnded()).toBe(false);

    const reset = await other.request('admin', { method: 'PATCH', url: `/api/v1/users/${user.id}`, payload: { password: `reset-${randomUUID()}` } });
    expect(reset.statusCode).toBe(200);
    await ends(stream, 10_000, 'the stream of a user whose password was reset to end');
  });

  it('checks open streams again every OVERMIND_EVENT_STREAM_RECHECK_SECONDS: a login that expires ends its stream', async () => {
    const user = await newUser();
    const [{ changed }] = await t.app.db.query('SELECT password_changed_at AS changed FROM users WHERE id = $1', [user.id]);
    const shortLived = other.app.jwt.sign({ sub: user.id, pwd: (changed as Date).getTime() }, { expiresIn: '3s' });
    const stream = await openStream(otherUrl, shortLived);
    const lasting = await openStream(otherUrl, user.token);
    expect([stream.status, lasting.status]).toEqual([200, 200]);
    await ends(stream, 20_000, 'the stream of an expired login to end');
    expect(stream.comments.at(-1)).toMatch(/^closed: Token is invalid or expired/);
    // Checked every second, the valid one stays.
    await new Promise((r) => setTimeout(r, 3000));
    expect(lasting.isEnded()).toBe(false);
    lasting.close();
  });
});
