import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ProviderError } from '@overmind/provider';
import { generateSshKey, rejectionOf, useReplay, type TestSshKey } from '@overmind/testkit';
import { IDEMPOTENCY_METADATA_KEY, keyFingerprint } from '../src/index.js';
import { COMPUTE, startOsReplay } from './os-replay.js';

const replay = useReplay(() => startOsReplay());

let key: TestSshKey;
beforeAll(() => {
  key = generateSshKey('ops@example');
});
afterAll(() => key.remove());

const request = { name: 'api-1', imageId: '70a599e0-31e7-49b7-b260-868f441e862b', sizeId: '2', locationId: 'az-2' };
const detail = `${COMPUTE}/servers/detail`;

describe('nova servers', () => {
  it('lists servers across three pages via servers_links, on the catalog host, with the microversion', async () => {
    const nodes = await replay().driver.listNodes();
    const calls = replay().server.requestsTo('GET', detail);
    expect(calls.map((r) => r.query)).toEqual([
      { limit: '2' },
      { limit: '2', marker: '9168b536-cd40-4630-b43f-b259807c6e87' },
      { limit: '2', marker: '3f4c2a1b-8d7e-4b6a-9c5d-1e2f3a4b5c6d' },
    ]);
    expect(calls.every((r) => r.headers['openstack-api-version'] === 'compute 2.37')).toBe(true);
    expect(calls.every((r) => r.headers['x-openstack-nova-api-version'] === '2.37')).toBe(true);
    expect(nodes.map((n) => [n.name, n.state])).toEqual([
      ['web-1', 'running'],
      ['web-2', 'pending'],
      ['db-1', 'stopped'],
      ['batch-7', 'error'],
      ['edge-1', 'stopping'],
    ]);
  });

  it('maps floating addresses to public, fixed to private, untyped by range', async () => {
    const nodes = await replay().driver.listNodes();
    expect(nodes[0]).toMatchObject({
      id: '764e369e-a874-4401-b7ce-43e4760888da',
      publicIps: ['203.0.113.24'],
      privateIps: ['10.0.0.12', 'fd12:3456:789a:0:f816:3eff:fe4c:2c30'],
      imageId: '70a599e0-31e7-49b7-b260-868f441e862b',
      sizeId: '3',
      locationId: 'nova',
      createdAt: '2025-03-01T10:00:12Z',
      extra: { keyName: 'ops', metadata: { role: 'web' }, vmState: 'active', securityGroups: ['default'] },
    });
    expect(nodes[2]!.privateIps).toEqual(['192.168.10.5']);
    expect(nodes[4]).toMatchObject({ publicIps: ['198.51.100.40'], imageId: null, extra: { taskState: 'powering-off' } });
  });

  it('maps a status the table does not know to unknown', async () => {
    replay().servers.get('764e369e-a874-4401-b7ce-43e4760888da')!.status = 'LIVE_SNAPSHOTTING';
    const node = await replay().driver.getNode('764e369e-a874-4401-b7ce-43e4760888da');
    expect(node).toMatchObject({ state: 'unknown', extra: { status: 'LIVE_SNAPSHOTTING' } });
  });

  it('gets null for a server Nova does not know', async () => {
    expect(await replay().driver.getNode('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('creates a server with flavor, image, zone, keypair, base64 user data and the idempotency metadata', async () => {
    const node = await replay().driver.createNode({
      ...request,
      idempotencyKey: 'b7e3c1d2-0f4a-4e6b-8c9d-1a2b3c4d5e6f',
      sshPublicKey: key.publicKey,
      userData: '#cloud-config\npackages: [nginx]\n',
      tags: { env: 'prod' },
    });
    expect(node).toMatchObject({ name: 'api-1', state: 'pending', locationId: 'az-2' });
    const imported = replay().keypairs.at(-1)!;
    expect(keyFingerprint(key.publicKey)).toBe(key.md5Fingerprint);
    expect(imported).toMatchObject({ fingerprint: keyFingerprint(key.publicKey), public_key: key.publicKey.trim() });
    expect(replay().server.requestsTo('POST', `${COMPUTE}/servers`)[0]!.json).toEqual({
      server: {
        name: 'api-1',
        flavorRef: '2',
        imageRef: '70a599e0-31e7-49b7-b260-868f441e862b',
        availability_zone: 'az-2',
        key_name: imported.name,
        user_data: Buffer.from('#cloud-config\npackages: [nginx]\n').toString('base64'),
        metadata: { env: 'prod', [IDEMPOTENCY_METADATA_KEY]: 'b7e3c1d2-0f4a-4e6b-8c9d-1a2b3c4d5e6f' },
        networks: 'auto',
      },
    });
  });

  it('reuses a keypair that already holds the key and attaches configured networks', async () => {
    replay().keypairs.push({ name: 'laptop', type: 'ssh', fingerprint: keyFingerprint(key.publicKey), public_key: key.publicKey });
    const driver = replay().makeDriver({ networkIds: ['3c0fa3a8-b3c6-4a4e-8f21-5d3c1e0b9a77'] });
    await driver.createNode({ ...request, idempotencyKey: 'k1', sshPublicKey: key.publicKey });
    expect(replay().server.requestsTo('POST', `${COMPUTE}/os-keypairs`)).toHaveLength(0);
    expect(replay().server.requestsTo('POST', `${COMPUTE}/servers`)[0]!.json).toMatchObject({
      server: { key_name: 'laptop', networks: [{ uuid: '3c0fa3a8-b3c6-4a4e-8f21-5d3c1e0b9a77' }] },
    });
  });

  it('finds the server of a retried create by its metadata instead of making a second', async () => {
    const first = await replay().driver.createNode({ ...request, name: 'api.1', idempotencyKey: 'retry-key' });
    const second = await replay().driver.createNode({ ...request, name: 'api.1', idempotencyKey: 'retry-key' });
    const other = await replay().driver.createNode({ ...request, name: 'api.1', idempotencyKey: 'another-key' });
    expect(second.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect(replay().server.requestsTo('POST', `${COMPUTE}/servers`)).toHaveLength(2);
    expect(replay().server.requestsTo('GET', detail).map((r) => r.query.name)).toEqual(['^api\\.1$', '^api\\.1$', '^api\\.1$']);
  });

  it.each([
    ['rebootNode', { reboot: { type: 'SOFT' } }, '764e369e-a874-4401-b7ce-43e4760888da', 'running'],
    ['powerCycle', { reboot: { type: 'HARD' } }, '764e369e-a874-4401-b7ce-43e4760888da', 'running'],
    ['startNode', { 'os-start': null }, '0b6fd1e6-4f4d-4a55-8d1a-2d5f3b1c9e01', 'running'],
    ['stopNode', { 'os-stop': null }, '764e369e-a874-4401-b7ce-43e4760888da', 'stopped'],
  ] as const)('%s posts %o and polls the server until it settles', async (method, body, id, state) => {
    await replay().driver[method](id);
    expect(replay().server.requestsTo('POST', `${COMPUTE}/servers/:id/action`)[0]).toMatchObject({ json: body });
    expect(replay().server.requestsTo('GET', `${COMPUTE}/servers/:id`)).toHaveLength(3);
    expect((await replay().driver.getNode(id))?.state).toBe(state);
  });

  it('fails an action whose server goes to ERROR, with the fault message', async () => {
    replay().actionOutcome = 'ERROR';
    const err = await rejectionOf(replay().driver.stopNode('764e369e-a874-4401-b7ce-43e4760888da'));
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toMatch(/went to ERROR during os-stop: Failed to power off instance/);
  });

  it('fails an action that outlasts the timeout, and stops polling on abort', async () => {
    replay().pollsBeforeDone = 1000;
    const slow = replay().makeDriver({ actionTimeoutMs: 30 });
    await expect(slow.rebootNode('764e369e-a874-4401-b7ce-43e4760888da')).rejects.toThrow(/did not reach ACTIVE within 30 ms/);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('job cancelled')), 30);
    await expect(replay().driver.rebootNode('764e369e-a874-4401-b7ce-43e4760888da', { signal: controller.signal })).rejects.toThrow(
      'job cancelled',
    );
  });

  it('deletes a server, and reports a missing one as NotFound', async () => {
    await replay().driver.destroyNode('0b6fd1e6-4f4d-4a55-8d1a-2d5f3b1c9e01');
    expect(replay().servers.has('0b6fd1e6-4f4d-4a55-8d1a-2d5f3b1c9e01')).toBe(false);
    await expect(replay().driver.destroyNode('0b6fd1e6-4f4d-4a55-8d1a-2d5f3b1c9e01')).rejects.toBeInstanceOf(NotFoundError);
  });
});
