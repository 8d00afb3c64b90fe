import type { Node, NodeEvent, NodePage } from '@overmind/sdk';
import { QueryClient, QueryClientProvider, QueryObserver } from '@tanstack/react-query';
import { renderHook } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REOPEN_MS, applyEvent, useLiveUpdates } from '../src/api/live-updates.js';
import { jobKeys } from '../src/api/job-queries.js';
import { nodeKeys } from '../src/api/node-queries.js';
import { REFETCH_DELAY_MS } from '../src/api/refetch-soon.js';

const node = (id: string, name: string, state: Node['state']) =>
  ({ id, name, state, providerId: 'p1', publicIps: [], privateIps: [], tags: [], createdAt: '2025-01-01T00:00:00Z' }) as unknown as Node;
const page = (items: Node[]): NodePage => ({ items, page: 1, limit: 50, total: items.length });
const nodeEvent = (id: string, state: Node['state'], extra: Partial<{ gone: boolean; publicIps: string[] }> = {}): NodeEvent =>
  ({ type: 'node', id, providerId: 'p1', name: `n-${id}`, state, publicIps: extra.publicIps ?? [], privateIps: [], gone: extra.gone ?? false });

function setup() {
  const client = new QueryClient();
  const query = { page: 1, limit: 50, sort: 'name' as const };
  client.setQueryData(nodeKeys.list(query), page([node('a', 'n-a', 'pending'), node('b', 'n-b', 'stopped')]));
  client.setQueryData(nodeKeys.detail('a'), node('a', 'n-a', 'pending'));
  return { client, listKey: nodeKeys.list(query) };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('live updates from the event stream', () => {
  it('change the state of the cached list row and detail of that node only, without refetching', () => {
    const { client, listKey } = setup();
    applyEvent(client, nodeEvent('a', 'running', { publicIps: ['192.0.2.7'] }));
    const list = client.getQueryData<NodePage>(listKey)!;
    expect(list.items.map((n) => [n.id, n.state])).toEqual([['a', 'running'], ['b', 'stopped']]);
    expect(list.items[0]!.publicIps).toEqual(['192.0.2.7']);
    expect(client.getQueryData<Node>(nodeKeys.detail('a'))!.state).toBe('running');
    expect(client.getQueryState(listKey)!.isInvalidated).toBe(false);
  });

  it('refetch the lists when the node is not on screen yet, or is gone', () => {
    const { client, listKey } = setup();
    applyEvent(client, nodeEvent('new', 'pending'));
    expect(client.getQueryState(listKey)!.isInvalidated).toBe(false);
    vi.advanceTimersByTime(REFETCH_DELAY_MS);
    expect(client.getQueryState(listKey)!.isInvalidated).toBe(true);

    const second = setup();
    applyEvent(second.client, nodeEvent('b', 'terminated', { gone: true }));
    vi.advanceTimersByTime(REFETCH_DELAY_MS);
    expect(second.client.getQueryState(second.listKey)!.isInvalidated).toBe(true);
  });

  it('update a cached job and mark job lists stale', () => {
    const client = new QueryClient();
    client.setQueryData(jobKeys.detail('j1'), { id: 'j1', state: 'queued', progress: 0 });
    client.setQueryData(jobKeys.list({ target: 'a' }), { items: [] });
    applyEvent(client, { type: 'job', id: 'j1', state: 'succeeded', jobType: 'node.reboot', targetId: 'a', progress: 100, error: null });
    expect(client.getQueryData(jobKeys.detail('j1'))).toMatchObject({ state: 'succeeded', progress: 100 });
    vi.advanceTimersByTime(REFETCH_DELAY_MS);
    expect(client.getQueryState(jobKeys.list({ target: 'a' }))!.isInvalidated).toBe(true);
  });

  it('refetch a shown list and the counts once for a burst of thousands of events, and again for a later one', async () => {
    const client = new QueryClient();
    const fetches = { list: 0, summary: 0 };
    // Observed, as on a mounted page: only queries someone looks at refetch when made stale.
    const stop = [
      new QueryObserver(client, { queryKey: nodeKeys.list({ page: 1 }), queryFn: async () => (fetches.list++, page([node('a', 'n-a', 'running')])) }),
      new QueryObserver(client, { queryKey: nodeKeys.summary(), queryFn: async () => (fetches.summary++, { total: 1 }) }),
    ].map((observer) => observer.subscribe(() => {}));
    await vi.advanceTimersByTimeAsync(0);
    expect(fetches).toEqual({ list: 1, summary: 1 });

    for (let i = 0; i < 5000; i++) applyEvent(client, nodeEvent(`x${i}`, 'stopped'));
    expect(fetches).toEqual({ list: 1, summary: 1 });
    await vi.advanceTimersByTimeAsync(REFETCH_DELAY_MS);
    expect(fetches).toEqual({ list: 2, summary: 2 });

    applyEvent(client, nodeEvent('late', 'running'));
    await vi.advanceTimersByTimeAsync(REFETCH_DELAY_MS);
    expect(fetches).toEqual({ list: 3, summary: 3 });
    stop.forEach((unsubscribe) => unsubscribe());
  });
});

describe('the event stream connection', () => {
  /** Stands in for the browser's EventSource: the test opens it (again) by hand. */
  class FakeEventSource {
    static readonly CLOSED = 2;
    static last: FakeEventSource | undefined;
    listeners = new Map<string, ((e: Event) => void)[]>();
    closed = false;
    readyState = 0;
    constructor(readonly url: string) {
      FakeEventSource.last = this;
    }
    addEventListener(type: string, fn: (e: Event) => void) {
      this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
    }
    emit(type: string) {
      for (const fn of this.listeners.get(type) ?? []) fn(new Event(type));
    }
    close() {
      this.closed = true;
    }
  }

  it('refetches everything when the server says it may have missed events', () => {
    const { client, listKey } = setup();
    applyEvent(client, { type: 'resync' });
    expect(client.getQueryState(listKey)!.isInvalidated).toBe(true);
    expect(client.getQueryState(nodeKeys.detail('a'))!.isInvalidated).toBe(true);
  });

  it('refetches what is shown after a reconnect, since events sent meanwhile are lost', () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const { client, listKey } = setup();
    const wrapper = ({ children }: { children: ReactNode }) => createElement(QueryClientProvider, { client }, children);
    const { unmount } = renderHook(() => useLiveUpdates('token'), { wrapper });
    const source = FakeEventSource.last!;

    source.emit('open');
    expect(client.getQueryState(listKey)!.isInvalidated).toBe(false);
    source.emit('error'); // the connection dropped; the browser retries
    source.emit('open');
    expect(client.getQueryState(listKey)!.isInvalidated).toBe(true);
    expect(client.getQueryState(nodeKeys.detail('a'))!.isInvalidated).toBe(true);

    unmount();
    expect(source.closed).toBe(true);
    vi.unstubAllGlobals();
  });

  it('opens the stream again later when the server refused it (too many open), and refetches then', () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const { client, listKey } = setup();
    const wrapper = ({ children }: { children: ReactNode }) => createElement(QueryClientProvider, { client }, children);
    const { unmount } = renderHook(() => useLiveUpdates('token'), { wrapper });
    const first = FakeEventSource.last!;
    first.emit('open');
    first.emit('error'); // dropped: the browser retries this one itself
    vi.advanceTimersByTime(REOPEN_MS);
    expect(FakeEventSource.last).toBe(first);

    first.readyState = FakeEventSource.CLOSED; // refused (429): the browser gives up
    first.emit('error');
    vi.advanceTimersByTime(REOPEN_MS - 1);
    expect(FakeEventSource.last).toBe(first);
    vi.advanceTimersByTime(1);
    const second = FakeEventSource.last!;
    expect(second).not.toBe(first);
    expect(client.getQueryState(listKey)!.isInvalidated).toBe(false);
    second.emit('open');
    expect(client.getQueryState(listKey)!.isInvalidated).toBe(true);

    unmount();
    expect(second.closed).toBe(true);
    vi.unstubAllGlobals();
  });
});
