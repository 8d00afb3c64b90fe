import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from './support/api-routes.js';
import { createLoopbackProvider, FIXTURE_KITCHEN, loopbackPlugin, makeRemoteRoot, recordEvents, kitchenTarGz, type RemoteRoot } from './support/cm-support.js';
import { createTestApp, eventually, waitForJob, type TestApp } from './support/test-app.js';
import { freePort } from './support/free-port.js';

let t: TestApp;
let sshd: SshdFixture;
let remote: RemoteRoot;
let kitchenDir: string;
let providerId: string;
let baseUrl: string;
let closedPort: number;

beforeAll(async () => {
  sshd = await startSshd();
  remote = await makeRemoteRoot();
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-api-kitchen-'));
  // 'silent-loopback' nodes point at a port nothing listens on: a node whose SSH never comes up.
  closedPort = await freePort();
  t = await createTestApp({
    plugins: [loopbackPlugin(sshd.port), loopbackPlugin(closedPort, 'silent-loopback')],
    env: { OVERMIND_KITCHEN_DIR: kitchenDir, OVERMIND_SSH_WAIT_SECONDS: '5' },
  });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  providerId = (await createLoopbackProvider(t)).id;
  const res = await t.request('operator', { method: 'PUT', url: '/api/v1/kitchen', payload: await kitchenTarGz(FIXTURE_KITCHEN), headers: { 'content-type': 'application/gzip' } });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
  await sshd?.stop();
  await remote?.remove();
  await rm(kitchenDir, { recursive: true, force: true });
});

// Secret attributes; the fake chef-solo prints the `fake.print` paths, as a recipe logging them would.
const ROOT_PW = `root-pw-${Date.now()}`;
const NEW_ROOT_PW = `new-root-pw-${Date.now()}`;
const API_KEY = `api-key-${Date.now()}`;
const SECRETS = [ROOT_PW, NEW_ROOT_PW, API_KEY];
const cm = (mode: 'ok' | 'fail' = 'ok') => ({ kind: 'chef-solo', settings: { chefSoloCommand: remote.command(mode), paths: remote.paths } });
const roleBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'web',
  providerId,
  locationId: 'lab-1',
  sizeId: 'small',
  imageId: 'debian-12',
  runList: ['role[web]'],
  attributes: { nginx: { port: 8080 }, mysql: { port: 3306 }, fake: { print: ['mysql.root_password'] } },
  secretAttributes: { 'mysql.root_password': ROOT_PW },
  environment: 'staging',
  cm: cm(),
  ssh: { username: sshd.username, privateKey: sshd.privateKey },
  ...overrides,
});
const get = async (url: string) => (await t.request('observer', { method: 'GET', url })).json();
/** A node's configure jobs, once there is one. */
const configureJobsOf = (nodeId: string) =>
  eventually(async () => {
    const page = await get(`/api/v1/jobs?type=node.configure&target=${nodeId}`);
    return page.total > 0 ? page : undefined;
  }, 10_000, 'the configure job');
const logLines = async (jobId: string): Promise<string[]> => (await get(`/api/v1/jobs/${jobId}/logs`)).items.map((l: { line: string }) => l.line);
/** Rows of a table as JSON text, straight from Postgres. */
async function tableText(sql: string, params: unknown[] = []): Promise<string> {
  const db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  try {
    return JSON.stringify((await db.query(sql, params)).rows);
  } finally {
    await db.end();
  }
}
const exists = (path: string) => access(path).then(() => true, () => false);

let roleId: string;
let nodeId: string;

describe('server roles', () => {
  it('refuses a run list the kitchen cannot resolve, and a size the provider does not have, naming them', async () => {
    const post = (body: object) => t.request('operator', { method: 'POST', url: '/api/v1/server-roles', payload: body });
    const runList = expectProblem(await post(roleBody({ runList: ['role[web]', 'recipe[postgres]'] })), 422);
    expect(runList.detail).toMatch(/recipe\[postgres\]/);
    expect(runList.errors).toEqual([{ field: 'body.runList', message: 'recipe[postgres] names cookbook "postgres", which is not in the kitchen' }]);
    expect(expectProblem(await post(roleBody({ sizeId: 'huge' })), 422).errors).toEqual([{ field: 'body.sizeId', message: expect.stringMatching(/is not a size of provider/) }]);
    expect(expectProblem(await post(roleBody({ environment: 'nowhere' })), 422).detail).toMatch(/environment "nowhere" is not in the kitchen/);
    expect(expectProblem(await post(roleBody({ cm: { kind: 'chef-solo', settings: { paths: { configDir: 'etc' } } } })), 422).errors[0].field).toMatch(/^body\.cm\.settings/);
  });

  it('creates a role; the private key is write-only and stored sealed', async () => {
    const res = await t.request('operator', { method: 'POST', url: '/api/v1/server-roles', payload: roleBody() });
    expect(res.statusCode, res.body).toBe(201);
    const role = res.json();
    roleId = role.id;
    expect(role).toMatchObject({ name: 'web', runList: ['role[web]'], environment: 'staging', ssh: { username: sshd.username, port: 22, hasPrivateKey: true }, nodeIds: [] });
    expect(res.body).not.toContain('PRIVATE KEY');
    // Secret attributes are write-only: their paths are shown, never their values, to any role.
    expect(role.secretAttributeKeys).toEqual(['mysql.root_password']);
    expect(role.attributes).toEqual({ nginx: { port: 8080 }, mysql: { port: 3306 }, fake: { print: ['mysql.root_password'] } });
    const seen = await t.request('observer', { method: 'GET', url: `/api/v1/server-roles/${roleId}` });
    expect(seen.json().secretAttributeKeys).toEqual(['mysql.root_password']);
    for (const body of [res.body, seen.body, JSON.stringify(await get('/api/v1/server-roles'))]) expect(body).not.toContain(ROOT_PW);
    const stored = await tableText('SELECT * FROM server_roles WHERE id = $1', [roleId]);
    expect(stored).not.toContain(ROOT_PW);
    expect(JSON.parse(stored)[0]).toMatchObject({ secret_attributes_enc: expect.stringMatching(/^v1\./), secret_attribute_keys: ['mysql.root_password'] });
    const audit = (await t.request('admin', { method: 'GET', url: `/api/v1/audit-events?targetId=${roleId}` })).json().items;
    expect(audit[0]).toMatchObject({ action: 'server-role.create', details: { secretAttributeKeys: ['mysql.root_password'] } });
    expect(JSON.stringify(audit)).not.toContain(ROOT_PW);
    expect(JSON.stringify(await get('/api/v1/server-roles'))).not.toContain('PRIVATE KEY');
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    const [row] = (await db.query('SELECT ssh_key_enc FROM server_roles WHERE id = $1', [roleId])).rows;
    await db.end();
    expect(row.ssh_key_enc).toMatch(/^v1\./);
    expect(row.ssh_key_enc).not.toContain('PRIVATE KEY');
    expectProblem(await t.request('operator', { method: 'POST', url: '/api/v1/server-roles', payload: roleBody({ name: 'WEB' }) }), 409);
    expect(t.logs.join('')).not.toContain(sshd.privateKey.split('\n')[1]);
  });

  it('creates a node from the role: created, then configuring, then running, with the merged attributes on the node', async () => {
    const stream = await recordEvents(baseUrl, t.tokens.observer);
    const res = await t.request('operator', { method: 'POST', url: `/api/v1/server-roles/${roleId}/nodes`, payload: { count: 1 } });
    expect(res.statusCode, res.body).toBe(202);
    const [create] = res.json().jobs;
    nodeId = create.targetId;
    expect(create.type).toBe('node.create');

    const created = await waitForJob(t, create.id);
    expect(created.state).toBe('succeeded');
    const configures = await configureJobsOf(nodeId);
    expect(configures.total).toBe(1);
    expect(created.result.configureJobId).toBe(configures.items[0].id); // queued by the create job itself
    const configured = await waitForJob(t, configures.items[0].id, 30_000);
    expect(configured, JSON.stringify(await logLines(configured.id))).toMatchObject({ type: 'node.configure', state: 'succeeded', targetId: nodeId });

    const node = await get(`/api/v1/nodes/${nodeId}`);
    expect(node).toMatchObject({ name: 'web-1', state: 'running', publicIps: ['127.0.0.1'] });
    const states = stream.events.filter((e) => e.type === 'node' && e.id === nodeId).map((e) => e.state);
    stream.close();
    expect(states).toContain('configuring');
    expect(states.lastIndexOf('running')).toBeGreaterThan(states.indexOf('configuring'));
    expect(states.at(-1)).toBe('running');

    const [report] = await remote.reports();
    expect(report!.problems).toEqual([]);
    expect(report!.config.node_name).toBe('web-1');
    expect(report!.environment).toBe('staging');
    expect(report!.node).toMatchObject({ run_list: ['role[web]'], nginx: { port: 8080, workers: 2, gzip: true } });
    // The secret reached chef-solo inside node.json, merged with the plain attributes; node.json and
    // the node object chef-solo saved from it are gone from the node.
    expect(report!.node).toMatchObject({ mysql: { port: 3306, root_password: ROOT_PW } });
    expect(report!.nodeJsonMode).toBe(0o600);
    expect(await exists(`${remote.paths.configDir}/node.json`)).toBe(false);
    expect(await exists(`${remote.paths.stagingDir}/nodes`)).toBe(false);
    expect(report!.recipes).toEqual(['base::default', 'base::users', 'nginx::default', 'nginx::debug']);

    const lines = await logLines(configured.id);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^waiting for SSH on ${sshd.username}@127\\.0\\.0\\.1:\\d+$`)),
      expect.stringMatching(/^host key SHA256:\S+ pinned/),
      'Starting Chef Infra Client, version 18.4.12',
      'Chef Infra Client finished, 4/4 resources updated in 01 seconds',
      // What chef printed of the secret is masked in the job log.
      '    - mysql.root_password is ***',
    ]));
    expect(lines.join('\n')).not.toContain(ROOT_PW);
    expect((await get(`/api/v1/server-roles/${roleId}`)).nodeIds).toEqual([nodeId]);
  });

  it('a failing chef run leaves the node in error with chef output and the failed step in the job log', async () => {
    const patched = await t.request('operator', { method: 'PATCH', url: `/api/v1/server-roles/${roleId}`, payload: { cm: cm('fail') } });
    expect(patched.statusCode, patched.body).toBe(200);
    const res = await t.request('operator', { method: 'POST', url: `/api/v1/nodes/${nodeId}/configure` });
    expect(res.statusCode, res.body).toBe(202);
    expect((await get(`/api/v1/nodes/${nodeId}`)).state).toBe('configuring');
    const job = await waitForJob(t, res.json().id, 30_000);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/failed at step "converge"/);
    expect((await get(`/api/v1/nodes/${nodeId}`)).state).toBe('error');
    const lines = await logLines(job.id);
    expect(lines).toEqual(expect.arrayContaining([
      "    Error executing action `run` on resource 'execute[reload nginx]'",
      'Chef Infra Client failed. 0 resources updated in 01 seconds',
      expect.stringMatching(/^==> converge failed: /),
    ]));
  });

  it('re-applies the role to its nodes, and refuses to configure a node without a role', async () => {
    const patch = async (payload: object) => {
      const res = await t.request('operator', { method: 'PATCH', url: `/api/v1/server-roles/${roleId}`, payload });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    await patch({ cm: cm('ok'), attributes: { nginx: { port: 9090 }, fake: { print: ['mysql.root_password', 'app.api_key'] } } });
    // PATCH semantics: a string sets a path, null removes it, paths left out keep their values.
    expect((await patch({ secretAttributes: { 'app.api_key': API_KEY } })).secretAttributeKeys).toEqual(['app.api_key', 'mysql.root_password']);
    expect((await patch({ secretAttributes: { 'mysql.root_password': NEW_ROOT_PW, 'app.api_key': null, 'not.set': null } })).secretAttributeKeys).toEqual(['mysql.root_password']);
    const audit = (await t.request('admin', { method: 'GET', url: `/api/v1/audit-events?action=server-role.update&targetId=${roleId}` })).json().items;
    expect(audit[0].details).toEqual({ fields: ['secretAttributes'], secretAttributes: { set: ['mysql.root_password'], unset: ['app.api_key', 'not.set'] } });
    const res = await t.request('operator', { method: 'POST', url: `/api/v1/server-roles/${roleId}/apply?concurrency=2` });
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForJob(t, res.json().id, 30_000);
    expect(job, JSON.stringify(await logLines(job.id))).toMatchObject({ type: 'server-role.apply', state: 'succeeded', result: { results: [{ nodeId, ok: true }] } });
    expect((await get(`/api/v1/nodes/${nodeId}`)).state).toBe('running');
    const node = (await remote.reports()).at(-1)!.node;
    expect(node).toMatchObject({ nginx: { port: 9090 }, mysql: { root_password: NEW_ROOT_PW } });
    expect(node).not.toHaveProperty('app');
    expect(await logLines(job.id)).toContain('[web-1]     - mysql.root_password is ***');
    expect(await logLines(job.id)).toContain('[web-1] Chef Infra Client finished, 4/4 resources updated in 01 seconds');

    const plain = await t.request('operator', {
      method: 'POST',
      url: '/api/v1/nodes',
      payload: { providerId, name: 'plain-1', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' },
    });
    await waitForJob(t, plain.json().id);
    expect(expectProblem(await t.request('operator', { method: 'POST', url: `/api/v1/nodes/${plain.json().targetId}/configure` }), 409).detail).toMatch(/has no server role: give it one first/);
  });

  it('refuses secret attributes that a plain attribute would show or that cannot be node attributes, naming them', async () => {
    const post = (overrides: Record<string, unknown>) => t.request('operator', { method: 'POST', url: '/api/v1/server-roles', payload: roleBody({ name: 'refused', ...overrides }) });
    const refused = async (overrides: Record<string, unknown>) => expectProblem(await post(overrides), 422).errors;
    expect(await refused({ secretAttributes: { 'mysql.port': 'x1234' } })).toEqual([
      { field: 'body.secretAttributes.mysql.port', message: 'is also a plain attribute (attributes.mysql.port); keep a secret out of attributes' },
    ]);
    expect(await refused({ attributes: { mysql: 'plain' }, secretAttributes: { 'mysql.root_password': 'x1234' } })).toEqual([
      { field: 'body.secretAttributes.mysql.root_password', message: 'would replace the plain attribute attributes.mysql' },
    ]);
    expect(await refused({ secretAttributes: { db: 'x1234', 'db.password': 'y1234' } })).toEqual([
      { field: 'body.secretAttributes.db.password', message: 'is inside secret attribute db, which is a string' },
    ]);
    expect((await refused({ secretAttributes: { run_list: 'x' } }))[0].field).toBe('body.secretAttributes.run_list');
    for (const secretAttributes of [{ 'mysql..password': 'x' }, { 'has space': 'x' }, { a: null }, { a: 1 }]) {
      expect(expectProblem(await post({ secretAttributes }), 400).detail).toMatch(/body\.secretAttributes/);
    }
    // A plain attribute added later must not cover a secret one either.
    const covering = await t.request('operator', { method: 'PATCH', url: `/api/v1/server-roles/${roleId}`, payload: { attributes: { mysql: { root_password: 'shown' } } } });
    expect(expectProblem(covering, 422).errors).toEqual([
      { field: 'body.attributes.mysql.root_password', message: 'is also a plain attribute (attributes.mysql.root_password); keep a secret out of attributes' },
    ]);
  });

  it('keeps every secret value out of the database tables, responses and logs in the clear', async () => {
    const stored = await tableText(
      `SELECT (SELECT json_agg(r) FROM server_roles r) AS roles, (SELECT json_agg(j) FROM jobs j) AS jobs,
              (SELECT json_agg(l) FROM job_logs l) AS logs, (SELECT json_agg(a) FROM audit_events a) AS audit`,
    );
    for (const secret of SECRETS) {
      expect(stored).not.toContain(secret);
      expect(t.logs.join('')).not.toContain(secret);
    }
  });

  it('gives up on a node whose SSH never answers after OVERMIND_SSH_WAIT_SECONDS: node in error, the reason in the job', async () => {
    const silent = (await createLoopbackProvider(t, 'silent-loopback')).id;
    const role = await t.request('operator', { method: 'POST', url: '/api/v1/server-roles', payload: roleBody({ name: 'mute', providerId: silent }) });
    expect(role.statusCode, role.body).toBe(201);
    const res = await t.request('operator', { method: 'POST', url: `/api/v1/server-roles/${role.json().id}/nodes`, payload: { count: 1 } });
    const created = await waitForJob(t, res.json().jobs[0].id);
    const started = Date.now();
    const configured = await waitForJob(t, (await configureJobsOf(created.targetId)).items[0].id, 60_000);
    expect(configured).toMatchObject({ state: 'failed', attempts: 1, error: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${closedPort} did not answer within 5 s`)) });
    // Its 5 s, not the default 5 minutes, with room for a busy machine.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect((await get(`/api/v1/nodes/${created.targetId}`)).state).toBe('error');
  }, 90_000);
});
