/**
 * A rack of dedicated servers configured through Overmind: a registered server given a push server
 * role is configured over its own registered login (a real sshd, the stand-in chef-solo), not with
 * the role's SSH key, which only reaches the nodes the role makes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_KITCHEN, kitchenTarGz, makeRemoteRoot, type RemoteRoot } from './support/cm-support.js';
import { expectNoLeaks, getNode, jobLines, registerNode, runJob, sshRegistration, startDedicatedApi, type DedicatedTest } from './support/dedicated-steps.js';
import { createDummyProvider } from './support/test-app.js';

let d: DedicatedTest;
let sshd: SshdFixture;
let remote: RemoteRoot;
let kitchenDir: string;
let roleId: string;
const SECRET = `rack-db-pw-${Date.now()}`;

beforeAll(async () => {
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-rack-kitchen-'));
  [d, sshd, remote] = await Promise.all([startDedicatedApi({ env: { OVERMIND_KITCHEN_DIR: kitchenDir } }), startSshd(), makeRemoteRoot()]);
  const kitchen = await d.call('operator', { method: 'PUT', url: '/api/v1/kitchen', payload: await kitchenTarGz(FIXTURE_KITCHEN), headers: { 'content-type': 'application/gzip' } });
  expect(kitchen.statusCode, kitchen.body).toBe(200);
  // A role is a machine type of a provider that creates nodes; the registered servers only borrow its configuration.
  const dummy = await createDummyProvider(d.t);
  const role = await d.call('operator', {
    method: 'POST',
    url: '/api/v1/server-roles',
    payload: {
      name: 'rack-web', providerId: dummy.id, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12', runList: ['role[web]'],
      attributes: { nginx: { port: 8080 }, fake: { print: ['mysql.root_password'] } },
      secretAttributes: { 'mysql.root_password': SECRET },
      cm: { kind: 'chef-solo', settings: { chefSoloCommand: remote.command('ok'), paths: remote.paths } },
      // A key that reaches nothing: the registered servers must be configured over their own logins.
      ssh: { username: 'nobody-at-all', privateKey: 'not-a-key-for-these-servers-'.repeat(3) },
      configMode: 'push',
    },
  });
  expect(role.statusCode, role.body).toBe(201);
  roleId = role.json().id;
}, 120_000);
afterAll(async () => {
  await d?.close();
  await sshd?.stop();
  await remote?.remove();
  await rm(kitchenDir, { recursive: true, force: true });
});

async function registeredWithRole(name: string): Promise<string> {
  const { job, nodeId } = await registerNode(d, name, sshRegistration(sshd));
  expect(job.state, job.error).toBe('succeeded');
  const assigned = await d.call('operator', { method: 'PUT', url: `/api/v1/nodes/${nodeId}/role`, payload: { serverRoleId: roleId, configMode: 'push' } });
  expect(assigned.statusCode, assigned.body).toBe(200);
  return nodeId;
}

describe('push configure of registered servers', () => {
  it('configures a registered server given a push role over its registered login, as root through sudo', async () => {
    const nodeId = await registeredWithRole('rack-web-1');
    const job = await runJob(d, `/api/v1/nodes/${nodeId}/configure`);
    const log = await jobLines(d, job.id);
    expect(job.state, log.join('\n')).toBe('succeeded');
    expect(job.result).toMatchObject({ nodeId, ok: true, summary: expect.stringMatching(/Chef Infra Client finished/) });
    expect(log).toContain('connecting to rack-web-1 over its registered login');
    expect(log.some((l) => l.startsWith(`connected to ${sshd.username}@`))).toBe(true);
    expect(log.some((l) => /waiting for SSH/.test(l))).toBe(false);
    expect(log.some((l) => /^==> converge$/.test(l))).toBe(true);
    // The recipe printed the secret attribute: masked before it was stored.
    expect(log.join('\n')).not.toContain(SECRET);
    expect((await getNode(d, nodeId)).state).toBe('running');

    // What chef-solo read on the server, as root (the login user's sudo).
    const [report] = (await remote.reports()).slice(-1);
    expect(report!.uid).toBe(0);
    expect(report!.config).toMatchObject({ node_name: 'rack-web-1' });
    expect(report!.node).toMatchObject({ run_list: ['role[web]'], nginx: { port: 8080 }, mysql: { root_password: SECRET } });
  }, 120_000);

  it('applies the role to the whole rack in one job', async () => {
    const second = await registeredWithRole('rack-web-2');
    const before = (await remote.reports()).length;
    // One at a time: both "servers" are this machine, with one chef-solo directory.
    const job = await runJob(d, `/api/v1/server-roles/${roleId}/apply?concurrency=1`);
    const log = await jobLines(d, job.id);
    expect(job.state, log.join('\n')).toBe('succeeded');
    expect(job.result.results).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'rack-web-2', nodeId: second, ok: true })]));
    expect(job.result.results).toHaveLength(2);
    const names = (await remote.reports()).slice(before).map((r) => r.config.node_name).sort();
    expect(names).toEqual(['rack-web-1', 'rack-web-2']);
    await expectNoLeaks(d, [SECRET, sshd.privateKey.split('\n')[1]!]);
  }, 120_000);
});
