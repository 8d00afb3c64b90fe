import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ProviderError } from '@overmind/provider';
import { generateSshKey, rejectionOf, useReplay, type TestSshKey } from '@overmind/testkit';
import { digitaloceanPlugin, idempotencyTag, md5Fingerprint } from '../src/index.js';
import { TOKEN, startDoReplay } from './do-replay.js';

const replay = useReplay(() => startDoReplay());

let key: TestSshKey;
beforeAll(() => {
  key = generateSshKey('ops@example');
});
afterAll(() => key.remove());

const request = { name: 'api-1', imageId: 'ubuntu-24-04-x64', sizeId: 's-1vcpu-1gb', locationId: 'nyc3' };

describe('digitalocean plugin', () => {
  it('declares its kind, a write-only token and a loopback-able API URL', () => {
    const schema = digitaloceanPlugin.credentialSchema as { properties: { token: { writeOnly: boolean } } };
    const settings = digitaloceanPlugin.settingsSchema as { properties: { apiUrl: { default: string } } };
    expect(digitaloceanPlugin.kind).toBe('digitalocean');
    expect(schema.properties.token.writeOnly).toBe(true);
    expect(settings.properties.apiUrl.default).toBe('https://api.digitalocean.com');
    expect(digitaloceanPlugin.capabilities).toEqual(expect.arrayContaining(['createNode', 'powerCycle', 'listNodes']));
  });

  it('keeps defaults for settings given as undefined', async () => {
    const driver = digitaloceanPlugin.createDriver({
      providerId: 'd',
      credentials: { token: TOKEN },
      settings: { apiUrl: replay().server.url, perPage: undefined },
    });
    await driver.listSizes!();
    expect(replay().server.requests[0]!.query.per_page).toBe('200');
  });
});

describe('digitalocean droplets', () => {
  it('validates credentials with GET /v2/account and a bearer token', async () => {
    await replay().driver.validateCredentials();
    const [req] = replay().server.requests;
    expect(req).toMatchObject({ method: 'GET', path: '/v2/account' });
    expect(req!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(replay().driver.client.rateLimit).toEqual({ limit: 5000, remaining: 4987, resetAt: 1767225600000 });
  });

  it('lists droplets across three pages, following links.pages.next onto the configured host', async () => {
    const nodes = await replay().driver.listNodes();
    expect(replay().server.requestsTo('GET', '/v2/droplets').map((r) => r.query)).toEqual([
      { per_page: '2' },
      { page: '2', per_page: '2' },
      { page: '3', per_page: '2' },
    ]);
    expect(nodes.map((n) => [n.id, n.state])).toEqual([
      ['3164444', 'running'],
      ['3164450', 'pending'],
      ['3164494', 'stopped'],
      ['3164501', 'terminated'],
      ['3164623', 'running'],
    ]);
    expect(nodes[0]).toMatchObject({
      name: 'web-1',
      publicIps: ['104.131.186.241', '2604:a880:800:10::1d9:1001'],
      privateIps: ['10.116.0.2'],
      imageId: 'ubuntu-24-04-x64',
      sizeId: 's-2vcpu-4gb',
      locationId: 'nyc3',
      createdAt: '2025-03-01T10:00:12Z',
      extra: { tags: ['env:prod', 'web'], vcpus: 2, memory: 4096 },
    });
    expect(nodes[1]!.publicIps).toEqual([]);
    expect(nodes[3]!.imageId).toBe('170123456');
  });

  it('gets one droplet, and null for a droplet that does not exist', async () => {
    expect(await replay().driver.getNode('3164444')).toMatchObject({ id: '3164444', state: 'running' });
    expect(await replay().driver.getNode('999')).toBeNull();
  });

  it('maps a status the table does not know to unknown', async () => {
    replay().server.override('GET', '/v2/droplets/:id', async (_req, next) => {
      const res = await next();
      (res.json as { droplet: { status: string } }).droplet.status = 'snapshotting';
      return res;
    });
    const node = await replay().driver.getNode('3164444');
    expect(node?.state).toBe('unknown');
    expect(node?.extra.status).toBe('snapshotting');
  });

  it('creates a droplet with region, size, image, SSH key, user data and the idempotency tag', async () => {
    const node = await replay().driver.createNode({
      ...request,
      idempotencyKey: '6f1c2a4e-0b7d-4e59-9c1a-3d2b1f0e9a77',
      sshPublicKey: key.publicKey,
      userData: '#cloud-config\npackages: [nginx]\n',
      tags: { env: 'prod', 'team name': 'web ops' },
    });
    expect(node).toMatchObject({ id: '3164999', name: 'api-1', state: 'pending' });
    const [post] = replay().server.requestsTo('POST', '/v2/droplets');
    const [uploaded] = replay().keys.values();
    expect(post!.json).toEqual({
      name: 'api-1',
      region: 'nyc3',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04-x64',
      ssh_keys: [uploaded!.id],
      user_data: '#cloud-config\npackages: [nginx]\n',
      tags: ['overmind-idem:6f1c2a4e-0b7d-4e59-9c1a-3d2b1f0e9a77', 'env:prod', 'team_name:web_ops'],
    });
    expect(uploaded!.public_key).toBe(key.publicKey.trim());
    expect(replay().server.requestsTo('GET', '/v2/account/keys/:fp')[0]!.path).toBe(`/v2/account/keys/${key.md5Fingerprint}`);
  });

  it('finds the droplet of a retried create by its tag instead of making a second', async () => {
    const first = await replay().driver.createNode({ ...request, idempotencyKey: 'retry-key' });
    const second = await replay().driver.createNode({ ...request, idempotencyKey: 'retry-key' });
    const third = await replay().driver.createNode({ ...request, idempotencyKey: 'other key/with spaces' });
    expect(second.id).toBe(first.id);
    expect(third.id).not.toBe(first.id);
    expect(replay().server.requestsTo('POST', '/v2/droplets')).toHaveLength(2);
    expect(replay().server.requestsTo('GET', '/v2/droplets').map((r) => r.query.tag_name)).toEqual([
      'overmind-idem:retry-key',
      'overmind-idem:retry-key',
      idempotencyTag('other key/with spaces'),
    ]);
    expect(idempotencyTag('other key/with spaces')).toMatch(/^overmind-idem:[0-9a-f]{40}$/);
  });

  it('reuses an SSH key already on the account, matched by the fingerprint ssh-keygen shows', async () => {
    const fingerprint = md5Fingerprint(key.publicKey);
    expect(fingerprint).toBe(key.md5Fingerprint);
    const existing = { id: 77, name: 'laptop', fingerprint, public_key: key.publicKey.trim() };
    replay().keys.set(fingerprint, existing);
    expect(await replay().driver.importSshKey(key.publicKey, 'ignored')).toEqual(existing);
    expect(replay().server.requestsTo('POST', '/v2/account/keys')).toHaveLength(0);
    expect(() => md5Fingerprint('not a key')).toThrow(/OpenSSH format/);
  });

  it.each([
    ['rebootNode', 'reboot'],
    ['startNode', 'power_on'],
    ['stopNode', 'shutdown'],
    ['powerOn', 'power_on'],
    ['powerOff', 'power_off'],
    ['powerCycle', 'power_cycle'],
  ] as const)('%s posts a %s action and polls it to completion', async (method, type) => {
    const lines: string[] = [];
    await replay().driver[method]('3164444', { log: (l) => lines.push(l) });
    const [post] = replay().server.requestsTo('POST', '/v2/droplets/:id/actions');
    expect(post).toMatchObject({ path: '/v2/droplets/3164444/actions', json: { type } });
    expect(replay().server.requestsTo('GET', '/v2/actions/:id')).toHaveLength(3);
    expect(lines.at(-1)).toMatch(/completed/);
  });

  it('fails an action that ends errored, and one that outlasts the timeout', async () => {
    replay().finalActionStatus = 'errored';
    await expect(replay().driver.rebootNode('3164444')).rejects.toThrow(/ended errored/);
    const slow = await startDoReplay({ actionTimeoutMs: 30 });
    try {
      slow.pollsBeforeDone = 1000;
      const err = await rejectionOf(slow.driver.rebootNode('3164444'));
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).message).toMatch(/did not finish within 30 ms/);
    } finally {
      await slow.server.close();
    }
  });

  it('stops polling when the caller aborts', async () => {
    replay().pollsBeforeDone = 1000;
    const controller = new AbortController();
    const pending = replay().driver.rebootNode('3164444', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('job cancelled')), 30);
    await expect(pending).rejects.toThrow('job cancelled');
  });

  it('destroys a droplet with DELETE, and reports a missing one as NotFound', async () => {
    await replay().driver.destroyNode('3164444');
    expect(replay().server.requestsTo('DELETE', '/v2/droplets/:id')[0]!.path).toBe('/v2/droplets/3164444');
    replay().server.override('DELETE', '/v2/droplets/:id', '404', { times: 1 });
    await expect(replay().driver.destroyNode('1')).rejects.toBeInstanceOf(NotFoundError);
  });
});
