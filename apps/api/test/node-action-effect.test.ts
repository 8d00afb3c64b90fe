/**
 * A job succeeds only when its action took effect. A provider that accepts a call and then shows no
 * change (a BMC whose server ignores the request, a cloud that drops it) fails the job with the reason.
 */
import { dummyPlugin, type ProviderDriver, type ProviderNode, type ProviderPlugin } from '@overmind/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNode, getNode, jobLog, nodeAction } from './support/provider-steps.js';
import { createTestApp, waitForJobs, type TestApp } from './support/test-app.js';

/**
 * The dummy, except that power actions are accepted and ignored, nodes named `broken-*` come up in
 * error with a fault, and destroying a `sticky-*` node is accepted and ignored.
 */
const inertPlugin: ProviderPlugin<any, any> = {
  ...dummyPlugin,
  kind: 'inert',
  displayName: 'Inert (tests)',
  createDriver(config) {
    const inner = dummyPlugin.createDriver(config);
    // A broken node says why, as Nova's server fault does.
    const view = (node: ProviderNode | null) =>
      node?.name.startsWith('broken-') ? { ...node, state: 'error' as const, extra: { ...node.extra, fault: 'No valid host was found.' } } : node;
    return {
      validateCredentials: inner.validateCredentials.bind(inner),
      listNodes: async (ctx) => (await inner.listNodes!(ctx)).map((n) => view(n)!),
      getNode: async (id, ctx) => view(await inner.getNode!(id, ctx)),
      createNode: inner.createNode!.bind(inner),
      destroyNode: async (id, ctx) => {
        if ((await inner.getNode!(id))?.name.startsWith('sticky-')) return;
        await inner.destroyNode!(id, ctx);
      },
      listImages: inner.listImages!.bind(inner),
      listSizes: inner.listSizes!.bind(inner),
      listLocations: inner.listLocations!.bind(inner),
      rebootNode: async () => {},
      startNode: async () => {},
      stopNode: async (_id, ctx) => ctx?.log?.('stop request accepted'),
    } satisfies ProviderDriver;
  },
};

const GRACE_MS = 1500;
let t: TestApp;
let providerId: string;

beforeAll(async () => {
  t = await createTestApp({ plugins: [inertPlugin], workerTuning: { settleGraceMs: GRACE_MS } });
  const res = await t.request('operator', {
    method: 'POST',
    url: '/api/v1/providers',
    // The dummy's seeded node existing-10 is stopped.
    payload: { name: 'inert-1', type: 'inert', credentials: { apiKey: 'k-inert' }, settings: { initialNodes: 10 } },
  });
  expect(res.statusCode, res.body).toBe(201);
  providerId = res.json().id;
  await waitForJobs(t, { target: providerId }, 2, 30_000);
});
afterAll(() => t?.close());

const spec = (name: string) => ({ providerId, name, imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' });

describe('a node action that did not take effect', () => {
  it('fails a stop the provider accepted while the node kept running, saying so', async () => {
    const { job: created, node } = await createNode(t, spec('steady-1'));
    expect(created).toMatchObject({ state: 'succeeded', result: { state: 'running' } });

    const started = Date.now();
    const job = await nodeAction(t, node.id, 'stop', 30_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(GRACE_MS);
    expect(job).toMatchObject({ state: 'failed', attempts: 1, result: null });
    expect(job.error).toBe('stop did not take effect: steady-1 is running 2 s after the provider accepted the stop, not stopped');
    expect(await jobLog(t, job.id)).toEqual(expect.arrayContaining(['stop request accepted', `failed: ${job.error}`]));
    // The node shows what the provider says, not the state the job hoped for.
    expect((await getNode(t, node.id)).state).toBe('running');
  });

  it('fails a start the provider accepted while the node stayed stopped', async () => {
    const listed = await t.request('observer', { method: 'GET', url: `/api/v1/nodes?providerId=${providerId}&search=existing-10` });
    const [node] = listed.json().items;
    expect(node).toMatchObject({ name: 'existing-10', state: 'stopped' });
    const job = await nodeAction(t, node.id, 'start', 30_000);
    expect(job).toMatchObject({ state: 'failed', error: 'start did not take effect: existing-10 is stopped 2 s after the provider accepted the start, not running' });
    expect((await getNode(t, node.id)).state).toBe('stopped');
  });

  it('fails a create whose node comes up in error instead of reporting it created, with the provider\'s reason', async () => {
    const { job, node } = await createNode(t, spec('broken-1'), 30_000);
    expect(job).toMatchObject({ state: 'failed', error: 'create did not take effect: broken-1 is error, not running; the provider says: No valid host was found.' });
    expect(node.state).toBe('error');
  });

  it('fails a destroy while the provider still lists the machine, and records nothing as destroyed', async () => {
    const { node } = await createNode(t, spec('sticky-1'));
    const job = await nodeAction(t, node.id, 'destroy', 30_000);
    expect(job).toMatchObject({ state: 'failed', error: 'destroy did not take effect: sticky-1 is running 2 s after the provider accepted the destroy, not terminated' });
    expect(await getNode(t, node.id)).toMatchObject({ state: 'running', destroyedAt: null });

    const { node: plain } = await createNode(t, spec('plain-1'));
    expect((await nodeAction(t, plain.id, 'destroy', 30_000)).state).toBe('succeeded');
    expect((await getNode(t, plain.id)).state).toBe('terminated');
  });
});
