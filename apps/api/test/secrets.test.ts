import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/lib/password.js';
import { SecretBox, loadMasterKey } from '../src/lib/secret-box.js';
import { PASSWORDS, createDummyProvider, createTestApp, waitForJob, waitForJobs, type TestApp } from './support/test-app.js';

const unique = (what: string) => `${what}-${randomUUID()}`;
// Everything here must stay out of every later response, every log line and (but for userData) the database.
const S = {
  credential: unique('credential-marker'),
  rotatedCredential: unique('rotated-credential-marker'),
  userData: unique('userdata-marker'),
  firstPassword: unique('first-password'),
  resetPassword: unique('reset-password'),
  badQueryToken: unique('not-a-real-token'),
  apiToken: '',
};

let t: TestApp;
let db: pg.Client;
let baseUrl: string;
let providerId: string;
let userId: string;

const get = async (url: string) => {
  const res = await t.request('admin', { method: 'GET', url });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res;
};
const leaked = (text: string, secrets: string[]) => secrets.filter((s) => text.includes(s));
const allSecrets = () => [...Object.values(S).filter(Boolean), ...Object.values(PASSWORDS), ...Object.values(t.tokens)];

beforeAll(async () => {
  t = await createTestApp({ env: { LOG_LEVEL: 'trace' } });
  t.app.log.level = 'trace'; // the test logger is built at info; request loggers made from now on inherit trace
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await t?.close();
});

describe('secrets in use', () => {
  it('stores provider credentials only sealed with the master key, also after rotation', async () => {
    const create = await t.request('operator', {
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name: 'secret-holder', type: 'dummy', credentials: { apiKey: S.credential } },
    });
    expect(create.statusCode, create.body).toBe(201);
    providerId = create.json().id;
    await waitForJobs(t, { target: providerId }, 2);
    const sealed = async () => (await db.query('SELECT credentials_enc FROM providers WHERE id = $1', [providerId])).rows[0].credentials_enc as string;
    const box = new SecretBox(t.masterKey);

    const first = await sealed();
    expect(first).toMatch(/^v1\./);
    expect(first).not.toContain(S.credential);
    expect(box.openJson(first)).toEqual({ apiKey: S.credential });
    expect(() => new SecretBox(randomBytes(32)).open(first)).toThrow();

    const patch = await t.request('operator', { method: 'PATCH', url: `/api/v1/providers/${providerId}`, payload: { credentials: { apiKey: S.rotatedCredential } } });
    expect(patch.statusCode, patch.body).toBe(200);
    const second = await sealed();
    expect(second).not.toContain(S.rotatedCredential);
    expect(box.openJson(second)).toEqual({ apiKey: S.rotatedCredential });
    expect(leaked(create.body + patch.body, [S.credential, S.rotatedCredential])).toEqual([]);
  });

  it('keeps node user data inside the job', async () => {
    const provider = await createDummyProvider(t);
    const res = await t.request('operator', {
      method: 'POST',
      url: '/api/v1/nodes',
      payload: { providerId: provider.id, name: 'secretive', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1', userData: `#!/bin/sh\necho ${S.userData}` },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect((await waitForJob(t, res.json().id)).state).toBe('succeeded');
  });

  // Six scrypt hashes (N=2^17): many seconds on a busy machine.
  it('stores passwords only as scrypt hashes, also after a reset', { timeout: 180_000 }, async () => {
    const created = await t.request('admin', { method: 'POST', url: '/api/v1/users', payload: { username: 'dave', password: S.firstPassword, role: 'operator' } });
    expect(created.statusCode, created.body).toBe(201);
    userId = created.json().id;
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'dave', password: S.firstPassword } })).statusCode).toBe(200);
    const reset = await t.request('admin', { method: 'PATCH', url: `/api/v1/users/${userId}`, payload: { password: S.resetPassword } });
    expect(reset.statusCode, reset.body).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'dave', password: S.resetPassword } })).statusCode).toBe(200);

    const { rows } = await db.query('SELECT username, password_hash FROM users');
    expect(rows).toHaveLength(4);
    // OWASP's scrypt parameters: N=2^17, r=8, p=1.
    for (const row of rows) expect(row.password_hash).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    const dave = rows.find((r) => r.username === 'dave')!.password_hash;
    expect(await verifyPassword(S.resetPassword, dave)).toBe(true);
    expect(await verifyPassword(S.firstPassword, dave)).toBe(false);
  });

  it('shows an API token secret once and stores only its hash', { timeout: 120_000 }, async () => {
    const res = await t.request('observer', { method: 'POST', url: '/api/v1/tokens', payload: { name: 'ci', password: PASSWORDS.observer } });
    expect(res.statusCode, res.body).toBe(201);
    S.apiToken = res.json().secret;
    expect(S.apiToken).toMatch(/^om_[\w-]{32}$/);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${S.apiToken}` } });
    expect(me.json().username).toBe('observer');
    const { rows } = await db.query('SELECT token_hash, prefix FROM api_tokens');
    expect(rows).toEqual([{ token_hash: expect.not.stringContaining(S.apiToken.slice(3)), prefix: S.apiToken.slice(0, 8) }]);
  });

  it('keeps ?access_token= of the event stream out of the log', async () => {
    const ok = await fetch(`${baseUrl}/api/v1/events?access_token=${t.tokens.observer}`, { signal: AbortSignal.timeout(5000) });
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
    const refused = await fetch(`${baseUrl}/api/v1/events?x=1&access_token=${S.badQueryToken}`, { signal: AbortSignal.timeout(5000) });
    expect(refused.status).toBe(401);
    const urls = t.logs.map((l) => JSON.parse(l).req?.url).filter((u) => u?.startsWith('/api/v1/events'));
    expect(urls).toEqual(expect.arrayContaining(['/api/v1/events?access_token=[REDACTED]', '/api/v1/events?x=1&access_token=[REDACTED]']));
  });

  it('no response after creation carries a secret', async () => {
    const urls = [
      `/api/v1/providers/${providerId}`,
      '/api/v1/providers?limit=200',
      '/api/v1/provider-types',
      '/api/v1/nodes?limit=200&includeGone=true',
      '/api/v1/users?limit=200',
      `/api/v1/users/${userId}`,
      '/api/v1/tokens?limit=200',
      '/api/v1/audit-events?limit=200',
      '/api/v1/openapi.json',
      '/api/v1/auth/me',
    ];
    const jobs = (await get('/api/v1/jobs?limit=200')).json().items as { id: string }[];
    expect(jobs.length).toBeGreaterThanOrEqual(5);
    urls.push('/api/v1/jobs?limit=200', ...jobs.flatMap((j) => [`/api/v1/jobs/${j.id}`, `/api/v1/jobs/${j.id}/logs`]));
    const secrets = allSecrets().filter((s) => !Object.values(t.tokens).includes(s));
    for (const url of urls) expect(leaked((await get(url)).body, secrets), url).toEqual([]);
  });

  it('no log line carries a secret', () => {
    expect(t.logs.length).toBeGreaterThan(20);
    expect(leaked(t.logs.join('\n'), allSecrets())).toEqual([]);
  });

  it('the database holds no secret in clear but the node user data its job needs', async () => {
    const { rows: tables } = await db.query(
      `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
        WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'`,
    );
    expect(tables.length).toBeGreaterThan(8);
    let dump = '';
    for (const { name } of tables) dump += (await db.query(`SELECT coalesce(string_agg(x::text, E'\\n'), '') AS d FROM ${name} x`)).rows[0].d;
    expect(dump).toContain(providerId);
    expect(leaked(dump, allSecrets())).toEqual([S.userData]);
  });

  it('a failed query does not log the values it carried', async () => {
    // Short, so that Postgres' own "Failing row contains (...)" detail would hold it whole too.
    const userData = `ud-${randomBytes(6).toString('hex')}`;
    const provider = (await db.query(`SELECT id FROM providers WHERE name <> 'secret-holder' LIMIT 1`)).rows[0].id;
    await db.query(`ALTER TABLE jobs ADD CONSTRAINT refuse_node_create CHECK (type <> 'node.create') NOT VALID`);
    try {
      const res = await t.request('operator', {
        method: 'POST',
        url: '/api/v1/nodes',
        payload: { providerId: provider, name: 'doomed', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1', userData },
      });
      expect(res.statusCode).toBe(500);
      const logged = t.logs.filter((l) => l.includes(res.json().requestId) && l.includes('request failed'));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain('refuse_node_create');
      expect(logged[0]).not.toContain(userData);
    } finally {
      await db.query('ALTER TABLE jobs DROP CONSTRAINT refuse_node_create');
    }
  });
});

describe('loadMasterKey', () => {
  it('creates secret.key with mode 0600 on first use and returns the same key after', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'overmind-key-'));
    try {
      const home = join(dir, 'home', 'nested');
      const key = await loadMasterKey(undefined, home);
      expect(key).toHaveLength(32);
      expect((await stat(join(home, 'secret.key'))).mode & 0o777).toBe(0o600);
      expect((await loadMasterKey(undefined, home)).equals(key)).toBe(true);
      const configured = 'k'.repeat(40);
      expect((await loadMasterKey(configured, join(dir, 'other'))).toString()).toBe(configured);
      await expect(stat(join(dir, 'other'))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
