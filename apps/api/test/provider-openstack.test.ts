import { IDEMPOTENCY_METADATA_KEY, openstackPlugin } from '@overmind/driver-openstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPUTE, passwordCredentials, startOsReplay, type OsReplay } from '../../../packages/driver-openstack/test/os-replay.js';
import {
  catalog,
  createNode,
  destroyNode,
  expectCredentialsRefused,
  favouriteFirst,
  getNode,
  idempotencyKey,
  importedNodes,
  jobLog,
  nodeAction,
  rebootStopStart,
  registerProvider,
} from './support/provider-steps.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKreQjwvcjMaqtrErTZbo/cBd6HBgzKd2qdO6kFd7edj ops@example';
const UBUNTU = '70a599e0-31e7-49b7-b260-868f441e862b';
const GOLDEN = 'c0ffee00-1234-4abc-8def-0123456789ab';

let t: TestApp;
let replay: OsReplay;
let providerId: string;
const deleted = new Set<string>();

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
  t = await createTestApp({ plugins: [openstackPlugin] });
});
afterAll(async () => {
  await t?.close();
  await replay?.server.close();
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
});
