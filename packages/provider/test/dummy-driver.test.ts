import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  InvalidCredentialsError,
  NotFoundError,
  ProviderError,
  TransientError,
  dummyPlugin,
  dummyStore,
  type DummySettings,
} from '../src/index.js';

function driver(settings: DummySettings = {}, apiKey = 'secret') {
  const providerId = randomUUID();
  return { providerId, driver: dummyPlugin.createDriver({ providerId, credentials: { apiKey }, settings }) };
}

const request = { name: 'web-1', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' };

describe('dummy driver', () => {
  it('accepts good credentials and refuses keys beginning with "bad"', async () => {
    await expect(driver().driver.validateCredentials()).resolves.toBeUndefined();
    await expect(driver({}, 'bad-key').driver.validateCredentials()).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('creates, lists, reboots, stops, starts and destroys a node', async () => {
    const { driver: d } = driver();
    const node = await d.createNode!({ ...request, idempotencyKey: 'k1' });
    expect(node).toMatchObject({ name: 'web-1', state: 'running', imageId: 'debian-12' });
    expect(node.publicIps).toHaveLength(1);
    expect((await d.listNodes!()).map((n) => n.id)).toEqual([node.id]);
    await d.stopNode!(node.id);
    expect((await d.getNode!(node.id))?.state).toBe('stopped');
    await expect(d.rebootNode!(node.id)).rejects.toThrow(/is stopped; cannot go rebooting/);
    await d.startNode!(node.id);
    await d.rebootNode!(node.id);
    expect((await d.getNode!(node.id))?.state).toBe('running');
    await d.destroyNode!(node.id);
    expect(await d.getNode!(node.id)).toBeNull();
    await expect(d.destroyNode!(node.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('does not make a second node for a repeated idempotency key', async () => {
    const { driver: d } = driver();
    const a = await d.createNode!({ ...request, idempotencyKey: 'same' });
    const b = await d.createNode!({ ...request, idempotencyKey: 'same' });
    expect(b.id).toBe(a.id);
    expect(await d.listNodes!()).toHaveLength(1);
  });

  it('reports transitional states until the transition time passes', async () => {
    const { driver: d } = driver({ transitionMs: 80 });
    const node = await d.createNode!({ ...request, idempotencyKey: 'k' });
    expect(node.state).toBe('pending');
    await new Promise((r) => setTimeout(r, 100));
    expect((await d.getNode!(node.id))?.state).toBe('running');
  });

  it('rejects an unknown image with NotFound', async () => {
    const { driver: d } = driver();
    await expect(d.createNode!({ ...request, imageId: 'nope', idempotencyKey: 'x' })).rejects.toThrow(
      /no image "nope"/,
    );
  });

  it('fails the first N mutating calls transiently, then succeeds', async () => {
    const { driver: d } = driver({ failFirstCalls: 2 });
    const attempt = () => d.createNode!({ ...request, idempotencyKey: 'retry' });
    await expect(attempt()).rejects.toBeInstanceOf(TransientError);
    const err = await attempt().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as ProviderError).retryable).toBe(true);
    await expect(attempt()).resolves.toMatchObject({ name: 'web-1' });
  });

  it('always fails with failureRate 1', async () => {
    const { driver: d } = driver({ failureRate: 1 });
    await expect(d.createNode!({ ...request, idempotencyKey: 'f' })).rejects.toBeInstanceOf(TransientError);
  });

  it('seeds existing nodes and lets a test remove one out of band', async () => {
    const { providerId, driver: d } = driver({ initialNodes: 25 });
    const nodes = await d.listNodes!();
    expect(nodes).toHaveLength(25);
    expect(nodes.filter((n) => n.state === 'stopped')).toHaveLength(2);
    expect(dummyStore(providerId).forget(nodes[0]!.id)).toBe(true);
    expect(await d.listNodes!()).toHaveLength(24);
  });

  it('honours the abort signal while waiting out latency', async () => {
    const { driver: d } = driver({ latencyMs: 5000 });
    const controller = new AbortController();
    const pending = d.listImages!({ signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
  });

  it('serves a catalog that callers cannot corrupt', async () => {
    const { driver: d } = driver();
    const images = await d.listImages!();
    images[0]!.name = 'changed';
    expect((await d.listImages!())[0]!.name).toBe('Debian 12 (bookworm)');
    expect(await d.listSizes!()).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'small', priceMonthly: 5 })]));
    expect((await d.listLocations!()).map((l) => l.id)).toEqual(['lab-1', 'lab-2']);
  });
});
