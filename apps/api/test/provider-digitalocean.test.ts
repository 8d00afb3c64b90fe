import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digitaloceanPlugin, type DoDroplet, type DoError } from '@overmind/driver-digitalocean';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN, startDoReplay, type DoReplay } from '../../../packages/driver-digitalocean/test/do-replay.js';
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
  openEventStream,
  registerProvider,
} from './support/provider-steps.js';
import { createPayloads, expectAgentUserData, runUserData, type UserDataRun } from './support/agent-user-data.js';
import { FIXTURE_KITCHEN, kitchenTarGz, makeRemoteRoot, type RemoteRoot } from './support/cm-support.js';
import { freePort } from './support/free-port.js';
import { requireAgentBundle } from './support/real-agent.js';
import { createTestApp, eventually, waitForJob, type TestApp } from './support/test-app.js';

const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKreQjwvcjMaqtrErTZbo/cBd6HBgzKd2qdO6kFd7edj ops@example';

let t: TestApp;
let baseUrl: string;
let replay: DoReplay;
let errors: Record<string, DoError>;
let providerId: string;
let deleted: Set<string>;
let kitchenDir: string;
let remote: RemoteRoot;
let installed: UserDataRun | undefined;

/**
 * What the driver's replay leaves out, as one scenario over every request: the bearer token is
 * checked, a new droplet is active with addresses once it has been looked at, shutdown and power_on
 * change the droplet's status, and a deleted droplet answers 404 (its id is never given out again).
 */
function behaveLikeAnAccount(r: DoReplay): Set<string> {
  const deleted = new Set<string>();
  const droplet = (id: string | undefined) => r.created.find((d) => String(d.id) === id);
  r.server.defineScenario('account', async (req, next) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, json: errors['401'] };
    const [, id, sub] = /^\/v2\/droplets\/(\d+)(\/actions)?$/.exec(req.path) ?? [];
    if (id && deleted.has(id)) return { status: 404, json: errors['404'] };
    const answer = structuredClone(await next());
    const d = droplet(id);
    if (d && req.method === 'GET' && d.status === 'new') {
      Object.assign(d, {
        status: 'active',
        networks: {
          v4: [{ ip_address: '203.0.113.50', netmask: '255.255.255.0', gateway: '203.0.113.1', type: 'public' },
            { ip_address: '10.10.0.5', netmask: '255.255.0.0', gateway: '10.10.0.1', type: 'private' }],
          v6: [],
        },
      } satisfies Partial<DoDroplet>);
    }
    if (d && sub) d.status = ({ shutdown: 'off', power_on: 'active' } as Record<string, string>)[(req.json as { type: string }).type] ?? d.status;
    if (d && req.method === 'DELETE') deleted.add(id!);
    return answer;
  });
  r.server.scenario = 'account';
  return deleted;
}

beforeAll(async () => {
  replay = await startDoReplay();
  errors = replay.server.fixture('errors.json');
  deleted = behaveLikeAnAccount(replay);
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-do-kitchen-'));
  remote = await makeRemoteRoot();
  // The droplets' agents (their user data run here) connect to this API's listening port.
  const port = await freePort();
  t = await createTestApp({ plugins: [digitaloceanPlugin], env: { OVERMIND_PUBLIC_URL: `http://127.0.0.1:${port}`, OVERMIND_KITCHEN_DIR: kitchenDir } });
  baseUrl = await t.app.listen({ port, host: '127.0.0.1' });
});
afterAll(async () => {
  await installed?.remove();
  await t?.close();
  await replay?.server.close();
  await remote?.remove();
  await rm(kitchenDir, { recursive: true, force: true });
});

const settings = () => ({ apiUrl: replay.server.url, pollIntervalMs: 10, perPage: 2 });
const nodeBody = (name: string) => ({ providerId, name, imageId: 'ubuntu-24-04-x64', sizeId: 's-1vcpu-1gb', locationId: 'nyc3' });

describe('DigitalOcean through the API', () => {
  it('refuses a token DigitalOcean rejects, with its message, and stores nothing', async () => {
    await expectCredentialsRefused(
      t,
      { name: 'do-bad', type: 'digitalocean', credentials: { token: 'dop_v1_not-the-right-one' }, settings: settings() },
      /Unable to authenticate you/,
    );
    expect(replay.server.requestsTo('GET', '/v2/account')).toHaveLength(1);
  });

  it('registers the account, imports every live droplet over three pages and caches the catalog', async () => {
    const { provider, jobs } = await registerProvider(t, { name: 'do-nyc', type: 'digitalocean', credentials: { token: TOKEN }, settings: settings() });
    providerId = provider.id;
    // The archived droplet (terminated) is listed but not imported: Overmind never knew it alive.
    expect(await importedNodes(t, providerId, jobs)).toEqual({
      result: { listed: 5, imported: 4, updated: 0, decommissioned: 0 },
      nodes: ['bsd-edge:running', 'db-1:stopped', 'web-1:running', 'web-2:pending'],
    });

    expect((await catalog(t, providerId, 'images')).total).toBe(5);
    expect((await catalog(t, providerId, 'images', 'golden')).items.map((i) => i.id)).toEqual(['170123456']);
    expect((await catalog(t, providerId, 'sizes')).items.map((s) => s.id).sort()).toEqual(['g-2vcpu-8gb', 's-1vcpu-1gb', 's-2vcpu-4gb']);
    expect((await catalog(t, providerId, 'locations', 'amster')).items).toEqual([expect.objectContaining({ id: 'ams3', name: 'Amsterdam 3' })]);
    await favouriteFirst(t, providerId, '170777001');
  });

  it('creates a tagged droplet with its SSH key, streaming job and node changes; reboots, stops, starts, destroys', async () => {
    const stream = await openEventStream(baseUrl, t.tokens.observer);
    const { job, node } = await createNode(t, { ...nodeBody('api-1'), sshPublicKey: PUBLIC_KEY, userData: '#cloud-config\n' });
    expect(job).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(node).toMatchObject({ state: 'running', providerNodeId: String(replay.created[0]!.id), publicIps: ['203.0.113.50'], privateIps: ['10.10.0.5'] });

    const [post] = replay.server.requestsTo('POST', '/v2/droplets');
    expect(post!.json).toMatchObject({
      name: 'api-1',
      region: 'nyc3',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04-x64',
      user_data: '#cloud-config\n',
      ssh_keys: [expect.any(Number)],
      tags: [`overmind-idem:${await idempotencyKey(t, node.id)}`, `overmind-node-id:${node.id}`],
    });
    expect(replay.server.requestsTo('POST', '/v2/account/keys')[0]!.json).toMatchObject({ public_key: PUBLIC_KEY });

    await stream.waitFor((e) => e.event === 'job' && e.data.id === job.id && e.data.state === 'succeeded', 'the create job to succeed on the stream');
    await stream.close();
    const jobStates = stream.received.filter((e) => e.event === 'job' && e.data.id === job.id).map((e) => e.data.state);
    expect(jobStates[0]).toBe('queued');
    expect(jobStates).toContain('running');
    const nodeEvents = stream.received.filter((e) => e.event === 'node' && e.data.id === node.id).map((e) => e.data);
    expect(nodeEvents[0]).toMatchObject({ state: 'pending', publicIps: [] });
    expect(nodeEvents.at(-1)).toMatchObject({ state: 'running', publicIps: ['203.0.113.50'], gone: false });
    expect(stream.received.some((e) => e.event === 'job.log' && e.data.id === job.id)).toBe(true);

    const types = { reboot: 'reboot', stop: 'shutdown', start: 'power_on' };
    await rebootStopStart(t, node.id, (action) =>
      expect(replay.server.requestsTo('POST', `/v2/droplets/${node.providerNodeId}/actions`).at(-1)!.json).toEqual({ type: types[action] }));
    await destroyNode(t, node.id);
    expect(replay.server.requestsTo('DELETE', '/v2/droplets/:id').map((r) => r.path)).toEqual([`/v2/droplets/${node.providerNodeId}`]);
  });

  it('retries a reboot DigitalOcean rate-limited (429, Retry-After: 1) and succeeds on the second attempt', async () => {
    const { job: created, node } = await createNode(t, nodeBody('api-2'));
    expect(created, await jobLog(t, created.id).then((l) => l.join('\n'))).toMatchObject({ state: 'succeeded' });
    replay.server.override(
      'POST',
      '/v2/droplets/:droplet/actions',
      { status: 429, headers: { 'retry-after': '1', 'ratelimit-remaining': '0' }, json: errors['429'] },
      { times: 1 },
    );
    const started = Date.now();
    const job = await nodeAction(t, node.id, 'reboot');
    expect(job).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(await jobLog(t, job.id)).toEqual(expect.arrayContaining([expect.stringMatching(/attempt 1 failed: .*API Rate limit exceeded.*retrying in 1 s/)]));
    expect((await getNode(t, node.id)).state).toBe('running');
    await destroyNode(t, node.id);
    expect(replay.created.map((d) => String(d.id)).sort()).toEqual([...deleted].sort());
    expect(deleted.size).toBe(2);
    expect(replay.server.unmatched).toEqual([]);
  });

  it('creates the droplets of a pull role with user data that installs the agent: its token enrols, and the agent converges the droplet', async () => {
    requireAgentBundle();
    const kitchen = await t.request('operator', { method: 'PUT', url: '/api/v1/kitchen', payload: await kitchenTarGz(FIXTURE_KITCHEN), headers: { 'content-type': 'application/gzip' } });
    expect(kitchen.statusCode, kitchen.body).toBe(200);
    const roleKey = `-----BEGIN OPENSSH PRIVATE KEY-----\nrole-key-${Date.now()}\n-----END OPENSSH PRIVATE KEY-----`;
    const dbPassword = `do-db-pw-${Date.now()}`;
    const role = await t.request('operator', {
      method: 'POST',
      url: '/api/v1/server-roles',
      payload: {
        name: 'do-pull', providerId, locationId: 'nyc3', sizeId: 's-1vcpu-1gb', imageId: 'ubuntu-24-04-x64', runList: ['role[web]'],
        secretAttributes: { 'mysql.root_password': dbPassword },
        cm: { kind: 'chef-solo', settings: { chefSoloCommand: remote.command('ok'), paths: remote.paths } },
        ssh: { username: 'root', privateKey: roleKey }, configMode: 'pull',
      },
    });
    expect(role.statusCode, role.body).toBe(201);
    const created = await t.request('operator', { method: 'POST', url: `/api/v1/server-roles/${role.json().id}/nodes`, payload: { count: 1 } });
    expect(created.statusCode, created.body).toBe(202);
    const [queued] = created.json().jobs;
    const createJob = await waitForJob(t, queued.id, 60_000);
    expect(createJob.state, createJob.error).toBe('succeeded');
    const nodeId = queued.targetId as string;

    // What DigitalOcean was sent: the install, with a token bound to this droplet, and no other secret.
    const post = replay.server.requestsTo('POST', '/v2/droplets').at(-1)!;
    expect(post.json).toMatchObject({ name: 'do-pull-1' });
    const script = (post.json as { user_data: string }).user_data;
    const token = expectAgentUserData(script, t.config.publicUrl, [TOKEN, roleKey.split('\n')[1]!, dbPassword]);
    // Minted on the worker for the call only: neither in the stored job nor in its log.
    expect(await createPayloads(t, nodeId)).not.toContain(token);
    expect((await jobLog(t, createJob.id)).join('\n')).not.toContain(token);
    expect(await jobLog(t, createJob.id)).toEqual(expect.arrayContaining([expect.stringMatching(/^do-pull-1's user data installs its agent at first boot \(join token omj_\S+…, bound to the node, valid 60 min\)$/)]));

    // The droplet is running and its configure waits for the agent (a converge run, nothing over SSH).
    const configureJobId = createJob.result.configureJobId as string;
    expect(await eventually(async () => ((await jobLog(t, configureJobId)).some((l) => /is in pull mode/.test(l)) ? true : undefined), 30_000, 'the pull configure to be queued')).toBe(true);

    // First boot, as cloud-init runs it: install.sh from this API, the agent enrols with the token and connects.
    installed = await runUserData(script);
    expect(installed.output).toMatch(/downloaded the agent \(SHA-256 [0-9a-f]{64}\)/);
    const job = await waitForJob(t, configureJobId, 180_000);
    const log = await jobLog(t, configureJobId);
    expect(job.state, `${log.join('\n')}\n${installed.output}`).toBe('succeeded');
    expect(job.result).toMatchObject({ nodeId, ok: true, summary: expect.stringMatching(/Chef Infra Client finished/) });
    expect((await getNode(t, nodeId)).agent).toMatchObject({ state: 'connected' });
    const [report] = (await remote.reports()).slice(-1);
    expect(report!.config).toMatchObject({ node_name: 'do-pull-1' });
    // Spent: the user data, still readable on the metadata service, enrols nobody else.
    const tokens = (await t.request('operator', { method: 'GET', url: `/api/v1/agent-tokens?nodeId=${nodeId}` })).json().items;
    expect(tokens).toEqual([expect.objectContaining({ state: 'used' })]);
  }, 300_000);
});
