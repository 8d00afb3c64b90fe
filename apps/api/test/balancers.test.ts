/** Load balancers as resources of a provider, through the API and the worker, on the dummy provider's balancers. */
import { randomUUID } from 'node:crypto';
import { dummyStore } from '@overmind/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from './support/api-routes.js';
import { createDummyProvider, createTestApp, waitForJob, type TestApp } from './support/test-app.js';

let t: TestApp;
let providerId: string;
let otherProviderId: string;
let nodeIds: string[];
let strangerId: string;

async function createNode(provider: string, name: string): Promise<string> {
  const res = await t.request('operator', {
    method: 'POST',
    url: '/api/v1/nodes',
    payload: { providerId: provider, name, imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' },
  });
  expect(res.statusCode, res.body).toBe(202);
  return (await waitForJob(t, res.json().id)).targetId;
}

beforeAll(async () => {
  t = await createTestApp();
  providerId = (await createDummyProvider(t)).id;
  otherProviderId = (await createDummyProvider(t)).id;
  nodeIds = [];
  for (const name of ['web-1', 'web-2', 'web-3']) nodeIds.push(await createNode(providerId, name));
  strangerId = await createNode(otherProviderId, 'elsewhere');
}, 120_000);
afterAll(() => t?.close());

const getBalancer = async (id: string) => (await t.request('observer', { method: 'GET', url: `/api/v1/balancers/${id}` })).json();
const members = (b: { members: { nodeId: string; state: string; memberId: string | null }[] }) =>
  b.members.map((m) => [m.nodeId, m.state, m.memberId !== null]).sort();

describe('balancers of a provider', () => {
  let balancerId: string;

  it('creates one: 202 with it (creating, members attaching) and its job; the job makes it active with its members', async () => {
    const res = await t.request('operator', {
      method: 'POST',
      url: `/api/v1/providers/${providerId}/balancers`,
      payload: {
        name: 'web front',
        port: 80,
        protocol: 'http',
        memberPort: 8080,
        healthCheck: { protocol: 'http', path: '/health', intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 2 },
        nodeIds: [nodeIds[0], nodeIds[1]],
      },
    });
    expect(res.statusCode, res.body + t.logs.filter((l) => l.includes('"level":50')).join('\n')).toBe(202);
    const { balancer, job } = res.json();
    balancerId = balancer.id;
    expect(res.headers.location).toBe(`/api/v1/balancers/${balancer.id}`);
    expect(balancer).toMatchObject({ name: 'web front', state: 'creating', providerId, port: 80, memberPort: 8080, algorithm: 'round_robin', address: null, providerBalancerId: null });
    expect(members(balancer)).toEqual([[nodeIds[0], 'attaching', false], [nodeIds[1], 'attaching', false]].sort());
    expect(job).toMatchObject({ type: 'balancer.create', targetType: 'balancer', targetId: balancer.id, state: 'queued' });

    expect(await waitForJob(t, job.id)).toMatchObject({ state: 'succeeded' });
    const made = await getBalancer(balancer.id);
    expect(made).toMatchObject({ state: 'active', providerBalancerId: expect.stringMatching(/^dummy-lb-/), address: expect.stringMatching(/^192\.0\.2\./), stateMessage: null });
    expect(members(made)).toEqual([[nodeIds[0], 'healthy', true], [nodeIds[1], 'healthy', true]].sort());

    const list = (await t.request('observer', { method: 'GET', url: `/api/v1/providers/${providerId}/balancers` })).json();
    expect(list).toMatchObject({ total: 1, page: 1 });
    expect(list.items[0]).toEqual(made);
    expect((await t.request('observer', { method: 'GET', url: `/api/v1/providers/${otherProviderId}/balancers` })).json().total).toBe(0);
  });

  it("changes its health check as a job, at the provider too; the row shows the new one once it took it; bad checks are 400", async () => {
    const check = { protocol: 'tcp', port: 9000, intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 4 };
    const res = await t.request('operator', { method: 'PUT', url: `/api/v1/balancers/${balancerId}/health-check`, payload: check });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ type: 'balancer.health-check', targetType: 'balancer', targetId: balancerId, state: 'queued' });
    expect((await waitForJob(t, res.json().id)).state).toBe('succeeded');
    const b = await getBalancer(balancerId);
    expect(b.healthCheck).toEqual(check);
    expect(dummyStore(providerId).balancers.get(b.providerBalancerId)!.balancer.healthCheck).toEqual(check);
    const audit = (await t.request('admin', { method: 'GET', url: `/api/v1/audit-events?action=balancer.health-check&targetId=${balancerId}` })).json().items;
    expect(audit).toHaveLength(1);

    expect(expectProblem(await t.request('operator', { method: 'PUT', url: `/api/v1/balancers/${balancerId}/health-check`, payload: { ...check, intervalSeconds: 0 } }), 400).detail).toMatch(/intervalSeconds/);
    expect(expectProblem(await t.request('operator', { method: 'PUT', url: `/api/v1/balancers/${balancerId}/health-check`, payload: { ...check, protocol: 'udp' } }), 400).detail).toMatch(/protocol/);
    expectProblem(await t.request('operator', { method: 'PUT', url: `/api/v1/balancers/${randomUUID()}/health-check`, payload: check }), 404);
    expect((await getBalancer(balancerId)).healthCheck).toEqual(check);
  });

  it('attaches and detaches members by node id, as jobs; repeats answer 409 and 404', async () => {
    const attach = await t.request('operator', { method: 'POST', url: `/api/v1/balancers/${balancerId}/members`, payload: { nodeId: nodeIds[2] } });
    expect(attach.statusCode, attach.body).toBe(202);
    expect(attach.json()).toMatchObject({ type: 'balancer.attach', targetId: balancerId });
    await waitForJob(t, attach.json().id);
    expectProblem(await t.request('operator', { method: 'POST', url: `/api/v1/balancers/${balancerId}/members`, payload: { nodeId: nodeIds[2] } }), 409);

    const detach = await t.request('operator', { method: 'DELETE', url: `/api/v1/balancers/${balancerId}/members/${nodeIds[0]}` });
    expect(detach.statusCode, detach.body).toBe(202);
    expect(await waitForJob(t, detach.json().id)).toMatchObject({ state: 'succeeded', type: 'balancer.detach' });
    expect(members(await getBalancer(balancerId))).toEqual([[nodeIds[1], 'healthy', true], [nodeIds[2], 'healthy', true]].sort());
    expectProblem(await t.request('operator', { method: 'DELETE', url: `/api/v1/balancers/${balancerId}/members/${nodeIds[0]}` }), 404);
  });

  it('refuses with clear 4xx: a node of another provider, an unknown provider, hostNodeId where the provider has balancers', async () => {
    const stranger = expectProblem(await t.request('operator', { method: 'POST', url: `/api/v1/balancers/${balancerId}/members`, payload: { nodeId: strangerId } }), 409);
    expect(stranger.detail).toMatch(/not a node of the provider/);
    expectProblem(await t.request('operator', { method: 'POST', url: `/api/v1/balancers/${balancerId}/members`, payload: { nodeId: randomUUID() } }), 404);
    const base = { name: 'x', port: 80, protocol: 'http' };
    expectProblem(await t.request('operator', { method: 'POST', url: `/api/v1/providers/${randomUUID()}/balancers`, payload: base }), 404);
    expectProblem(await t.request('operator', { method: 'POST', url: `/api/v1/providers/${providerId}/balancers`, payload: { ...base, hostNodeId: nodeIds[0] } }), 400);
    expectProblem(await t.request('operator', { method: 'POST', url: `/api/v1/providers/${providerId}/balancers`, payload: { ...base, port: 70000 } }), 400);
    expectProblem(await t.request('operator', { method: 'POST', url: `/api/v1/providers/${providerId}/balancers`, payload: { ...base, nodeIds: [strangerId] } }), 409);
    expectProblem(await t.request('observer', { method: 'POST', url: `/api/v1/providers/${providerId}/balancers`, payload: base }), 403);
    const listed = (await t.request('observer', { method: 'GET', url: `/api/v1/providers/${providerId}/balancers` })).json();
    expect(listed.total).toBe(1); // nothing half-made by the refused creates
  });

  it('a create the provider refuses fails its job and leaves the balancer in error with the reason', async () => {
    const dummyStore = (await import('@overmind/provider')).dummyStore;
    // Make the dummy's node vanish behind Overmind's back before the create is asked for (a worker
    // may start the job at once): the member cannot be added.
    const node = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${nodeIds[1]}` })).json();
    const record = dummyStore(providerId).nodes.get(node.providerNodeId)!;
    dummyStore(providerId).forget(node.providerNodeId);
    let createdId = '';
    try {
      const res = await t.request('operator', {
        method: 'POST',
        url: `/api/v1/providers/${providerId}/balancers`,
        payload: { name: 'tls', port: 443, protocol: 'https', algorithm: 'least_connections', nodeIds: [nodeIds[1]] },
      });
      expect(res.statusCode, res.body).toBe(202);
      createdId = res.json().balancer.id;
      expect(await waitForJob(t, res.json().job.id)).toMatchObject({ state: 'failed' });
    } finally {
      dummyStore(providerId).nodes.set(node.providerNodeId, record);
    }
    const failed = await getBalancer(createdId);
    expect(failed).toMatchObject({ state: 'error', stateMessage: expect.stringMatching(/no node/) });
    expect(failed.members.map((m: { state: string }) => m.state)).toEqual(['error']);
  });

  it('destroys it as a job: state destroyed, gone from the list, a second destroy is 409', async () => {
    const res = await t.request('operator', { method: 'DELETE', url: `/api/v1/balancers/${balancerId}` });
    expect(res.statusCode, res.body).toBe(202);
    expect(await waitForJob(t, res.json().id)).toMatchObject({ state: 'succeeded', type: 'balancer.destroy' });
    const gone = await getBalancer(balancerId);
    expect(gone).toMatchObject({ state: 'destroyed', members: [] });
    expect(gone.destroyedAt).not.toBeNull();
    const listed = (await t.request('observer', { method: 'GET', url: `/api/v1/providers/${providerId}/balancers` })).json();
    expect(listed.items.map((b: { id: string }) => b.id)).not.toContain(balancerId);
    expectProblem(await t.request('operator', { method: 'DELETE', url: `/api/v1/balancers/${balancerId}` }), 409);
    const audit = (await t.request('admin', { method: 'GET', url: `/api/v1/audit-events?targetId=${balancerId}` })).json();
    expect(audit.items.map((a: { action: string }) => a.action).sort()).toEqual(['balancer.attach', 'balancer.create', 'balancer.destroy', 'balancer.detach', 'balancer.health-check']);
  });
});
