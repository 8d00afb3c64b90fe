/**
 * A three-tier constellation (db, app, web) on a real libvirtd with emulated qemu (the smallest
 * domains the libvirt tests use: 64 MiB, diskless), through the API: plan, apply in dependency
 * order, the dependent tiers' configuration carrying the outputs of the tiers before them, scale up
 * and down with stable keys, a member whose domain was stopped replaced by the service guarantee,
 * clone onto the dummy provider, destroy.
 */
import { libvirtPlugin } from '@overmind/driver-libvirt';
import { startLibvirtFixture, type LibvirtFixture } from '@overmind/driver-libvirt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerProvider } from './support/provider-steps.js';
import { constellationSteps } from './support/constellation-steps.js';
import { createDummyProvider, createTestApp, eventually, waitForJob, type TestApp } from './support/test-app.js';

let t: TestApp;
let fx: LibvirtFixture;
let kvm: string;
let dummy: string;

const APPLY_MS = 120_000;

beforeAll(async () => {
  [fx, t] = await Promise.all([startLibvirtFixture(), createTestApp({ plugins: [libvirtPlugin], env: { OVERMIND_GUARANTEE_PASS_SECONDS: '1' } })]);
  kvm = (await registerProvider(t, { name: 'kvm', type: 'libvirt', credentials: fx.credentials(), settings: fx.settings() })).provider.id;
  dummy = (await createDummyProvider(t)).id;
}, 180_000);
afterAll(async () => {
  await t?.close();
  await fx?.stop();
});

const { ok, apply, destroy, logLines } = constellationSteps(() => t, APPLY_MS);
const stepsOf = (plan: { steps: { action: string; key: string }[] }) => plan.steps.map((s) => `${s.action} ${s.key}`);
const domstate = async (name: string) => (await fx.virsh('domstate', name)).trim();
const domains = async () => (await fx.virsh('list', '--all', '--name')).split('\n').map((n) => n.trim()).filter((n) => n.startsWith(fx.prefix));

type Member = { key: string; nodeId: string; nodeName: string; privateIps: string[]; publicIps: string[] };
type View = { id: string; tiers: { name: string; members: Member[] }[] };
const membersOf = (c: View, tier: string) => c.tiers.find((x) => x.name === tier)!.members;

describe('a three-tier constellation on libvirt', () => {
  const machine = () => ({ providerId: kvm, locationId: fx.sshd.host, sizeId: 'tiny', imageId: 'none' });
  const tiers = (app: number) => [
    { name: 'db', machine: machine(), count: 1 },
    { name: 'app', machine: machine(), count: app, dependsOn: ['db'] },
    { name: 'web', machine: machine(), count: 1, dependsOn: ['app'] },
  ];
  let c: View;

  it('plans, applies in dependency order as running domains, and hands each tier the outputs of the one before', async () => {
    // Named with the fixture's prefix, so its domains (`<prefix>-db-1`) are the fixture's to clean up.
    const created = await ok('POST', '/constellations', { name: fx.prefix, tiers: tiers(1) }, 201);
    expect(stepsOf(await ok('POST', `/constellations/${created.id}/plan`))).toEqual(['create db-1', 'create app-1', 'create web-1']);
    expect(await domains()).toEqual([]);
    const job = await apply(created.id);
    expect(job.state, job.error).toBe('succeeded');
    c = await ok('GET', `/constellations/${created.id}`);
    for (const key of ['db-1', 'app-1', 'web-1']) expect(await domstate(`${fx.prefix}-${key}`)).toBe('running');

    // What a configure of each member reads (the configure job asks the same function): the
    // addresses of the tier it depends on, as the provider reports them, in key order.
    const [db] = membersOf(c, 'db');
    const [app] = membersOf(c, 'app');
    const [web] = membersOf(c, 'web');
    const appConfig = await t.app.services.constellations.overlayFor(app!.nodeId);
    expect(appConfig?.attributes).toEqual({
      overmind: {
        constellation: fx.prefix, tier: 'app', key: 'app-1',
        tiers: { db: { private_addresses: db!.privateIps, public_addresses: db!.publicIps, members: [{ key: 'db-1', node: db!.nodeName, private_addresses: db!.privateIps, public_addresses: db!.publicIps }] } },
      },
    });
    const webConfig = (await t.app.services.constellations.overlayFor(web!.nodeId))?.attributes as { overmind: { tiers: Record<string, { members: { node: string }[] }> } };
    expect(Object.keys(webConfig.overmind.tiers)).toEqual(['app']);
    expect(webConfig.overmind.tiers.app!.members.map((m) => m.node)).toEqual([`${fx.prefix}-app-1`]);
    // Order: each tier's domain was made after those of the tiers it depends on.
    const lines = await logLines(job.id);
    const started = (key: string) => lines.findIndex((l) => l.startsWith(`[${key} create] node.create job`));
    expect(started('db-1')).toBeLessThan(started('app-1'));
    expect(started('app-1')).toBeLessThan(started('web-1'));
    expect((await ok('POST', `/constellations/${created.id}/plan`)).summary).toMatchObject({ create: 0, destroy: 0, unchanged: 3 });
  });

  it('scales the app tier up and down with stable keys', async () => {
    const app1 = membersOf(c, 'app')[0]!.nodeId;
    await ok('PUT', `/constellations/${c.id}/spec`, { tiers: tiers(2) });
    expect(stepsOf(await ok('POST', `/constellations/${c.id}/plan`))).toEqual(['create app-2']);
    expect((await apply(c.id)).state).toBe('succeeded');
    expect(await domstate(`${fx.prefix}-app-2`)).toBe('running');
    const web = membersOf(await ok('GET', `/constellations/${c.id}`), 'web')[0]!;
    const outputs = (await t.app.services.constellations.overlayFor(web.nodeId))?.attributes as { overmind: { tiers: { app: { members: { key: string }[] } } } };
    expect(outputs.overmind.tiers.app.members.map((m) => m.key)).toEqual(['app-1', 'app-2']);

    await ok('PUT', `/constellations/${c.id}/spec`, { tiers: tiers(1) });
    expect(stepsOf(await ok('POST', `/constellations/${c.id}/plan`))).toEqual(['destroy app-2']);
    const down = await apply(c.id);
    expect(down.state, down.error).toBe('succeeded');
    const now: View = await ok('GET', `/constellations/${c.id}`);
    expect(membersOf(now, 'app').map((m) => [m.key, m.nodeId])).toEqual([['app-1', app1]]);
    expect((await domains()).sort()).toEqual([`${fx.prefix}-app-1`, `${fx.prefix}-db-1`, `${fx.prefix}-web-1`]);
  });

  it('replaces a member whose domain was stopped behind its back, within 90 s after its grace period', async () => {
    const grace = 2;
    const withGuarantee = tiers(1).map((x) => (x.name === 'web' ? { ...x, health: { gracePeriodSeconds: grace, remediation: ['replace'], settleSeconds: 60, backoffSeconds: 1 } } : x));
    await ok('PUT', `/constellations/${c.id}/spec`, { tiers: withGuarantee });
    expect((await apply(c.id)).state).toBe('succeeded'); // the guarantee follows the applied version
    const old = membersOf(await ok('GET', `/constellations/${c.id}`), 'web')[0]!;
    await fx.virsh('destroy', `${fx.prefix}-web-1`); // a hard power-off, as a host crash or an operator would
    const sync = await ok('POST', `/providers/${kvm}/sync`, undefined, 202);
    expect((await waitForJob(t, sync.id, APPLY_MS)).state).toBe('succeeded');
    expect((await ok('GET', `/nodes/${old.nodeId}`)).state).toBe('stopped');
    const graceOver = Date.now() + grace * 1000;

    const attempt = await eventually(async () => (await ok('GET', `/constellations/${c.id}/guarantee`)).tiers.find((x: { tier: string }) => x.tier === 'web').attempts.find((a: { outcome: string | null }) => a.outcome), APPLY_MS, 'the replacement of web-1');
    expect(Date.now() - graceOver).toBeLessThan(90_000);
    expect(attempt).toMatchObject({ key: 'web-1', nodeId: old.nodeId, step: 'replace', outcome: 'replaced' });
    c = await ok('GET', `/constellations/${c.id}`);
    const [now] = membersOf(c, 'web');
    expect(now!.key).toBe('web-2');
    expect(await domstate(`${fx.prefix}-web-2`)).toBe('running');
    expect((await domains()).sort()).toEqual([`${fx.prefix}-app-1`, `${fx.prefix}-db-1`, `${fx.prefix}-web-2`]);
    expect((await ok('GET', `/nodes/${old.nodeId}`)).destroyedAt).not.toBeNull();
  });

  it('clones onto the dummy provider and destroys both after confirmation', async () => {
    const clone = await ok('POST', `/constellations/${c.id}/clone`, { name: `${fx.prefix}-d`, machine: { providerId: dummy, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12' }, counts: { app: 2 } }, 201);
    expect(stepsOf(await ok('POST', `/constellations/${clone.id}/plan`))).toEqual(['create db-1', 'create app-1', 'create app-2', 'create web-1']);
    const cloned = await apply(clone.id);
    expect(cloned.state, cloned.error).toBe('succeeded');
    const copy: View = await ok('GET', `/constellations/${clone.id}`);
    const nodes = await Promise.all(copy.tiers.flatMap((x) => x.members).map((m) => ok('GET', `/nodes/${m.nodeId}`)));
    expect(nodes.map((n: { providerId: string }) => n.providerId)).toEqual([dummy, dummy, dummy, dummy]);
    // The dummy's db addresses reach the clone's app tier.
    const db = membersOf(copy, 'db')[0]!;
    expect(db.privateIps.length).toBeGreaterThan(0);
    const appOutputs = (await t.app.services.constellations.overlayFor(membersOf(copy, 'app')[0]!.nodeId))?.attributes as { overmind: { tiers: { db: { private_addresses: string[] } } } };
    expect(appOutputs.overmind.tiers.db.private_addresses).toEqual(db.privateIps);
    expect(await domains()).toHaveLength(3); // the clone made no domain

    for (const [id, name] of [[clone.id, `${fx.prefix}-d`], [c.id, fx.prefix]] as const) {
      const job = await destroy(id, name);
      expect(job.state, job.error).toBe('succeeded');
    }
    expect(await domains()).toEqual([]);
  });
});
