import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from './support/api-routes.js';
import { copyFixtureKitchen, FIXTURE_KITCHEN, gzipBomb, kitchenTarGz, linkChainEntries, rawTarGz } from './support/cm-support.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let kitchenDir: string;
let baseUrl: string;
/** A directory of the API host outside the kitchen, with a file a kitchen must never show. */
let hostDir: string;

beforeAll(async () => {
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-api-kitchen-'));
  hostDir = await mkdtemp(join(tmpdir(), 'overmind-api-host-'));
  await writeFile(join(hostDir, 'leak.json'), JSON.stringify({ description: 'host secret', run_list: [] }));
  t = await createTestApp({ worker: false, env: { OVERMIND_KITCHEN_DIR: kitchenDir } });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t?.close();
  await rm(kitchenDir, { recursive: true, force: true });
  await rm(hostDir, { recursive: true, force: true });
});

const upload = (body: Buffer | string | Readable, contentType = 'application/gzip', role: 'operator' | 'observer' = 'operator') =>
  t.request(role, { method: 'PUT', url: '/api/v1/kitchen', payload: body, headers: { 'content-type': contentType } });
/** Nothing the API says names a path of the server. */
const expectNoServerPath = (text: string) => {
  expect(text).not.toContain(kitchenDir);
  expect(text).not.toContain(hostDir);
  expect(text).not.toContain(tmpdir());
};
const kitchen = async () => (await t.request('observer', { method: 'GET', url: '/api/v1/kitchen' })).json();

describe('the kitchen through the API', () => {
  it('has none at first, then takes a valid .tar.gz and describes it', async () => {
    expect(await kitchen()).toEqual({ uploaded: false, roles: [], recipes: [], environments: [], problems: [] });
    expectProblem(await upload(await kitchenTarGz(FIXTURE_KITCHEN), 'application/gzip', 'observer'), 403);

    const res = await upload(await kitchenTarGz(FIXTURE_KITCHEN), 'application/octet-stream');
    expect(res.statusCode, res.body).toBe(200);
    const described = await kitchen();
    expect(described).toEqual(res.json());
    expect(described.roles.map((r: { name: string }) => r.name)).toEqual(['app', 'base', 'web']);
    expect(described.roles.find((r: { name: string }) => r.name === 'web').runList).toEqual(['role[base]', 'recipe[nginx]']);
    expect(described.recipes).toContainEqual({ name: 'recipe[nginx]', cookbook: 'nginx', description: 'Installs and configures nginx', dependencies: ['base', 'openssl'] });
    expect(described.recipes.map((r: { name: string }) => r.name)).toContain('recipe[app::deploy]');
    expect(described.environments).toEqual([{ name: 'production', description: 'Live' }, { name: 'staging', description: null }]);
    expect(described.problems).toEqual([]);

    const audit = (await t.request('admin', { method: 'GET', url: '/api/v1/audit-events?action=kitchen.upload' })).json();
    expect(audit.items[0]).toMatchObject({ action: 'kitchen.upload', actorName: 'operator', outcome: 'success' });
  });

  it('refuses an invalid kitchen with 422 naming every file and reason, keeping the previous one', async () => {
    expect((await upload(await kitchenTarGz(FIXTURE_KITCHEN))).statusCode).toBe(200);
    const copy = await copyFixtureKitchen();
    await writeFile(join(copy.dir, 'roles/web.json'), '{ "run_list": ["recipe[nginx]" }');
    await writeFile(join(copy.dir, 'roles/db.json'), '{ "run_list": ["recipe[postgres]"] }');
    const bad = await kitchenTarGz(copy.dir);
    await copy.remove();

    const problem = expectProblem(await upload(bad), 422);
    expect(problem.errors).toEqual([
      { field: 'roles/web.json', message: 'roles/web.json:1:32: invalid JSON: comma expected' },
      { field: 'roles/app.json', message: 'roles/app.json: run_list: role[web] names a role that is not in the kitchen' },
      { field: 'roles/db.json', message: 'roles/db.json: run_list: recipe[postgres] names cookbook "postgres", which is not in the kitchen' },
    ]);
    expect(problem.problems).toContainEqual({ file: 'roles/web.json', line: 1, column: 32, message: 'invalid JSON: comma expected' });
    const after = await kitchen();
    expect(after.roles.map((r: { name: string }) => r.name)).toEqual(['app', 'base', 'web']);
    expect(after.roles.find((r: { name: string }) => r.name === 'web').runList).toEqual(['role[base]', 'recipe[nginx]']);

    const audit = (await t.request('admin', { method: 'GET', url: '/api/v1/audit-events?action=kitchen.upload' })).json();
    expect(audit.items[0]).toMatchObject({ outcome: 'failure', details: { problems: 3 } });
  });

  it('refuses what is not a .tar.gz, a JSON body, and an empty body', async () => {
    const garbage = expectProblem(await upload('this is not gzip'), 422);
    expect(garbage.errors[0].message).toMatch(/^not a readable \.tar\.gz archive/);
    expect(expectProblem(await upload('{"a":1}', 'application/json'), 400).detail).toMatch(/Send the kitchen as a \.tar\.gz body/);
    expectProblem(await t.request('operator', { method: 'PUT', url: '/api/v1/kitchen' }), 400);
    expect((await kitchen()).roles).toHaveLength(3);
  });

  it('streams an upload over HTTP without a declared length', async () => {
    const archive = await kitchenTarGz(FIXTURE_KITCHEN);
    const pieces = Array.from({ length: Math.ceil(archive.length / 4096) }, (_, i) => archive.subarray(i * 4096, (i + 1) * 4096));
    const res = await fetch(`${baseUrl}/api/v1/kitchen`, {
      method: 'PUT',
      headers: { 'content-type': 'application/gzip', authorization: `Bearer ${t.tokens.operator}` },
      body: Readable.toWeb(Readable.from(pieces)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { roles: unknown[] }).roles).toHaveLength(3);
  });
});

describe('kitchen upload limits', () => {
  it('refuses a gzip bomb with 413 quickly, in bounded memory, while /health answers', async () => {
    expect((await upload(await kitchenTarGz(FIXTURE_KITCHEN))).statusCode).toBe(200);
    // About 1 MiB that inflates to 1 GiB of zeros; the server's default limit is 128 MiB unpacked.
    const bomb = gzipBomb(1024);
    let peak = process.memoryUsage().rss;
    const before = peak;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const started = Date.now();
    let uploadDone = 0;
    let healthDone = 0;
    try {
      const refused = upload(bomb).then((res) => ((uploadDone = Date.now()), res));
      const health = await t.request(null, { method: 'GET', url: '/api/v1/health' });
      healthDone = Date.now();
      expect(health.statusCode).toBe(200);
      const problem = expectProblem(await refused, 413);
      expect(problem.detail).toBe('The kitchen archive is larger than the limit of 134217728 bytes unpacked; the previous kitchen stays in place');
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(uploadDone - started).toBeLessThan(45_000);
    // /health answered while the bomb was still being read, not after it.
    expect(healthDone).toBeLessThan(uploadDone);
    // Inflating it whole took this process from 144 MB to over 1 GB; streamed, it is a few chunks at a time.
    expect(peak - before).toBeLessThan(256 * 1024 * 1024);
    expect((await kitchen()).roles).toHaveLength(3);
    const audit = (await t.request('admin', { method: 'GET', url: '/api/v1/audit-events?action=kitchen.upload' })).json();
    expect(audit.items[0]).toMatchObject({ outcome: 'failure', details: { limit: 'maxUnpackedBytes' } });
  }, 60_000);

  it('refuses a body over the upload limit with 413, declared or streamed', async () => {
    const declared = expectProblem(await upload(Buffer.alloc(16 * 1024 * 1024 + 1)), 413);
    expect(declared.detail).toBe('The kitchen archive is larger than the limit of 16777216 bytes');
    // Without a declared length the bytes are counted as they arrive. Random data does not compress.
    const big = rawTarGz([{ path: 'cookbooks/big/files/blob', body: randomBytes(17 * 1024 * 1024) }]);
    expect(big.length).toBeGreaterThan(16 * 1024 * 1024);
    const streamed = expectProblem(await upload(Readable.from([big.subarray(0, 8 << 20), big.subarray(8 << 20)])), 413);
    expect(streamed.detail).toBe('The kitchen archive is larger than the limit of 16777216 bytes compressed; the previous kitchen stays in place');
    expect((await kitchen()).roles).toHaveLength(3);
  }, 60_000);
});

describe('kitchen links', () => {
  it('refuses an archive whose link escapes through another link, and GET /kitchen never shows host files', async () => {
    expect((await upload(await kitchenTarGz(FIXTURE_KITCHEN))).statusCode).toBe(200);
    const res = await upload(rawTarGz(linkChainEntries(join(hostDir, 'leak.json'))));
    const problem = expectProblem(res, 422);
    expect(problem.errors).toEqual([{ field: 'roles/leak.json', message: 'roles/leak.json: is a link that leads outside the kitchen' }]);
    expect(res.body).not.toContain('host secret');
    expectNoServerPath(res.body);
    const after = await t.request('observer', { method: 'GET', url: '/api/v1/kitchen' });
    expect(after.body).not.toContain('host secret');
    expect(after.json().roles.map((r: { name: string }) => r.name)).toEqual(['app', 'base', 'web']);
  });

  it('does not read a kitchen already on disk with a link out (from before links were checked)', async () => {
    expect((await upload(await kitchenTarGz(FIXTURE_KITCHEN))).statusCode).toBe(200);
    const planted = join(kitchenDir, 'current', 'roles', 'leak.json');
    await symlink(`${'../'.repeat(20)}${hostDir.slice(1)}/leak.json`, planted);
    try {
      const res = await t.request('observer', { method: 'GET', url: '/api/v1/kitchen' });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('host secret');
      expectNoServerPath(res.body);
      expect(res.json()).toMatchObject({ uploaded: true, roles: [], recipes: [], problems: [{ file: 'roles/leak.json', message: 'is a link that leads outside the kitchen' }] });
    } finally {
      await rm(planted);
    }
  });

  it('names files in the kitchen, never server paths, in what it refuses', async () => {
    const res = await upload(rawTarGz([
      { path: 'roles/', type: 'Directory' },
      { path: 'roles/a', type: 'SymbolicLink', linkpath: '.' },
      { path: 'roles/a/x.json', body: '{}' },
      { path: 'roles/pipe', type: 'FIFO' },
    ]));
    const problem = expectProblem(res, 422);
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(['roles/a/x.json', 'roles/pipe']);
    expectNoServerPath(res.body);
  });
});
