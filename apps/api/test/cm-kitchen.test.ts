import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from './support/api-routes.js';
import { copyFixtureKitchen, FIXTURE_KITCHEN, kitchenTarGz } from './support/cm-support.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let kitchenDir: string;

beforeAll(async () => {
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-api-kitchen-'));
  t = await createTestApp({ worker: false, env: { OVERMIND_KITCHEN_DIR: kitchenDir } });
});
afterAll(async () => {
  await t?.close();
  await rm(kitchenDir, { recursive: true, force: true });
});

const upload = (body: Buffer | string, contentType = 'application/gzip', role: 'operator' | 'observer' = 'operator') =>
  t.request(role, { method: 'PUT', url: '/api/v1/kitchen', payload: body, headers: { 'content-type': contentType } });
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
});
