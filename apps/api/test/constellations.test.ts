/**
 * Constellations on two loopback dummy providers whose nodes answer SSH on this machine's sshd, and
 * the fake chef-solo reporting what each member was configured with (so outputs are seen where a
 * recipe would read them).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import { dummyStore } from '@overmind/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from './support/api-routes.js';
import { createLoopbackProvider, FIXTURE_KITCHEN, kitchenTarGz, loopbackPlugin, makeRemoteRoot, type FakeReport, type RemoteRoot } from './support/cm-support.js';
import { constellationSteps } from './support/constellation-steps.js';
import { createTestApp, eventually, type TestApp } from './support/test-app.js';

let t: TestApp;
let sshd: SshdFixture;
let remote: RemoteRoot;
let kitchenDir: string;
let providerA: string;
let providerB: string;

const APPLY_MS = 90_000;

beforeAll(async () => {
  sshd = await startSshd();
  remote = await makeRemoteRoot();
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-api-kitchen-'));
  t = await createTestApp({
    plugins: [loopbackPlugin(sshd.port), loopbackPlugin(sshd.port, 'loopback-b')],
    // One job at a time: every member is this machine, and two chef-solo pushes into the same
    // directories would trip over each other. It also shows an apply needs no worker of its own.
    env: { OVERMIND_KITCHEN_DIR: kitchenDir, OVERMIND_SSH_WAIT_SECONDS: '20', OVERMIND_WORKER_CONCURRENCY: '1', OVERMIND_GUARANTEE_PASS_SECONDS: '1' },
  });
  providerA = (await createLoopbackProvider(t)).id;
  providerB = (await createLoopbackProvider(t, 'loopback-b')).id;
  const res = await t.request('operator', { method: 'PUT', url: '/api/v1/kitchen', payload: await kitchenTarGz(FIXTURE_KITCHEN), headers: { 'content-type': 'application/gzip' } });
  expect(res.statusCode, res.body).toBe(200);
  for (const [name, mode] of [['member', 'ok'], ['broken', 'fail']] as const) {
    const role = await t.request('operator', {
      method: 'POST',
      url: '/api/v1/server-roles',
      payload: {
        name, providerId: providerA, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12', runList: ['role[base]'],
        cm: { kind: 'chef-solo', settings: { chefSoloCommand: remote.command(mode), paths: remote.paths } },
        ssh: { username: sshd.username, privateKey: sshd.privateKey },
      },
    });
    expect(role.statusCode, role.body).toBe(201);
  }
}, 120_000);
afterAll(async () => {
  await t?.close();
  await sshd?.stop();
  await remote?.remove();
  if (kitchenDir) await rm(kitchenDir, { recursive: true, force: true });
});

const { api, ok, apply, destroy, logLines } = constellationSteps(() => t, APPLY_MS);
const keysOf = (c: { tiers: { name: string; members: { key: string }[] }[] }, tier: string) => c.tiers.find((x) => x.name === tier)!.members.map((m) => m.key);
/** The last configure report of each node name. */
const lastReports = async (): Promise<Map<string, FakeReport>> => new Map((await remote.reports()).map((r) => [r.config.node_name as string, r]));
type Tiers = { overmind: { tier: string; key: string; tiers: Record<string, { private_addresses: string[]; members: { key: string }[] }> } };

const threeTiers = (counts: { db: number; app: number; web: number }) => [
  { name: 'db', serverRole: 'member', count: counts.db },
  { name: 'app', serverRole: 'member', runList: ['role[app]'], attributes: { app: { replicas: 3 } }, count: counts.app, dependsOn: ['db'], balancer: { name: 'app-lb', port: 8080, protocol: 'http' } },
  { name: 'web', serverRole: 'member', count: counts.web, dependsOn: ['app'], health: { gracePeriodSeconds: 60, maxUnavailable: 1, remediation: ['converge', 'replace'] } },
];

describe('constellations', () => {
  it('refuses a dependency cycle, naming it, and stores nothing', async () => {
    const body = { name: 'loop', tiers: [{ name: 'web', serverRole: 'member', count: 1, dependsOn: ['app'] }, { name: 'app', serverRole: 'member', count: 1, dependsOn: ['web'] }] };
    const problem = expectProblem(await api('POST', '/constellations', body), 422);
    expect(problem.errors).toEqual([{ field: 'body.tiers[0].dependsOn[0]', message: 'dependency cycle: web → app → web' }]);
    expectProblem(await api('POST', '/constellations', { name: 'x', tiers: [{ name: 'web', serverRole: 'nope', count: 1 }] }), 422);
    expect((await ok('GET', '/constellations')).total).toBe(0);
  });

  it('names the line and field of each problem in an imported YAML document', async () => {
    const document = ['name: shop', 'tiers:', '  - name: db', '    serverRole: member', '    count: -1', '  - name: web', '    serverRole: member', '    count: 2', '    colour: blue', '    dependsOn: [db]'].join('\n');
    const problem = expectProblem(await api('POST', '/constellations/import', { format: 'yaml', document }), 422);
    expect(problem.errors).toEqual([
      { field: 'tiers[0].count', message: 'must be >= 0', line: 5, column: 5 },
      { field: 'tiers[1].colour', message: 'is not a known field', line: 9, column: 5 },
    ]);
    const cycle = ['name: shop', 'tiers:', '  - { name: db, serverRole: member, count: 1, dependsOn: [web] }', '  - { name: web, serverRole: member, count: 1, dependsOn: [db] }'].join('\n');
    expect(expectProblem(await api('POST', '/constellations/import', { format: 'yaml', document: cycle }), 422).errors).toEqual([
      { field: 'tiers[0].dependsOn[0]', message: 'dependency cycle: db → web → db', line: 3, column: 59 },
    ]);
    const json = '{\n  "name": "shop",\n  "tiers": [\n    { "name": "db", "serverRole": "ghost", "count": 1 }\n  ]\n}';
    expect(expectProblem(await api('POST', '/constellations/import', { format: 'json', document: json }), 422).errors).toEqual([
      { field: 'tiers[0].serverRole', message: '"ghost" is not a server role', line: 4, column: 21 },
    ]);
    expect(expectProblem(await api('POST', '/constellations/import', { format: 'yaml', document: 'name: [' }), 422).errors[0]).toMatchObject({ field: 'document', line: 1 });
    // Found by the HTTP fuzzer: an alias without its anchor, and YAML sent as JSON.
    expect(expectProblem(await api('POST', '/constellations/import', { format: 'yaml', document: 'name: *nowhere\ntiers: []' }), 422).errors[0]).toMatchObject({ field: 'document', message: expect.stringContaining('alias') });
    expect(expectProblem(await api('POST', '/constellations/import', { format: 'json', document: "*a/b!'" }), 422).errors[0]).toMatchObject({ field: 'document', line: 1 });
    expect(expectProblem(await api('POST', '/constellations/import', { format: 'json', document: '{"name": "x",\n "tiers": [], # no\n}' }), 422).errors[0]).toMatchObject({ field: 'document' });
  });

  let shop: { id: string; tiers: { name: string; members: { key: string; nodeId: string; privateIps: string[] }[] }[] };

  it('plans, applies in dependency order, and hands the db addresses to the app tier and the app addresses to the web tier', async () => {
    const created = await ok('POST', '/constellations', { name: 'shop', tiers: threeTiers({ db: 1, app: 2, web: 1 }) }, 201);
    const plan = await ok('POST', `/constellations/${created.id}/plan`);
    expect(plan.steps.map((s: { key: string; action: string }) => `${s.action} ${s.key}`)).toEqual(['create db-1', 'create app-1', 'create app-2', 'create web-1']);
    expect(plan.balancers).toEqual([{ tier: 'app', name: 'app-lb', port: 8080, protocol: 'http', action: 'create', changes: [], balancerId: null, members: ['app-1', 'app-2'], attach: ['app-1', 'app-2'], detach: [] }]);
    expect((await ok('GET', '/nodes?limit=200')).items.filter((n: { name: string }) => n.name.startsWith('shop-'))).toEqual([]); // a plan changes nothing

    const job = await apply(created.id);
    expect(job.state, job.error).toBe('succeeded');
    shop = await ok('GET', `/constellations/${created.id}`);
    expect(shop).toMatchObject({ appliedVersion: 1, tiers: [{ name: 'db', count: 1 }, { name: 'app', count: 2 }, { name: 'web', count: 1 }] });
    const reports = await lastReports();
    const db = shop.tiers[0]!.members[0]!;
    const app = (reports.get('shop-app-1')!.node as unknown as Tiers & { app: unknown; run_list: string[] });
    expect(app.run_list).toEqual(['role[app]']);
    expect(app.app).toMatchObject({ replicas: 3 });
    expect(app.overmind).toMatchObject({ tier: 'app', key: 'app-1', tiers: { db: { private_addresses: db.privateIps, members: [{ key: 'db-1' }] } } });
    expect(db.privateIps.length).toBeGreaterThan(0);
    const web = reports.get('shop-web-1')!.node as unknown as Tiers;
    expect(web.overmind.tiers.app!.members.map((m) => m.key)).toEqual(['app-1', 'app-2']);
    expect(Object.keys(web.overmind.tiers)).toEqual(['app']); // only what it depends on
    // Order: each tier's configures after those of the tiers it depends on.
    const runs = (await remote.reports()).map((r) => r.config.node_name);
    expect(runs.indexOf('shop-db-1')).toBeLessThan(runs.indexOf('shop-app-1'));
    expect(Math.max(runs.indexOf('shop-app-1'), runs.indexOf('shop-app-2'))).toBeLessThan(runs.indexOf('shop-web-1'));

    // The app tier's balancer was made on the tier's provider, and holds the app members, healthy by its check.
    const [lb] = (await ok('GET', `/constellations/${created.id}/balancers`)).items;
    expect(lb).toMatchObject({ name: 'app-lb', providerId: providerA, constellationId: created.id, tier: 'app', state: 'active', port: 8080, protocol: 'http' });
    const tierLbs = (shop as unknown as { tiers: { balancer: { members: { key: string; state: string }[] } | null }[] }).tiers.map((x) => x.balancer?.members.map((m) => `${m.key} ${m.state}`) ?? null);
    expect(tierLbs).toEqual([null, ['app-1 healthy', 'app-2 healthy'], null]);
    expect((await ok('GET', `/providers/${providerA}/balancers`)).items.map((b: { id: string }) => b.id)).toContain(lb.id);
    // Each app member joined after it was configured.
    const lines = await logLines(job.id);
    for (const key of ['app-1', 'app-2']) {
      const joined = lines.findIndex((l) => l.startsWith(`[${key} create] joining balancer app-lb`));
      expect(joined, lines.join('\n')).toBeGreaterThan(lines.findIndex((l) => l.startsWith(`[${key} create] node.configure job`)));
    }

    const again = await ok('POST', `/constellations/${created.id}/plan`);
    expect(again.summary).toEqual({ create: 0, configure: 0, replace: 0, destroy: 0, attach: 0, unchanged: 4 });
    expect(again.balancers).toEqual([{ tier: 'app', name: 'app-lb', port: 8080, protocol: 'http', action: 'keep', changes: [], balancerId: lb.id, members: ['app-1', 'app-2'], attach: [], detach: [] }]);
  });

  it('scales up and down with stable keys, and configures the dependent tier again when its outputs change', async () => {
    const before = new Map(shop.tiers[1]!.members.map((m) => [m.key, m.nodeId]));
    await ok('PUT', `/constellations/${shop.id}/spec`, { tiers: threeTiers({ db: 1, app: 3, web: 1 }) });
    const up = await ok('POST', `/constellations/${shop.id}/plan`);
    expect(up.steps.map((s: { key: string; action: string }) => `${s.action} ${s.key}`)).toEqual(['create app-3', 'configure web-1']);
    expect((await apply(shop.id)).state).toBe('succeeded');
    let now = await ok('GET', `/constellations/${shop.id}`);
    expect(keysOf(now, 'app')).toEqual(['app-1', 'app-2', 'app-3']);

    await ok('PUT', `/constellations/${shop.id}/spec`, { tiers: threeTiers({ db: 1, app: 1, web: 1 }) });
    expect(now.tiers[1].balancer.members.map((m: { key: string }) => m.key)).toEqual(['app-1', 'app-2', 'app-3']);
    const down = await ok('POST', `/constellations/${shop.id}/plan`);
    expect(down.steps.map((s: { key: string; action: string }) => `${s.action} ${s.key}`)).toEqual(['destroy app-2', 'destroy app-3', 'configure web-1']);
    expect(down.balancers[0]).toMatchObject({ action: 'keep', members: ['app-1'], attach: [], detach: ['app-2', 'app-3'] });
    const job = await apply(shop.id);
    expect(job.state, job.error).toBe('succeeded');
    now = await ok('GET', `/constellations/${shop.id}`);
    expect(keysOf(now, 'app')).toEqual(['app-1']);
    expect(now.tiers[1].balancer.members.map((m: { key: string }) => m.key)).toEqual(['app-1']);
    // Drained out of the balancer before the node was destroyed.
    const lines = await logLines(job.id);
    const drained = lines.findIndex((l) => l.startsWith('[app-3 destroy] draining out of balancer app-lb'));
    expect(drained, lines.join('\n')).toBeGreaterThanOrEqual(0);
    expect(lines.findIndex((l) => l.startsWith('[app-3 destroy] node.destroy job'))).toBeGreaterThan(drained);
    expect(now.tiers[1].members[0].nodeId).toBe(before.get('app-1')); // the kept member is the same node
    const web = (await lastReports()).get('shop-web-1')!.node as unknown as Tiers;
    expect(web.overmind.tiers.app!.members.map((m) => m.key)).toEqual(['app-1']);
    expect(now.latestVersion).toBe(3);
  });

  it("changes the tier balancer's health check in place; its fixed settings are refused with what to do instead", async () => {
    const withBalancer = (balancer: Record<string, unknown>) => threeTiers({ db: 1, app: 1, web: 1 }).map((t) => (t.name === 'app' ? { ...t, balancer: { ...t.balancer, ...balancer } } : t));
    const healthCheck = { path: '/healthz', intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 };
    await ok('PUT', `/constellations/${shop.id}/spec`, { tiers: withBalancer({ healthCheck }) });
    const plan = await ok('POST', `/constellations/${shop.id}/plan`);
    expect(plan.balancers[0]).toMatchObject({ action: 'update', changes: ['health check the default → http GET /healthz every 5 s (timeout 2 s, 2 up, 2 down)'], members: ['app-1'] });
    const job = await apply(shop.id);
    expect(job.state, job.error).toBe('succeeded');
    expect((await logLines(job.id)).some((l) => /^balancer app-lb of tier app: health check .* balancer\.health-check job /.test(l))).toBe(true);
    const [lb] = (await ok('GET', `/constellations/${shop.id}/balancers`)).items;
    const wanted = { protocol: 'http', ...healthCheck };
    expect(lb.healthCheck).toEqual(wanted);
    expect(dummyStore(providerA).balancers.get(lb.providerBalancerId)!.balancer.healthCheck).toEqual(wanted);
    expect((await ok('POST', `/constellations/${shop.id}/plan`)).balancers[0]).toMatchObject({ action: 'keep', changes: [] });

    const before = (await ok('GET', `/constellations/${shop.id}`)).latestVersion;
    const refused = expectProblem(await api('PUT', `/constellations/${shop.id}/spec`, { tiers: withBalancer({ healthCheck, port: 9090, algorithm: 'least-connections' }) }), 409);
    expect(refused.detail).toContain("tier app's balancer app-lb: port 8080 → 9090, memberPort 8080 → 9090, algorithm round_robin → least_connections");
    expect(refused.detail).toContain('remove the balancer from the tier and apply');
    expect((await ok('GET', `/constellations/${shop.id}`)).latestVersion).toBe(before); // nothing stored
  });

  it('configures the dependent tier again when the service guarantee replaces a member: its outputs name the new one', async () => {
    const tiers = threeTiers({ db: 1, app: 1, web: 1 }).map((x) => (x.name === 'app' ? { ...x, health: { gracePeriodSeconds: 0, maxUnavailable: 1, remediation: ['replace'], backoffSeconds: 1 } } : x));
    await ok('PUT', `/constellations/${shop.id}/spec`, { tiers });
    expect((await apply(shop.id)).state).toBe('succeeded');
    const [old] = (await ok('GET', `/constellations/${shop.id}`)).tiers[1].members;
    expect(old.key).toBe('app-1');
    const check = await ok('POST', '/checks', { name: 'app-1 http', command: 'check_http', intervalSeconds: 3600, timeoutSeconds: 10, scope: { kind: 'node', nodeId: old.nodeId } }, 201);
    await t.app.services.checkResults.ingest(old.nodeId, [{ checkId: check.id, state: 2, output: 'CRITICAL', longOutput: '', perfdata: [], durationMs: 1, at: new Date().toISOString() }]);

    const replaced = await eventually(async () => (await ok('GET', `/constellations/${shop.id}/guarantee`)).tiers.find((x: { tier: string }) => x.tier === 'app')
      .attempts.find((a: { step: string; outcome: string | null }) => a.step === 'replace' && a.outcome), APPLY_MS, 'the replacement of app-1');
    expect(replaced.outcome, replaced.detail ?? '').toBe('replaced');
    const lines = await logLines(replaced.jobId);
    const configured = lines.findIndex((l) => l.startsWith('[web-1 configure] node.configure job'));
    expect(configured, lines.join('\n')).toBeGreaterThan(lines.findIndex((l) => l.startsWith('[app-1 destroy] node.destroy job')));
    const now = await ok('GET', `/constellations/${shop.id}`);
    const app = now.tiers[1].members;
    expect(app.map((m: { key: string }) => m.key)).toEqual(['app-2']);
    const web = (await lastReports()).get('shop-web-1')!.node as unknown as Tiers;
    expect(web.overmind.tiers.app).toMatchObject({ private_addresses: app[0].privateIps, members: [{ key: 'app-2' }] });
    // Nothing left for an apply: web-1 holds the new outputs already.
    expect((await ok('POST', `/constellations/${shop.id}/plan`)).summary).toMatchObject({ configure: 0, create: 0, replace: 0, destroy: 0 });
  });

  it('exports and imports the spec as YAML, clones onto another provider, and destroys after confirmation', async () => {
    const exported = await ok('GET', `/constellations/${shop.id}/export?format=yaml`);
    expect(exported.document).toMatch(/^name: shop\ntiers:\n {2}- name: db\n/);
    const imported = await ok('POST', '/constellations/import', { format: 'yaml', document: exported.document, name: 'shop-copy' }, 201);
    expect(imported.spec).toEqual((await ok('GET', `/constellations/${shop.id}`)).spec);

    // Fewer members than the source: each configure here is a real SSH push, one at a time.
    const clone = await ok('POST', `/constellations/${shop.id}/clone`, { name: 'shop-b', machine: { providerId: providerB, locationId: 'lab-2' }, counts: { app: 0, web: 2 } }, 201);
    expect(clone.spec.tiers.map((x: { count: number }) => x.count)).toEqual([1, 0, 2]);
    expectProblem(await api('POST', `/constellations/${shop.id}/clone`, { name: 'shop-c', counts: { cache: 1 } }), 422);
    expect((await apply(clone.id)).state).toBe('succeeded');
    const [cloneLb] = (await ok('GET', `/constellations/${clone.id}/balancers`)).items;
    expect(cloneLb).toMatchObject({ tier: 'app', providerId: providerB, members: [] });
    const nodes = (await ok('GET', '/nodes?limit=200')).items.filter((n: { name: string }) => n.name.startsWith('shop-b-'));
    expect(nodes.map((n: { name: string }) => n.name).sort()).toEqual(['shop-b-db-1', 'shop-b-web-1', 'shop-b-web-2']);
    expect(new Set(nodes.map((n: { providerId: string; locationId: string }) => `${n.providerId} ${n.locationId}`))).toEqual(new Set([`${providerB} lab-2`]));

    expectProblem(await api('POST', `/constellations/${clone.id}/destroy`, { confirm: 'shop' }), 422);
    const destroyed = await destroy(clone.id, 'shop-b');
    expect(destroyed.state, destroyed.error).toBe('succeeded');
    for (const n of nodes) expect((await ok('GET', `/nodes/${n.id}`)).destroyedAt).not.toBeNull();
    expect(await ok('GET', `/balancers/${cloneLb.id}`)).toMatchObject({ state: 'destroyed', destroyedAt: expect.any(String) });
    expect((await ok('GET', `/constellations/${clone.id}/balancers`)).items).toEqual([]);
    expect((await ok('GET', `/constellations/${clone.id}`)).destroyedAt).not.toBeNull();
    expectProblem(await api('POST', `/constellations/${clone.id}/apply`), 409);
  });

  it('stops the steps that depend on a failed one and says why', async () => {
    const broken = await ok('POST', '/constellations', {
      name: 'fragile',
      tiers: [{ name: 'db', serverRole: 'broken', count: 1 }, { name: 'web', serverRole: 'member', count: 1, dependsOn: ['db'] }, { name: 'cache', serverRole: 'member', count: 1 }],
    }, 201);
    const job = await apply(broken.id);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/^1 step\(s\) failed, 1 skipped: db-1 create: node\.configure job \S+ failed: .+; web-1 create: tier db did not finish: db-1 create failed$/);
    const names = (await ok('GET', '/nodes?limit=200')).items.map((n: { name: string }) => n.name);
    expect(names).toContain('fragile-db-1');
    expect(names).toContain('fragile-cache-1'); // independent of db: carried out
    expect(names).not.toContain('fragile-web-1');
  });
});
