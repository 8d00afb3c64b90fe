import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDummyProvider, createTestApp, waitForJob, type TestApp } from './support/test-app.js';

let t: TestApp;
let providerId: string;

beforeAll(async () => {
  t = await createTestApp();
  providerId = (await createDummyProvider(t, { transitionMs: 100 })).id;
});
afterAll(() => t?.close());

const body = () => ({ providerId, name: 'web-1', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' });

async function createNode(name = 'web-1') {
  const res = await t.request('operator', { method: 'POST', url: '/api/v1/nodes', payload: { ...body(), name, tags: ['web', 'prod'] } });
  expect(res.statusCode).toBe(202);
  const job = res.json();
  expect(res.headers.location).toBe(`/api/v1/jobs/${job.id}`);
  return job as { id: string; targetId: string; state: string; type: string };
}

describe('node life cycle through the API and the worker', () => {
  it('creates a node: 202 with the job, node pending at once, then running with addresses', async () => {
    const job = await createNode();
    expect(job).toMatchObject({ type: 'node.create', state: 'queued', targetType: 'node' });
    const pending = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${job.targetId}` })).json();
    expect(pending).toMatchObject({ name: 'web-1', providerId, tags: ['web', 'prod'] });
    expect(['pending', 'running']).toContain(pending.state);

    const done = await waitForJob(t, job.id);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 1, progress: 100 });
    const node = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${job.targetId}` })).json();
    expect(node.state).toBe('running');
    expect(node.providerNodeId).toMatch(/^dummy-/);
    expect(node.publicIps).toHaveLength(1);
    expect(node.createdBy).toBe(t.userIds.operator);

    const logs = (await t.request('observer', { method: 'GET', url: `/api/v1/jobs/${job.id}/logs` })).json().items;
    expect(logs.map((l: { line: string }) => l.line)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^creating web-1/), expect.stringMatching(/node is running/)]),
    );
  });

  it('lists a node exactly as it shows it alone', async () => {
    const job = await createNode('same-shape');
    await waitForJob(t, job.id);
    const alone = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${job.targetId}` })).json();
    const res = await t.request('observer', { method: 'GET', url: '/api/v1/nodes?search=same-shape' });
    const listed = res.json();
    expect(listed).toMatchObject({ page: 1, limit: 50, total: 1 });
    expect(listed.items).toEqual([alone]);
    expect(Object.keys(listed.items[0])).toEqual(Object.keys(alone));
    const empty = (await t.request('observer', { method: 'GET', url: '/api/v1/nodes?search=no-such-node' })).json();
    expect(empty).toEqual({ items: [], page: 1, limit: 50, total: 0 });
  });

  it('reboots, stops and starts a node, each a job that ends in the provider state', async () => {
    const job = await createNode('app-1');
    await waitForJob(t, job.id);
    const id = job.targetId;
    for (const [action, expected, transitional] of [
      ['reboot', 'running', 'rebooting'],
      ['stop', 'stopped', 'stopping'],
      ['start', 'running', 'starting'],
    ] as const) {
      const res = await t.request('operator', { method: 'POST', url: `/api/v1/nodes/${id}/${action}` });
      expect(res.statusCode, res.body).toBe(202);
      const queued = res.json();
      expect(queued.type).toBe(`node.${action}`);
      const during = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${id}` })).json();
      expect([transitional, expected]).toContain(during.state);
      expect((await waitForJob(t, queued.id)).state).toBe('succeeded');
      expect((await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${id}` })).json().state).toBe(expected);
    }
  });

  it('refuses a second action while one is in progress', async () => {
    const job = await createNode('busy-1');
    const res = await t.request('operator', { method: 'POST', url: `/api/v1/nodes/${job.targetId}/reboot` });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/job in progress \(node\.create/);
    await waitForJob(t, job.id);
  });

  it('destroys a node: terminated, kept as history, hidden from the default list', async () => {
    const job = await createNode('gone-1');
    await waitForJob(t, job.id);
    const res = await t.request('operator', { method: 'DELETE', url: `/api/v1/nodes/${job.targetId}` });
    expect(res.statusCode).toBe(202);
    expect((await waitForJob(t, res.json().id)).state).toBe('succeeded');
    const node = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${job.targetId}` })).json();
    expect(node).toMatchObject({ state: 'terminated', destroyedBy: t.userIds.operator });
    expect(node.destroyedAt).not.toBeNull();
    const visible = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes?search=gone-1` })).json();
    expect(visible.total).toBe(0);
    const all = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes?search=gone-1&includeGone=true` })).json();
    expect(all.total).toBe(1);
    expect(all.items).toEqual([node]);
    const again = await t.request('operator', { method: 'POST', url: `/api/v1/nodes/${job.targetId}/reboot` });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/was destroyed/);
  });

  it('refuses a node whose image the provider does not offer, naming the field', async () => {
    const res = await t.request('operator', { method: 'POST', url: '/api/v1/nodes', payload: { ...body(), imageId: 'windows-95' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ field: 'body.imageId', message: expect.stringMatching(/is not a image of provider/) }]);
  });

  it('renames and retags a node', async () => {
    const job = await createNode('rename-me');
    const res = await t.request('operator', { method: 'PATCH', url: `/api/v1/nodes/${job.targetId}`, payload: { name: 'renamed', tags: ['a', 'a', 'b'] } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'renamed', tags: ['a', 'b'] });
    await waitForJob(t, job.id);
    const alone = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${job.targetId}` })).json();
    const listed = (await t.request('observer', { method: 'GET', url: '/api/v1/nodes?search=renamed&tag=b' })).json();
    expect(listed.items).toEqual([alone]);
    expect(listed.items[0]).toMatchObject({ name: 'renamed', tags: ['a', 'b'], state: 'running' });
  });
});
