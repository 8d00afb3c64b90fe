import { describe, expect, it } from 'vitest';
import { ProviderError } from '@overmind/provider';
import { rejectionOf, useReplay } from '@overmind/testkit';
import { FLOATING_IP_ID_KEY, FLOATING_IP_KEY } from '../src/index.js';
import { COMPUTE, NETWORK, startOsReplay } from './os-replay.js';

const replay = useReplay(() => startOsReplay());

const request = { name: 'net-1', imageId: '70a599e0-31e7-49b7-b260-868f441e862b', sizeId: '2', locationId: 'az-2' };
const WEB_NET = '3c0fa3a8-b3c6-4a4e-8f21-5d3c1e0b9a77';
const PUBLIC_NET = 'e1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8';
const created = () => replay().server.requestsTo('POST', `${COMPUTE}/servers`);
const networksSent = () => (created()[0]!.json as { server: { networks?: unknown } }).server.networks;

describe('neutron networks', () => {
  it('lists networks with their subnets, marking the external one', async () => {
    const networks = await replay().driver.listNetworks();
    expect(networks).toEqual([
      expect.objectContaining({
        id: WEB_NET,
        name: 'web-net',
        external: false,
        extra: expect.objectContaining({ subnets: [{ id: '8a6d3c2e-1f4b-4e7a-9c5d-2b3e4f5a6b7c', name: 'web-subnet', cidr: '10.0.0.0/24', ipVersion: 4 }] }),
      }),
      expect.objectContaining({ id: PUBLIC_NET, name: 'public', external: true }),
    ]);
    expect(replay().server.requestsTo('GET', `${NETWORK}/networks`)[0]!.headers['x-auth-token']).toMatch(/^gAAAAABn-token-/);
  });

  it.each([
    [['a1', 'b2'], [{ uuid: 'a1' }, { uuid: 'b2' }]],
    ['none', 'none'],
    ['auto', 'auto'],
  ] as const)('sends the networks a create names (%o) as %o, without listing networks', async (networkIds, sent) => {
    await replay().driver.createNode({ ...request, idempotencyKey: `k-${String(networkIds)}`, networkIds: networkIds as never });
    expect(networksSent()).toEqual(sent);
    expect(replay().server.requestsTo('GET', `${NETWORK}/networks`)).toHaveLength(0);
  });

  it("prefers the create's networks to the provider's default, and uses the default otherwise", async () => {
    const driver = replay().makeDriver({ networkIds: [WEB_NET] });
    await driver.createNode({ ...request, idempotencyKey: 'd1' });
    await driver.createNode({ ...request, idempotencyKey: 'd2', networkIds: ['other'] });
    expect(created().map((r) => (r.json as { server: { networks: unknown } }).server.networks)).toEqual([[{ uuid: WEB_NET }], [{ uuid: 'other' }]]);
  });

  it('sends auto when the project sees exactly one network it can attach', async () => {
    await replay().driver.createNode({ ...request, idempotencyKey: 'one' });
    expect(networksSent()).toBe('auto');
  });

  it('refuses a create without networks when the project has several, naming them, before creating anything', async () => {
    replay().networks.push({ ...replay().networks[0]!, id: 'second-net-id', name: 'db-net' });
    const err = await rejectionOf(replay().driver.createNode({ ...request, idempotencyKey: 'two' }));
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toBe(`The project has several networks; choose networkIds among: web-net (${WEB_NET}), db-net (second-net-id)`);
    expect(created()).toHaveLength(0);
  });

  it('sends auto with no network only where Neutron can auto-allocate one', async () => {
    replay().networks = replay().networks.filter((n) => n['router:external']);
    await expect(replay().driver.createNode({ ...request, idempotencyKey: 'none-1' })).rejects.toThrow(/no network and Neutron cannot allocate one/);
    expect(created()).toHaveLength(0);
    replay().autoAllocate = true;
    await replay().driver.createNode({ ...request, idempotencyKey: 'none-2' });
    expect(networksSent()).toBe('auto');
  });

  it('leaves networks out before microversion 2.37 (auto is implied) and refuses none there', async () => {
    const old = replay().makeDriver({ computeApiVersion: '2.36' });
    await old.createNode({ ...request, idempotencyKey: 'old-1' });
    expect(networksSent()).toBeUndefined();
    await expect(old.createNode({ ...request, idempotencyKey: 'old-2', networkIds: 'none' })).rejects.toThrow(/needs compute microversion 2.37 or later, not 2.36/);
    expect(created()).toHaveLength(1);
  });
});

describe('floating IPs', () => {
  it('waits for ACTIVE, allocates one on the server port, records it and shows it as the public address', async () => {
    const node = await replay().driver.createNode({ ...request, idempotencyKey: 'fip-1', floatingIp: true });
    const [allocation] = replay().server.requestsTo('POST', `${NETWORK}/floatingips`);
    expect(allocation!.json).toEqual({
      floatingip: { floating_network_id: PUBLIC_NET, port_id: 'ce705c24-c1ef-408a-bda3-7bbd946164ab', description: `overmind server ${node.id}` },
    });
    expect(node).toMatchObject({ state: 'running', publicIps: ['203.0.113.77'] });
    expect(replay().servers.get(node.id)!.metadata).toMatchObject({ [FLOATING_IP_ID_KEY]: '2f245a7b-796b-4f26-9cf9-9e82d248fda7', [FLOATING_IP_KEY]: '203.0.113.77' });
    // A retried create finds the server and its address without allocating another.
    await replay().driver.createNode({ ...request, idempotencyKey: 'fip-1', floatingIp: true });
    expect(replay().server.requestsTo('POST', `${NETWORK}/floatingips`)).toHaveLength(1);
  });

  it('releases the floating IP on destroy, and a create can decline the provider default', async () => {
    const driver = replay().makeDriver({ floatingIp: true, floatingNetworkId: PUBLIC_NET });
    const node = await driver.createNode({ ...request, idempotencyKey: 'fip-2' });
    await driver.createNode({ ...request, name: 'private-only', idempotencyKey: 'fip-3', floatingIp: false });
    expect(replay().floatingIps.size).toBe(1);
    await driver.destroyNode(node.id);
    expect(replay().floatingIps.size).toBe(0);
    expect(replay().server.requestsTo('DELETE', `${NETWORK}/floatingips/:id`)).toHaveLength(1);
    expect(replay().servers.has(node.id)).toBe(false);
  });

  it('asks which external network when there are several and none is configured', async () => {
    replay().networks.push({ ...replay().networks[1]!, id: 'ext-2', name: 'public-2' });
    await expect(replay().driver.createNode({ ...request, idempotencyKey: 'fip-4', floatingIp: true, networkIds: [WEB_NET] })).rejects.toThrow(
      `Several external networks; set floatingNetworkId to one of: public (${PUBLIC_NET}), public-2 (ext-2)`,
    );
  });
});

describe("Nova's power-state conflicts", () => {
  it('treats starting a running server as done, without polling', async () => {
    await replay().driver.startNode('764e369e-a874-4401-b7ce-43e4760888da');
    expect(replay().server.requestsTo('POST', `${COMPUTE}/servers/:id/action`)).toHaveLength(1);
    expect(replay().server.requestsTo('GET', `${COMPUTE}/servers/:id`)).toHaveLength(1);
  });

  it("fails rebooting a server in ERROR with Nova's reason and the fault", async () => {
    const errored = replay().servers.get('764e369e-a874-4401-b7ce-43e4760888da')!;
    Object.assign(errored, { status: 'ERROR', fault: { code: 500, message: 'No valid host was found.' } });
    const err = await rejectionOf(replay().driver.rebootNode(errored.id));
    expect(err).toMatchObject({ status: 409, providerCode: 'conflictingRequest' });
    expect((err as Error).message).toBe(
      `server ${errored.id} is ERROR: OpenStack compute POST /servers/${errored.id}/action failed (409 Conflict): Cannot 'reboot' instance ${errored.id} while it is in vm_state error; fault: No valid host was found.`,
    );
  });

  it('waits for a reboot already over at the first poll (ACTIVE, no task) without seeing REBOOT', async () => {
    replay().pollsBeforeDone = 0;
    await replay().driver.rebootNode('764e369e-a874-4401-b7ce-43e4760888da');
    expect(replay().server.requestsTo('GET', `${COMPUTE}/servers/:id`)).toHaveLength(1);
  });
});
