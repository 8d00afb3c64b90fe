/**
 * Configuration-management test helpers: a dummy-derived provider whose nodes are this machine's
 * loopback sshd, the chef-solo fixture kitchen as a .tar.gz, and an event-stream recorder.
 */
import { randomUUID } from 'node:crypto';
import { dummyPlugin, type ProviderDriver, type ProviderNode, type ProviderPlugin } from '@overmind/provider';
import { tarGzOf } from '../../../../packages/chef-solo/test/support/tar-builder.js';
import { FIXTURE_KITCHEN } from '../../../../packages/chef-solo/test/support/remote-root.js';
import { waitForJobs, type TestApp } from './test-app.js';

export { gzipBomb, linkChainEntries, rawTarGz } from '../../../../packages/chef-solo/test/support/tar-builder.js';
export { FIXTURE_KITCHEN, copyFixtureKitchen, makeRemoteRoot, type FakeReport, type RemoteRoot } from '../../../../packages/chef-solo/test/support/remote-root.js';

export const KITCHEN_PATHS = ['cookbooks', 'site-cookbooks', 'roles', 'environments', 'data_bags'];

/**
 * The dummy provider, except that its nodes answer SSH on 127.0.0.1:`sshPort` (in `extra.sshPort`).
 * With `memberAddresses`, each node's private address is its own loopback address (127.0.0.21, .22,
 * …, in the order they are created), where a test can serve its traffic; with `ownBalancers: false`
 * it has no balancers of its own, as libvirt and dedicated providers have none (HAProxy on a node).
 */
export function loopbackPlugin(sshPort: number, kind = 'loopback', opts: { ownBalancers?: boolean; memberAddresses?: boolean } = {}): ProviderPlugin {
  const addresses = new Map<string, string>();
  const loop = (n: ProviderNode): ProviderNode => {
    let privateIps = n.privateIps;
    if (opts.memberAddresses) {
      if (!addresses.has(n.id)) addresses.set(n.id, `127.0.0.${21 + addresses.size}`);
      privateIps = [addresses.get(n.id)!];
    }
    return { ...n, publicIps: ['127.0.0.1'], privateIps, extra: { ...n.extra, sshPort } };
  };
  const base = dummyPlugin as unknown as ProviderPlugin;
  const ownBalancers = opts.ownBalancers ?? true;
  return {
    ...base,
    kind,
    displayName: ownBalancers ? 'Loopback (tests)' : 'Loopback without balancers (tests)',
    capabilities: ownBalancers ? base.capabilities : base.capabilities.filter((c) => c !== 'loadBalancers'),
    createDriver(config) {
      const inner = dummyPlugin.createDriver(config as never);
      return new Proxy(inner, {
        get(target, prop) {
          if (prop === 'balancers' && !ownBalancers) return undefined;
          const value = Reflect.get(target, prop, target);
          if (typeof value !== 'function') return value;
          if (prop === 'createNode' || prop === 'getNode') return async (...args: unknown[]) => {
            const node = (await value.apply(target, args)) as ProviderNode | null;
            return node && loop(node);
          };
          if (prop === 'listNodes') return async (...args: unknown[]) => ((await value.apply(target, args)) as ProviderNode[]).map(loop);
          return value.bind(target);
        },
      }) as ProviderDriver;
    },
  };
}

export async function createLoopbackProvider(t: TestApp, kind = 'loopback'): Promise<{ id: string; name: string }> {
  const res = await t.request('operator', {
    method: 'POST',
    url: '/api/v1/providers',
    payload: { name: `loop-${randomUUID().slice(0, 8)}`, type: kind, credentials: { apiKey: 'k-test' } },
  });
  if (res.statusCode !== 201) throw new Error(`create provider failed: ${res.statusCode} ${res.body}`);
  const provider = res.json();
  await waitForJobs(t, { target: provider.id }, 2);
  return provider;
}

/** The kitchen at `dir` as a .tar.gz (node-tar). */
export const kitchenTarGz = (dir: string): Promise<Buffer> => tarGzOf(dir, KITCHEN_PATHS);

/** PUT /kitchen with the chef-solo fixture kitchen; rejects unless the API took it. */
export async function uploadFixtureKitchen(t: TestApp): Promise<void> {
  const res = await t.request('operator', { method: 'PUT', url: '/api/v1/kitchen', payload: await kitchenTarGz(FIXTURE_KITCHEN), headers: { 'content-type': 'application/gzip' } });
  if (res.statusCode !== 200) throw new Error(`kitchen upload failed: ${res.statusCode} ${res.body}`);
}

export interface EventRecorder {
  events: { type: string; id?: string; state?: string }[];
  close(): void;
}

/** Records the app's event stream (SSE over real HTTP), to see states a poll could miss. */
export async function recordEvents(baseUrl: string, token: string): Promise<EventRecorder> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`event stream: ${res.status}`);
  const events: EventRecorder['events'] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    for await (const chunk of res.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const data = buffer.slice(0, end).split('\n').find((l) => l.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        if (data) events.push(JSON.parse(data.slice(6)));
      }
    }
  })().catch(() => {});
  return { events, close: () => controller.abort() };
}
