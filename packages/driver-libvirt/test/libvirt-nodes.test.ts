import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { NotFoundError, TransientError, type ProviderNode } from '@overmind/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LibvirtDriver, buildDomainXml, domainUuid, libvirtPlugin, type LibvirtSettings } from '../src/index.js';
import { startLibvirtFixture, type LibvirtFixture } from '../test-support/libvirtd-fixture.js';

let fx: LibvirtFixture;

beforeAll(async () => {
  fx = await startLibvirtFixture();
});
afterAll(async () => {
  await fx?.stop();
});

function driver(settings: Partial<LibvirtSettings> = {}) {
  return libvirtPlugin.createDriver({ providerId: randomUUID(), credentials: fx.credentials(), settings: fx.settings(settings) }) as LibvirtDriver;
}

const request = (name: string, imageId = 'none') => ({ name, imageId, sizeId: 'tiny', locationId: '127.0.0.1', idempotencyKey: randomUUID() });
const domstate = async (name: string) => (await fx.virsh('domstate', name)).trim();
const domainNames = async () => (await fx.virsh('list', '--all', '--name')).split('\n').map((n) => n.trim()).filter(Boolean);
const volumes = async () =>
  (await fx.virsh('vol-list', fx.pool)).split('\n').slice(2).flatMap((l) => l.trim().split(/\s+/).slice(0, 1)).filter(Boolean);

describe('a diskless node through its life', () => {
  const d = () => driver();
  let node: ProviderNode;

  it('is created from generated XML, started, and listed as running', async () => {
    const req = request(fx.domainName('diskless'));
    node = await d().createNode(req);
    expect(node).toMatchObject({ name: req.name, state: 'running', imageId: 'none', sizeId: 'tiny', locationId: '127.0.0.1' });
    expect(node.id).toBe(domainUuid(req.idempotencyKey));
    expect(await domstate(req.name)).toBe('running');
    const listed = (await d().listNodes()).find((n) => n.id === node.id);
    expect(listed).toMatchObject({ name: req.name, state: 'running', extra: { memoryMb: 64, vcpus: 1, disks: [], managedByOvermind: true } });
    // The live XML of a bridge-mode network NIC says type='bridge' but still names the network.
    expect(listed?.extra.interfaces).toEqual([{ type: expect.any(String), mac: expect.stringMatching(/^52:54:00:/), network: fx.network }]);
    expect(Date.parse(listed!.createdAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(await d().getNode(node.id)).toMatchObject({ id: node.id, state: 'running' });
  });

  it('reboots while running', async () => {
    const lines: string[] = [];
    await d().rebootNode(node.id, { log: (l) => lines.push(l) });
    expect(lines).toEqual([`rebooting domain ${node.id}`]);
    expect(await domstate(node.name)).toBe('running');
  });

  it('fails a stop when the guest ignores ACPI and forcing is off', async () => {
    // This guest has no OS, so it never answers the ACPI shutdown.
    const err = await driver({ forceStopAfterTimeout: false }).stopNode(node.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ providerCode: 'shutdown-timeout' });
    expect(await domstate(node.name)).toBe('running');
  });

  it('stops with an ACPI shutdown, then forces the domain off after the timeout', async () => {
    const lines: string[] = [];
    const started = Date.now();
    await d().stopNode(node.id, { log: (l) => lines.push(l) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(lines[0]).toMatch(/asking domain .* to shut down \(ACPI\)/);
    expect(lines.at(-1)).toMatch(/forcing domain .* off \(virsh destroy\)/);
    expect(await domstate(node.name)).toBe('shut off');
    expect((await d().getNode(node.id))?.state).toBe('stopped');
    await expect(d().stopNode(node.id)).resolves.toBeUndefined();
  });

  it('refuses to reboot a stopped domain', async () => {
    await expect(d().rebootNode(node.id)).rejects.toMatchObject({ providerCode: 'operation-invalid', status: 409 });
  });

  it('starts again, and a second start is a no-op', async () => {
    await d().startNode(node.id);
    expect(await domstate(node.name)).toBe('running');
    await d().startNode(node.id);
    expect((await d().getNode(node.id))?.state).toBe('running');
  });

  it('is destroyed: gone from virsh list --all', async () => {
    await d().destroyNode(node.id);
    expect(await domainNames()).not.toContain(node.name);
    expect(await d().getNode(node.id)).toBeNull();
    await expect(d().destroyNode(node.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('a node on a cloned base volume', () => {
  it('clones and grows the base volume, and deletes only the clone on destroy', async () => {
    const d = driver();
    const req = request(fx.domainName('disk'), fx.baseVolume);
    const node = await d.createNode(req);
    const clone = `${req.name}-${node.id.slice(0, 8)}.img`;
    expect(await volumes()).toEqual(expect.arrayContaining([fx.baseVolume, clone]));
    expect(await fx.virsh('vol-info', '--pool', fx.pool, '--bytes', clone)).toMatch(/Capacity:\s+1073741824 bytes/);
    expect(node).toMatchObject({ state: 'running', imageId: fx.baseVolume, extra: { clonedVolumes: [{ pool: fx.pool, name: clone }] } });
    expect(node.extra.disks).toEqual([{ target: 'vda', pool: fx.pool, volume: clone, file: undefined }]);

    await d.destroyNode(node.id);
    expect(await domainNames()).not.toContain(req.name);
    expect(await volumes()).toContain(fx.baseVolume);
    expect(await volumes()).not.toContain(clone);
  });

  it('rolls back the clone and the domain when the domain cannot start', async () => {
    const req = request(fx.domainName('broken'), fx.baseVolume);
    const err = await driver({ network: 'ovm-no-such-network' }).createNode(req).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_found', providerCode: 'network-not-found' });
    expect(await domainNames()).not.toContain(req.name);
    expect((await volumes()).filter((v) => v.startsWith(req.name))).toEqual([]);
  });
});

describe('idempotent create', () => {
  it('returns the existing domain for a retried key instead of making a second', async () => {
    const d = driver();
    const req = request(fx.domainName('retry'));
    const first = await d.createNode(req);
    const second = await d.createNode({ ...req });
    expect(second.id).toBe(first.id);
    expect((await domainNames()).filter((n) => n === req.name)).toHaveLength(1);
    expect((await d.listNodes()).filter((n) => n.id === first.id)).toHaveLength(1);
  });

  it('starts a domain an interrupted create defined but never started', async () => {
    const req = request(fx.domainName('half'));
    const uuid = domainUuid(req.idempotencyKey);
    const metadata = { idempotencyKey: req.idempotencyKey, imageId: 'none', sizeId: 'tiny', createdAt: new Date().toISOString(), volumes: [], tags: {} };
    const xml = buildDomainXml({ type: 'qemu', name: req.name, uuid, memoryMb: 64, vcpus: 1, metadata });
    await writeFile(`${fx.poolDir}/half.xml`, xml);
    await fx.virsh('define', `${fx.poolDir}/half.xml`);
    const node = await driver().createNode(req);
    expect(node).toMatchObject({ id: uuid, state: 'running' });
  });

  it('refuses a name another domain already has', async () => {
    const name = fx.domainName('taken');
    await driver().createNode(request(name));
    await expect(driver().createNode(request(name))).rejects.toMatchObject({ providerCode: 'name-taken', status: 409 });
    expect((await domainNames()).filter((n) => n === name)).toHaveLength(1);
  });
});

describe('bad input', () => {
  const unknown = randomUUID();

  it('reports an unknown domain as NotFound', async () => {
    const d = driver();
    expect(await d.getNode(unknown)).toBeNull();
    expect(await d.getNode("x'; virsh destroy --all")).toBeNull();
    for (const op of [d.rebootNode, d.startNode, d.stopNode, d.destroyNode]) {
      await expect(op.call(d, unknown)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(d.startNode('not-a-uuid')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects bad names, unknown images, sizes and locations before touching the host', async () => {
    const d = driver();
    await expect(d.createNode(request('bad name; reboot'))).rejects.toMatchObject({ providerCode: 'invalid-request', status: 400 });
    await expect(d.createNode({ ...request(fx.domainName()), sizeId: 'huge' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(d.createNode({ ...request(fx.domainName()), locationId: 'elsewhere' })).rejects.toBeInstanceOf(NotFoundError);
    // Only base volumes may be cloned, not any volume of the pool.
    await expect(d.createNode(request(fx.domainName(), 'other.img'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(d.createNode(request(fx.domainName(), 'base-missing.img'))).rejects.toMatchObject({ providerCode: 'volume-not-found' });
    expect((await domainNames()).filter((n) => n.includes('bad'))).toEqual([]);
  });
});
