import type { AgentEvent, Node, NodeChecks, NodeEvent, NodePage } from '@overmind/sdk';
import { QueryClient, QueryClientProvider, QueryObserver } from '@tanstack/react-query';
import { renderHook } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REOPEN_MS, applyEvent, useLiveUpdates } from '../src/api/live-updates.js';
import { agentKeys, agentTokenKeys } from '../src/api/agent-queries.js';
import { checkKeys } from '../src/api/check-queries.js';
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

  it('patch the readings of the rows and details on screen, without refetching anything', () => {
    const { client, listKey } = setup();
    const readings = { at: '2026-01-01T00:00:00.000Z', intervalSeconds: 15, cpu: 42, memory: 61, disk: 80, diskMount: '/', load: [1, 0.5, 0.2] };
    applyEvent(client, { type: 'readings', nodes: [{ id: 'a', ...readings }, { id: 'elsewhere', ...readings, cpu: 1 }] });
    const list = client.getQueryData<NodePage>(listKey)!;
    expect(list.items.map((n) => [n.id, n.readings?.cpu])).toEqual([['a', 42], ['b', undefined]]);
    expect(client.getQueryData<Node>(nodeKeys.detail('a'))!.readings).toEqual(readings);
    expect(client.getQueryData<Node>(nodeKeys.detail('elsewhere'))).toBeUndefined();
    vi.advanceTimersByTime(REFETCH_DELAY_MS);
    expect(client.getQueryState(listKey)!.isInvalidated).toBe(false);
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

  it('refetch a shown job once its state changes, for what the event does not carry (finished at, result)', () => {
    const client = new QueryClient();
    client.setQueryData(jobKeys.detail('j1'), { id: 'j1', state: 'running', progress: 10, finishedAt: null });
    applyEvent(client, { type: 'job', id: 'j1', state: 'running', jobType: 'node.configure', targetId: 'a', progress: 50 });
    vi.advanceTimersByTime(REFETCH_DELAY_MS);
    expect(client.getQueryState(jobKeys.detail('j1'))!.isInvalidated).toBe(false); // progress only: patched in place
    applyEvent(client, { type: 'job', id: 'j1', state: 'succeeded', jobType: 'node.configure', targetId: 'a', progress: 100, error: null });
    expect(client.getQueryData(jobKeys.detail('j1'))).toMatchObject({ state: 'succeeded', progress: 100 });
    vi.advanceTimersByTime(REFETCH_DELAY_MS);
    expect(client.getQueryState(jobKeys.detail('j1'))!.isInvalidated).toBe(true);
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

describe('agent events', () => {
  const SINCE = '2026-02-03T04:05:06.000Z';
  const agentEvent = (id: string, nodeId: string | null, status: AgentEvent['status'], connected: boolean): AgentEvent =>
    ({ type: 'agent', id, nodeId, status, connected, since: SINCE });
  const agentOf = (client: QueryClient, key: readonly unknown[], id: string) =>
    client.getQueryData<NodePage>(key)!.items.find((n) => n.id === id)!.agent;

  it('show an approved agent and its connection on its node in the lists and the detail, leaving other nodes alone', () => {
    const { client, listKey } = setup();
    applyEvent(client, agentEvent('ag1', 'a', 'active', false));
    expect(agentOf(client, listKey, 'a')).toEqual({ id: 'ag1', state: 'disconnected', since: SINCE });
    expect(client.getQueryData<Node>(nodeKeys.detail('a'))!.agent).toEqual({ id: 'ag1', state: 'disconnected', since: SINCE });
    applyEvent(client, agentEvent('ag1', 'a', 'active', true));
    expect(agentOf(client, listKey, 'a')).toEqual({ id: 'ag1', state: 'connected', since: SINCE });
    expect(client.getQueryData<Node>(nodeKeys.detail('a'))!.agent!.state).toBe('connected');
    expect(agentOf(client, listKey, 'b')).toBeUndefined();
    // Patched in place: the node lists are not refetched for it.
    vi.advanceTimersByTime(REFETCH_DELAY_MS);
    expect(client.getQueryState(listKey)!.isInvalidated).toBe(false);
  });

  it('take a revoked agent off its node, but not the agent that replaced it', () => {
    const { client, listKey } = setup();
    applyEvent(client, agentEvent('old', 'a', 'active', true));
    applyEvent(client, agentEvent('new', 'a', 'active', false)); // approved onto the node: the old one is revoked...
    applyEvent(client, agentEvent('old', 'a', 'revoked', false)); // ...and its event may come after
    expect(agentOf(client, listKey, 'a')).toMatchObject({ id: 'new', state: 'disconnected' });
    applyEvent(client, agentEvent('new', 'a', 'revoked', false));
    expect(agentOf(client, listKey, 'a')).toBeNull();
    expect(client.getQueryData<Node>(nodeKeys.detail('a'))!.agent).toBeNull();
  });

  it('change no node for a pending agent, and refresh the agent lists and the join tokens once for a burst', () => {
    const { client, listKey } = setup();
    const before = client.getQueryData<NodePage>(listKey);
    client.setQueryData(agentKeys.list({ status: 'pending' }), { items: [] });
    client.setQueryData(agentKeys.detail('ag2'), { id: 'ag2', status: 'pending', connected: false, since: '2026-01-01T00:00:00.000Z', hostname: 'h' });
    client.setQueryData(agentTokenKeys.list({}), { items: [] });
    applyEvent(client, agentEvent('ag2', null, 'pending', false));
    applyEvent(client, agentEvent('ag3', null, 'pending', false));
    expect(client.getQueryData<NodePage>(listKey)).toBe(before);
    expect(client.getQueryState(agentKeys.list({ status: 'pending' }))!.isInvalidated).toBe(false);
    vi.advanceTimersByTime(REFETCH_DELAY_MS);
    expect(client.getQueryState(agentKeys.list({ status: 'pending' }))!.isInvalidated).toBe(true);
    expect(client.getQueryState(agentTokenKeys.list({}))!.isInvalidated).toBe(true);
    expect(client.getQueryState(listKey)!.isInvalidated).toBe(false);

    // An agent's own page changes at once.
    applyEvent(client, agentEvent('ag2', 'b', 'active', true));
    expect(client.getQueryData(agentKeys.detail('ag2'))).toMatchObject({ status: 'active', connected: true, since: SINCE, hostname: 'h' });
  });
});

describe('health and check events', () => {
  const nodeChecks = (): NodeChecks => ({
    nodeId: 'a', health: 'ok', healthSince: '2026-01-01T00:00:00.000Z',
    items: [{ checkId: 'c1', name: 'disk', intervalSeconds: 60, result: {
      state: 'ok', output: 'DISK OK', longOutput: '', perfdata: [{ label: '/', value: 10, uom: 'GB', warn: null, crit: null, min: 0, max: 40 }],
      durationMs: 12, checkedAt: '2026-01-01T00:00:00.000Z', receivedAt: '2026-01-01T00:00:00.000Z', stateSince: '2026-01-01T00:00:00.000Z',
    } }],
  });
  const health = (nodeId: string, value: 'critical' | 'stale' | null) => ({ type: 'health' as const, nodeId, health: value, previous: 'ok' as const, since: '2026-02-01T00:00:00.000Z' });

  it('change the health of the rows, the detail and the node checks on screen in place, without refetching a plain list', () => {
    const { client, listKey } = setup();
    client.setQueryData(checkKeys.node('a'), nodeChecks());
    applyEvent(client, health('a', 'critical'));
    expect(client.getQueryData<NodePage>(listKey)!.items.map((n) => [n.id, n.health])).toEqual([['a', 'critical'], ['b', undefined]]);
    expect(client.getQueryData<Node>(nodeKeys.detail('a'))).toMatchObject({ health: 'critical', healthSince: '2026-02-01T00:00:00.000Z' });
    expect(client.getQueryData<NodeChecks>(checkKeys.node('a'))).toMatchObject({ health: 'critical', healthSince: '2026-02-01T00:00:00.000Z' });
    vi.advanceTimersByTime(REFETCH_DELAY_MS);
    expect(client.getQueryState(listKey)!.isInvalidated).toBe(false);
  });

  it('refetch lists filtered or sorted by health once for a burst (a node may move in or out), and not for nodes off screen', () => {
    const { client, listKey } = setup();
    const byHealth = nodeKeys.list({ page: 1, limit: 50, sort: 'health', order: 'desc' });
    client.setQueryData(byHealth, page([node('a', 'n-a', 'running')]));
    applyEvent(client, health('elsewhere', 'stale'));
    vi.advanceTimersByTime(REFETCH_DELAY_MS);
    expect(client.getQueryState(byHealth)!.isInvalidated).toBe(false);
    for (let i = 0; i < 100; i++) applyEvent(client, health('a', i % 2 ? 'critical' : 'stale'));
    const refetches = vi.spyOn(client, 'invalidateQueries');
    vi.advanceTimersByTime(REFETCH_DELAY_MS);
    expect(client.getQueryState(byHealth)!.isInvalidated).toBe(true);
    expect(client.getQueryState(listKey)!.isInvalidated).toBe(true);
    expect(refetches).toHaveBeenCalledTimes(1);
  });

  it('show a check state change on the node at once, then refetch its checks and history for what the event lacks', () => {
    const { client } = setup();
    client.setQueryData(checkKeys.node('a'), nodeChecks());
    client.setQueryData(checkKeys.history('a', 1), { items: [], page: 1, limit: 20, total: 0 });
    client.setQueryData(checkKeys.node('b'), { ...nodeChecks(), nodeId: 'b' });
    applyEvent(client, { type: 'check', nodeId: 'a', checkId: 'c1', name: 'disk', state: 'critical', previous: 'ok', output: 'DISK CRITICAL - / 98%', at: '2026-02-01T00:00:00.000Z' });
    const result = client.getQueryData<NodeChecks>(checkKeys.node('a'))!.items[0]!.result!;
    expect(result).toMatchObject({ state: 'critical', output: 'DISK CRITICAL - / 98%', stateSince: '2026-02-01T00:00:00.000Z', perfdata: [{ label: '/', value: 10 }] });
    vi.advanceTimersByTime(REFETCH_DELAY_MS);
    expect(client.getQueryState(checkKeys.node('a'))!.isInvalidated).toBe(true);
    expect(client.getQueryState(checkKeys.history('a', 1))!.isInvalidated).toBe(true);
    expect(client.getQueryState(checkKeys.node('b'))!.isInvalidated).toBe(false);
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
    message(type: string, data: unknown) {
      for (const fn of this.listeners.get(type) ?? []) fn(new MessageEvent(type, { data: JSON.stringify(data) }));
    }
    close() {
      this.closed = true;
    }
  }

  it('listens for agent events', () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const { client } = setup();
    const wrapper = ({ children }: { children: ReactNode }) => createElement(QueryClientProvider, { client }, children);
    const { unmount } = renderHook(() => useLiveUpdates('token'), { wrapper });
    FakeEventSource.last!.message('agent', { type: 'agent', id: 'ag1', nodeId: 'a', status: 'active', connected: true, since: '2026-02-03T04:05:06.000Z' });
    expect(client.getQueryData<Node>(nodeKeys.detail('a'))!.agent).toMatchObject({ id: 'ag1', state: 'connected' });
    unmount();
    vi.unstubAllGlobals();
  });

  it('listens for health and check events', () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const { client, listKey } = setup();
    const wrapper = ({ children }: { children: ReactNode }) => createElement(QueryClientProvider, { client }, children);
    const { unmount } = renderHook(() => useLiveUpdates('token'), { wrapper });
    FakeEventSource.last!.message('health', { type: 'health', nodeId: 'b', health: 'warning', previous: null, since: '2026-02-03T04:05:06.000Z' });
    expect(client.getQueryData<NodePage>(listKey)!.items[1]!.health).toBe('warning');
    expect(FakeEventSource.last!.listeners.has('check')).toBe(true);
    unmount();
    vi.unstubAllGlobals();
  });

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
