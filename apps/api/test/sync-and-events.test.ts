import { dummyStore, NODE_STATES } from '@overmind/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/lib/actor.js';
import { createSyncScheduler } from '../src/modules/providers/sync-scheduler.js';
import { createDummyProvider, createTestApp, eventually, waitForJob, type TestApp } from './support/test-app.js';

let t: TestApp;
let baseUrl: string;
beforeAll(async () => {
  t = await createTestApp();
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t?.close());

interface Received {
  event: string;
  data: Record<string, unknown>;
}

/** Opens the real SSE stream over HTTP and collects events until stopped. */
function openStream(token: string) {
  const received: Received[] = [];
  const controller = new AbortController();
  const ready = fetch(`${baseUrl}/api/v1/events?access_token=${token}`, { signal: controller.signal }).then(async (res) => {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.+)$/m.exec(block)?.[1];
            const data = /^data: (.+)$/m.exec(block)?.[1];
            if (event && data) received.push({ event, data: JSON.parse(data) });
          }
        }
      } catch {
        /* aborted */
      }
    })();
  });
  return { received, ready, close: () => controller.abort() };
}

describe('provider sync', () => {
  it('imports nodes the provider has, updates changed ones and decommissions vanished ones', async () => {
    const provider = await createDummyProvider(t, { initialNodes: 5 });
    const listed = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes?providerId=${provider.id}` })).json();
    expect(listed.total).toBe(5);
    expect(listed.items.map((n: { name: string }) => n.name)).toEqual(['existing-1', 'existing-2', 'existing-3', 'existing-4', 'existing-5']);

    const store = dummyStore(provider.id);
    const [first, second] = [...store.nodes.values()];
    store.forget(first!.node.id);
    second!.node.state = 'stopped';
    second!.node.publicIps = ['192.0.2.99'];

    const stream = openStream(t.tokens.observer);
    await stream.ready;
    const res = await t.request('operator', { method: 'POST', url: `/api/v1/providers/${provider.id}/sync` });
    expect(res.statusCode).toBe(202);
    const job = await waitForJob(t, res.json().id);
    expect(job.result).toEqual({ listed: 4, imported: 0, updated: 1, decommissioned: 1 });

    const gone = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes?providerId=${provider.id}&includeGone=true&search=existing-1` })).json();
    expect(gone.items[0].decommissionedAt).not.toBeNull();
    const changed = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes?providerId=${provider.id}&search=192.0.2.99` })).json();
    expect(changed.items).toHaveLength(1);
    expect(changed.items[0]).toMatchObject({ name: 'existing-2', state: 'stopped' });

    await eventually(async () => {
      const nodeEvents = stream.received.filter((e) => e.event === 'node');
      return nodeEvents.length >= 2 ? true : undefined;
    }, 5000, 'node events');
    stream.close();
    const nodeEvents = stream.received.filter((e) => e.event === 'node').map((e) => e.data);
    expect(nodeEvents).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'existing-2', state: 'stopped', publicIps: ['192.0.2.99'], gone: false }),
      expect.objectContaining({ name: 'existing-1', gone: true }),
    ]));
    expect(stream.received.some((e) => e.event === 'provider' && (e.data.summary as Record<string, number>)?.decommissioned === 1)).toBe(true);
    const providerAfter = (await t.request('observer', { method: 'GET', url: `/api/v1/providers/${provider.id}` })).json();
    expect(providerAfter).toMatchObject({ lastSyncStatus: 'ok', status: 'ok', nodeCount: 4 });

    // The dashboard's counts: live nodes only, by provider and by state, adding up.
    const live: { state: string }[] = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes?providerId=${provider.id}` })).json().items;
    const summary = (await t.request('observer', { method: 'GET', url: '/api/v1/nodes/summary' })).json();
    const mine = summary.byProvider.find((p: { providerId: string }) => p.providerId === provider.id);
    const expected = Object.fromEntries(NODE_STATES.map((s) => [s, live.filter((n) => n.state === s).length]));
    expect(mine).toEqual({ providerId: provider.id, total: 4, byState: expected });
    expect(mine.byState.stopped).toBe(1);
    const sum = (f: (p: { total: number; byState: Record<string, number> }) => number) => summary.byProvider.reduce((n: number, p: never) => n + f(p), 0);
    expect(summary.total).toBe(sum((p) => p.total));
    for (const state of NODE_STATES) expect(summary.byState[state]).toBe(sum((p) => p.byState[state]!));
  });

  it('does not import machines the provider lists as terminated, but records a known node terminating', async () => {
    const provider = await createDummyProvider(t, { initialNodes: 2 });
    const store = dummyStore(provider.id);
    const [known] = [...store.nodes.values()];
    known!.node.state = 'terminated';
    const ghost = structuredClone(known!);
    ghost.node.id = 'dummy-ghost';
    ghost.node.name = 'ghost';
    store.nodes.set(ghost.node.id, ghost);
    const res = await t.request('operator', { method: 'POST', url: `/api/v1/providers/${provider.id}/sync` });
    const job = await waitForJob(t, res.json().id);
    expect(job.result).toEqual({ listed: 3, imported: 0, updated: 1, decommissioned: 0 });
    const all = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes?providerId=${provider.id}&includeGone=true` })).json();
    expect(all.items.map((n: { name: string; state: string }) => [n.name, n.state])).toEqual([
      ['existing-1', 'terminated'],
      ['existing-2', 'running'],
    ]);
  });

  it('writes nothing for unchanged nodes, keeps a configuring node configuring, brings a decommissioned one back and leaves a destroyed one alone', async () => {
    const provider = await createDummyProvider(t, { initialNodes: 4 });
    const sync = async () => {
      const job = await waitForJob(t, (await t.request('operator', { method: 'POST', url: `/api/v1/providers/${provider.id}/sync` })).json().id);
      expect(job.state, job.error).toBe('succeeded');
      return job.result;
    };
    const rows = async (): Promise<{ name: string; state: string; updated_at: Date; decommissioned: boolean; destroyed: boolean }[]> => t.app.db.query(
      `SELECT name, state, updated_at, decommissioned_at IS NOT NULL AS decommissioned, destroyed_at IS NOT NULL AS destroyed FROM nodes WHERE provider_id = $1 ORDER BY name`, [provider.id]);
    const before = await rows();
    expect(await sync()).toEqual({ listed: 4, imported: 0, updated: 0, decommissioned: 0 });
    expect(await rows()).toEqual(before); // not one row written

    await t.app.db.query(`UPDATE nodes SET state = 'configuring' WHERE provider_id = $1 AND name = 'existing-1'`, [provider.id]);
    await t.app.db.query(`UPDATE nodes SET decommissioned_at = now() WHERE provider_id = $1 AND name = 'existing-2'`, [provider.id]);
    await t.app.db.query(`UPDATE nodes SET destroyed_at = now() WHERE provider_id = $1 AND name = 'existing-3'`, [provider.id]);
    const [, , third, fourth] = [...dummyStore(provider.id).nodes.values()];
    third!.node.state = 'stopped';
    fourth!.node.state = 'stopped';
    expect(await sync()).toEqual({ listed: 4, imported: 0, updated: 2, decommissioned: 0 });
    expect((await rows()).map((r) => [r.name, r.state, r.decommissioned, r.destroyed])).toEqual([
      ['existing-1', 'configuring', false, false], // its configure owns the state until it is done
      ['existing-2', 'running', false, false], // listed again: back
      ['existing-3', 'running', false, true], // destroyed in Overmind: not touched
      ['existing-4', 'stopped', false, false],
    ]);
  });

  it('syncs a node reported with more addresses than a notification holds, and announces it shortened', async () => {
    const provider = await createDummyProvider(t, { initialNodes: 1 });
    const [reported] = [...dummyStore(provider.id).nodes.values()];
    reported!.node.publicIps = Array.from({ length: 400 }, (_, i) => `2001:db8::${i.toString(16)}`);
    reported!.node.privateIps = Array.from({ length: 400 }, (_, i) => `10.0.${Math.floor(i / 250)}.${i % 250}`);
    const stream = openStream(t.tokens.observer);
    await stream.ready;
    const job = await waitForJob(t, (await t.request('operator', { method: 'POST', url: `/api/v1/providers/${provider.id}/sync` })).json().id);
    expect(job.state, job.error).toBe('succeeded');
    expect(job.result).toMatchObject({ updated: 1 });
    const stored = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes?providerId=${provider.id}` })).json().items[0];
    expect(stored.publicIps).toHaveLength(400);
    expect(stored.privateIps).toHaveLength(400);
    const event = await eventually(async () => stream.received.find((e) => e.event === 'node' && e.data.id === stored.id), 5000, 'the node event');
    stream.close();
    expect(event.data).toMatchObject({ name: stored.name, state: stored.state, gone: false });
    expect(event.data.publicIps).toEqual(stored.publicIps.slice(0, 20));
    expect(event.data.privateIps).toEqual(stored.privateIps.slice(0, 20));
  });

  it('a second sync with nothing changed writes nothing', async () => {
    const provider = await createDummyProvider(t, { initialNodes: 3 });
    const res = await t.request('operator', { method: 'POST', url: `/api/v1/providers/${provider.id}/sync` });
    const job = await waitForJob(t, res.json().id);
    expect(job.result).toEqual({ listed: 3, imported: 0, updated: 0, decommissioned: 0 });
  });

  it('the scheduler queues syncs and catalog refreshes only for providers that are due', async () => {
    const due = await createDummyProvider(t);
    const fresh = await createDummyProvider(t);
    await t.app.db.query(`UPDATE providers SET last_sync_at = now(), catalog_refreshed_at = now()`);
    await t.app.db.query(`UPDATE providers SET last_sync_at = now() - interval '2 hours', catalog_refreshed_at = now() - interval '2 days' WHERE id = $1`, [due.id]);
    const scheduler = createSyncScheduler({ db: t.app.db, jobs: t.app.services.jobs, actor: systemActor('scheduler'), catalogMaxAgeSeconds: 86400 });
    expect(await scheduler.queueDue()).toEqual({ syncs: 1, refreshes: 1 });
    const jobsOf = async (id: string, type: string) =>
      (await t.request('observer', { method: 'GET', url: `/api/v1/jobs?target=${id}&type=${type}` })).json().total;
    expect(await jobsOf(due.id, 'provider.sync')).toBe(2);
    expect(await jobsOf(due.id, 'provider.refresh')).toBe(2);
    expect(await jobsOf(fresh.id, 'provider.sync')).toBe(1);
    expect(await jobsOf(fresh.id, 'provider.refresh')).toBe(1);
  });
});

describe('event stream', () => {
  it('streams job and node changes of a create as they happen', async () => {
    const provider = await createDummyProvider(t);
    const stream = openStream(t.tokens.observer);
    await stream.ready;
    const res = await t.request('operator', {
      method: 'POST',
      url: '/api/v1/nodes',
      payload: { providerId: provider.id, name: 'live-1', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' },
    });
    const job = res.json();
    await waitForJob(t, job.id);
    await eventually(async () => (stream.received.some((e) => e.event === 'job' && e.data.id === job.id && e.data.state === 'succeeded') ? true : undefined), 30_000, 'job succeeded event');
    stream.close();
    const states = stream.received.filter((e) => e.event === 'job' && e.data.id === job.id).map((e) => e.data.state);
    expect(states[0]).toBe('queued');
    expect(states).toContain('running');
    expect(states.at(-1)).toBe('succeeded');
    const nodeStates = stream.received.filter((e) => e.event === 'node' && e.data.id === job.targetId).map((e) => e.data.state);
    expect(nodeStates[0]).toBe('pending');
    expect(nodeStates.at(-1)).toBe('running');
    expect(stream.received.some((e) => e.event === 'job.log' && e.data.id === job.id)).toBe(true);
  });

  it('says resync after losing its LISTEN connection, then streams again; queued jobs still run', async () => {
    const stream = openStream(t.tokens.observer);
    await stream.ready;
    // What a Postgres restart or a network cut does to this process's LISTEN connections.
    const [{ n }] = await t.app.db.query(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name LIKE 'overmind-listen-%'`,
    );
    expect(n).toBe(3); // the event stream's, the workers' wake-ups and the agent gateway's signals
    // Expected (a restart, a stop): one line each, without a stack trace.
    await eventually(async () => (t.logs.filter((l) => l.includes('the database server closed the connection; reconnecting')).length >= 3 ? true : undefined), 30_000, 'the three one-line warnings');
    expect(t.logs.filter((l) => l.includes('LISTEN') && l.includes('"stack"'))).toEqual([]);
    await eventually(async () => (stream.received.some((e) => e.event === 'resync') ? true : undefined), 30_000, 'resync event');

    const provider = await createDummyProvider(t);
    const res = await t.request('operator', {
      method: 'POST',
      url: '/api/v1/nodes',
      payload: { providerId: provider.id, name: 'after-resync', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' },
    });
    const job = res.json();
    expect((await waitForJob(t, job.id)).state).toBe('succeeded');
    await eventually(async () => (stream.received.some((e) => e.event === 'job' && e.data.id === job.id && e.data.state === 'succeeded') ? true : undefined), 30_000, 'events after the reconnect');
    stream.close();
  });

  it('refuses the stream without a token', async () => {
    const res = await fetch(`${baseUrl}/api/v1/events`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
