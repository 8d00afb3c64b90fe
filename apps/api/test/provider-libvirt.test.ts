import { domainUuid, libvirtPlugin } from '@overmind/driver-libvirt';
import { startLibvirtFixture, type LibvirtFixture } from '@overmind/driver-libvirt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalog,
  createNode,
  destroyNode,
  expectCredentialsRefused,
  favouriteFirst,
  idempotencyKey,
  rebootStopStart,
  registerProvider,
  type ProviderView,
} from './support/provider-steps.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let fx: LibvirtFixture;
let provider: ProviderView;

beforeAll(async () => {
  [fx, t] = await Promise.all([startLibvirtFixture(), createTestApp({ plugins: [libvirtPlugin] })]);
});
afterAll(async () => {
  await t?.close();
  await fx?.stop();
});

/** The fixture's settings with nothing pinned: the API must pin the key it sees first. */
const unpinned = () => ({ ...fx.settings(), hostKeyFingerprint: undefined });
const domstate = async (name: string) => (await fx.virsh('domstate', name)).trim();
const domains = async () => (await fx.virsh('list', '--all', '--name')).split('\n').map((n) => n.trim());

describe('libvirt through the API, on a real libvirtd behind a real sshd', () => {
  it('refuses credentials sshd rejects, and a host whose key differs from the pinned one; stores nothing', async () => {
    await expectCredentialsRefused(
      t,
      { name: 'kvm-bad', type: 'libvirt', credentials: { username: fx.sshd.username, password: 'not-the-password' }, settings: unpinned() },
      new RegExp(`SSH authentication to ${fx.sshd.username}@127\\.0\\.0\\.1:\\d+ failed: the server refused the credentials`),
    );
    const before = (await t.request('observer', { method: 'GET', url: '/api/v1/providers' })).json().total;
    const res = await t.request('operator', {
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name: 'kvm-mitm', type: 'libvirt', credentials: fx.credentials(), settings: fx.settings({ hostKeyFingerprint: `SHA256:${'A'.repeat(43)}` }) },
    });
    expect(res.statusCode, res.body).toBe(502);
    expect(res.json().detail).toMatch(/does not match the pinned key.*nothing was sent/);
    expect((await t.request('observer', { method: 'GET', url: '/api/v1/providers' })).json().total).toBe(before);
  });

  it('registers the host, pins the host key it saw first, and caches images, sizes and the host', async () => {
    ({ provider } = await registerProvider(t, { name: 'kvm-1', type: 'libvirt', credentials: fx.credentials(), settings: unpinned() }));
    expect(provider.settings.hostKeyFingerprint).toBeUndefined();
    const stored = (await t.request('observer', { method: 'GET', url: `/api/v1/providers/${provider.id}` })).json() as ProviderView;
    expect(stored.settings.hostKeyFingerprint).toBe(fx.sshd.hostKeyFingerprint);
    expect(stored.status).toBe('ok');

    // Editing other settings keeps the pinned key: only naming a fingerprint changes it.
    const edited = await t.request('operator', { method: 'PATCH', url: `/api/v1/providers/${provider.id}`, payload: { settings: unpinned() } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().settings.hostKeyFingerprint).toBe(fx.sshd.hostKeyFingerprint);

    const images = (await catalog(t, provider.id, 'images')).items;
    expect(images.map((i) => i.id).sort()).toEqual([fx.baseVolume, 'none']);
    expect((await catalog(t, provider.id, 'sizes', 'tiny')).items).toEqual([expect.objectContaining({ id: 'tiny', name: 'Tiny (1 vCPU, 64 MiB, 1 GB)' })]);
    expect((await catalog(t, provider.id, 'locations')).items.map((l) => l.id)).toEqual([fx.sshd.host]);
    await favouriteFirst(t, provider.id, images[1]!.id);
  });

  it('creates a diskless domain, reboots, stops, starts and destroys it, each a job', async () => {
    const name = fx.domainName('api');
    const { job, node } = await createNode(t, { providerId: provider.id, name, imageId: 'none', sizeId: 'tiny', locationId: fx.sshd.host }, 30_000);
    expect(job, job.error ?? '').toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(node).toMatchObject({ name, state: 'running', providerNodeId: domainUuid(await idempotencyKey(t, node.id)) });
    expect(node.extra).toMatchObject({ memoryMb: 64, vcpus: 1, disks: [], managedByOvermind: true });
    expect(await domstate(name)).toBe('running');
    expect(await fx.virsh('domuuid', name)).toContain(node.providerNodeId);

    // The guest has no OS to answer ACPI: the driver forces it off after shutdownTimeoutSeconds.
    await rebootStopStart(t, node.id, async (action) => expect(await domstate(name)).toBe(action === 'stop' ? 'shut off' : 'running'));

    await destroyNode(t, node.id);
    expect(await domains()).not.toContain(name);
  });
});
