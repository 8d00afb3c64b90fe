import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDEMPOTENCY_METADATA_KEY, openstackPlugin } from '@overmind/driver-openstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPUTE, NETWORK, passwordCredentials, startOsReplay, type OsReplay } from '../../../packages/driver-openstack/test/os-replay.js';
import {
  catalog,
  createNode,
  createRefused,
  destroyNode,
  expectCredentialsRefused,
  favouriteFirst,
  getNode,
  idempotencyKey,
  importedNodes,
  jobLog,
  nodeAction,
  rebootStopStart,
  refreshCatalog,
  registerProvider,
} from './support/provider-steps.js';
import { PULL_ROLE_SECRETS, createPayloads, createPullRoleNode, enrolWith, expectAgentUserData } from './support/agent-user-data.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKreQjwvcjMaqtrErTZbo/cBd6HBgzKd2qdO6kFd7edj ops@example';
const UBUNTU = '70a599e0-31e7-49b7-b260-868f441e862b';
const GOLDEN = 'c0ffee00-1234-4abc-8def-0123456789ab';

let t: TestApp;
let replay: OsReplay;
let providerId: string;
const deleted = new Set<string>();
let kitchenDir: string;

/**
 * What the driver's replay leaves out: a new server finishes building (ACTIVE, with a fixed and a
 * floating address) once it has been looked at, and a deleted server answers 404 while its id is
 * never given out again (the replay numbers new servers by how many it holds).
 */
function finishBuilds(r: OsReplay) {
  const one = r.server.fixture<Record<string, { itemNotFound: unknown }>>('errors.json').nova404;
  r.server.defineScenario('cloud', async (req, next) => {
    const id = new RegExp(`^${COMPUTE}/servers/([0-9a-f-]{36})$`).exec(req.path)?.[1];
    if (id && deleted.has(id)) return { status: 404, json: one };
    const s = id ? r.servers.get(id) : undefined;
    const answer = structuredClone(await next());
    if (s && req.method === 'GET' && s.status === 'BUILD') {
      Object.assign(s, {
        status: 'ACTIVE',
        'OS-EXT-STS:task_state': null,
        addresses: {
          private: [
            { addr: '10.0.0.40', version: 4, 'OS-EXT-IPS:type': 'fixed' },
            { addr: '203.0.113.40', version: 4, 'OS-EXT-IPS:type': 'floating' },
          ],
        },
      });
    }
    if (s && req.method === 'DELETE' && answer.status === 204) {
      deleted.add(id!);
      r.servers.set(id!, { ...s, status: 'DELETED' });
    }
    return answer;
  });
  r.server.scenario = 'cloud';
}

beforeAll(async () => {
  replay = await startOsReplay();
  finishBuilds(replay);
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-os-kitchen-'));
  t = await createTestApp({ plugins: [openstackPlugin], env: { OVERMIND_KITCHEN_DIR: kitchenDir, OVERMIND_PUBLIC_URL: 'https://overmind.example.test' } });
});
afterAll(async () => {
  await t?.close();
  await replay?.server.close();
  await rm(kitchenDir, { recursive: true, force: true });
});

const settings = () => ({ authUrl: `${replay.server.url}/identity/v3`, pollIntervalMs: 10, requestTimeoutMs: 2000, pageSize: 2 });
const nodeBody = (name: string) => ({ providerId, name, imageId: UBUNTU, sizeId: '2', locationId: 'nova' });

describe('OpenStack through the API', () => {
  it('refuses a password Keystone rejects, with its message, and stores nothing', async () => {
    await expectCredentialsRefused(
      t,
      { name: 'os-bad', type: 'openstack', credentials: { ...passwordCredentials, password: 'not-the-password' }, settings: settings() },
      /requires authentication/,
    );
    expect(replay.tokens).toEqual([]);
  });

  it('registers the project, imports its servers over three pages and caches the catalog', async () => {
    const { provider, jobs } = await registerProvider(t, { name: 'os-web', type: 'openstack', credentials: passwordCredentials, settings: settings() });
    providerId = provider.id;
    expect(await importedNodes(t, providerId, jobs)).toEqual({
      result: { listed: 5, imported: 5, updated: 0, decommissioned: 0 },
      nodes: ['batch-7:error', 'db-1:stopped', 'edge-1:stopping', 'web-1:running', 'web-2:pending'],
    });

    expect((await catalog(t, providerId, 'images')).total).toBe(5);
    expect((await catalog(t, providerId, 'images', 'debian')).items.map((i) => i.name)).toEqual(['debian-12-genericcloud-amd64']);
    expect((await catalog(t, providerId, 'sizes', 'm1.small')).items.map((s) => s.id)).toEqual(['2']);
    expect((await catalog(t, providerId, 'locations')).items.map((l) => l.id)).toEqual(['az-2', 'az-maintenance', 'nova']);
    expect((await catalog(t, providerId, 'networks')).items.map((n) => [n.name, n.data.external])).toEqual([['public', true], ['web-net', false]]);
    await favouriteFirst(t, providerId, GOLDEN);
  });

  it('creates a server with metadata, keypair and user data; reboots, stops, starts and deletes it', async () => {
    const { job, node } = await createNode(t, { ...nodeBody('api-1'), sshPublicKey: PUBLIC_KEY, userData: '#cloud-config\n' });
    expect(job).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(node).toMatchObject({ state: 'running', publicIps: ['203.0.113.40'], privateIps: ['10.0.0.40'] });

    const [post] = replay.server.requestsTo('POST', `${COMPUTE}/servers`);
    const sent = (post!.json as { server: Record<string, any> }).server;
    expect(sent).toMatchObject({ name: 'api-1', imageRef: UBUNTU, flavorRef: '2', availability_zone: 'nova', networks: 'auto' });
    expect(sent.metadata).toEqual({ 'overmind-node-id': node.id, [IDEMPOTENCY_METADATA_KEY]: await idempotencyKey(t, node.id) });
    expect(Buffer.from(sent.user_data, 'base64').toString()).toBe('#cloud-config\n');
    expect(sent.key_name).toBe(replay.keypairs.find((k) => k.public_key === PUBLIC_KEY)?.name);
    expect(node.providerNodeId).toBe([...replay.servers.values()].find((s) => s.name === 'api-1')?.id);

    const bodies = { reboot: { reboot: { type: 'SOFT' } }, stop: { 'os-stop': null }, start: { 'os-start': null } };
    await rebootStopStart(t, node.id, (action) =>
      expect(replay.server.requestsTo('POST', `${COMPUTE}/servers/${node.providerNodeId}/action`).at(-1)!.json).toEqual(bodies[action]));
    await destroyNode(t, node.id);
    expect([...deleted]).toEqual([node.providerNodeId]);
  });

  it('fails a reboot that leaves the server in ERROR, with Nova\'s fault, and shows the node in error', async () => {
    const { job: created, node } = await createNode(t, nodeBody('api-2'));
    expect(created.state).toBe('succeeded');
    replay.actionOutcome = 'ERROR';
    const job = await nodeAction(t, node.id, 'reboot');
    replay.actionOutcome = null;
    // Not transient: one attempt, and the provider's reason as the job's error.
    expect(job).toMatchObject({ state: 'failed', attempts: 1, error: expect.stringMatching(/went to ERROR during reboot: Failed to power off instance/) });
    expect(await jobLog(t, job.id)).toEqual(expect.arrayContaining([expect.stringMatching(/^failed: server .* went to ERROR/)]));
    expect((await getNode(t, node.id)).state).toBe('error');
    await destroyNode(t, node.id);
    expect(deleted.size).toBe(2);
    expect(replay.server.unmatched).toEqual([]);
  });

  it('creates the servers of a pull role on its networks with user data that installs the agent, whose token enrols', async () => {
    const machine = { providerId, locationId: 'nova', sizeId: '2', imageId: UBUNTU };
    const refused = await t.request('operator', { method: 'POST', url: '/api/v1/server-roles', payload: { name: 'os-bad-net', ...machine, networkIds: ['nope'], runList: [], ssh: { username: 'root', privateKey: 'k'.repeat(64) } } });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().detail).toMatch(/^body.networkIds nope: not a network of provider os-web; choose among: web-net/);
    const { nodeId, job } = await createPullRoleNode(t, { ...machine, networkIds: ['3c0fa3a8-b3c6-4a4e-8f21-5d3c1e0b9a77'], floatingIp: false }, 'os-pull');
    expect(job.state, job.error).toBe('succeeded');
    const post = replay.server.requestsTo('POST', `${COMPUTE}/servers`).at(-1)!;
    const sent = (post.json as { server: { name: string; user_data: string; networks: unknown } }).server;
    expect(sent.name).toBe('os-pull-1');
    expect(sent.networks).toEqual([{ uuid: '3c0fa3a8-b3c6-4a4e-8f21-5d3c1e0b9a77' }]);
    const token = expectAgentUserData(Buffer.from(sent.user_data, 'base64').toString('utf8'), 'https://overmind.example.test', [
      passwordCredentials.password!, PULL_ROLE_SECRETS.sshKeyLine, PULL_ROLE_SECRETS.dbPassword,
    ]);
    expect(await createPayloads(t, nodeId)).not.toContain(token);
    expect((await jobLog(t, job.id)).join('\n')).not.toContain(token);
    expect(await enrolWith(t, token)).toMatchObject({ status: 201, body: { nodeId, status: 'active' } });
  });

  it('refuses a create without networks once the project has several, listing them; creates on two with a floating IP and releases it', async () => {
    replay.networks.push({ ...replay.networks[0]!, id: 'b7d4e2a1-5c3f-4e8d-9a6b-1c2d3e4f5a6b', name: 'db-net' });
    await refreshCatalog(t, providerId);
    const posts = replay.server.requestsTo('POST', `${COMPUTE}/servers`).length;
    const detail = await createRefused(t, nodeBody('api-3'));
    expect(detail).toBe(
      'body.networkIds is needed: provider os-web has several networks and no default; choose among: db-net (b7d4e2a1-5c3f-4e8d-9a6b-1c2d3e4f5a6b), ' +
        'web-net (3c0fa3a8-b3c6-4a4e-8f21-5d3c1e0b9a77), or "none"',
    );
    expect(await createRefused(t, { ...nodeBody('api-3'), networkIds: 'auto' })).toMatch(/^body.networkIds is needed: .* cannot pick one itself/);
    expect(await createRefused(t, { ...nodeBody('api-3'), networkIds: ['nope'] })).toMatch(/^body.networkIds nope: not a network of provider os-web; choose among: db-net/);
    expect(replay.server.requestsTo('POST', `${COMPUTE}/servers`)).toHaveLength(posts);

    const networkIds = ['3c0fa3a8-b3c6-4a4e-8f21-5d3c1e0b9a77', 'b7d4e2a1-5c3f-4e8d-9a6b-1c2d3e4f5a6b'];
    const { job, node } = await createNode(t, { ...nodeBody('api-3'), networkIds, floatingIp: true });
    expect(job.state, job.error ?? '').toBe('succeeded');
    expect((replay.server.requestsTo('POST', `${COMPUTE}/servers`).at(-1)!.json as { server: { networks: unknown } }).server.networks).toEqual(
      networkIds.map((uuid) => ({ uuid })),
    );
    expect(node.publicIps).toContain('203.0.113.77');
    expect(node.privateIps).toEqual(['10.0.0.40']);
    expect(replay.floatingIps.size).toBe(1);
    await destroyNode(t, node.id);
    expect(replay.floatingIps.size).toBe(0);
    expect(replay.server.requestsTo('DELETE', `${NETWORK}/floatingips/:id`)).toHaveLength(1);
    expect(replay.server.unmatched).toEqual([]);
  });
});
