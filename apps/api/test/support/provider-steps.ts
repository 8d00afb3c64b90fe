/**
 * Steps the provider tests take through the real API, each asserting what the API must answer, so
 * a test per driver reads as the story of one provider: register, catalog, create, act, destroy.
 */
import { expect } from 'vitest';
import { eventually, waitForJob, waitForJobs, type TestApp } from './test-app.js';

export interface ProviderView {
  id: string;
  name: string;
  type: string;
  status: string;
  settings: Record<string, unknown>;
}

export interface NodeView {
  id: string;
  name: string;
  state: string;
  providerNodeId: string | null;
  publicIps: string[];
  privateIps: string[];
  extra: Record<string, unknown>;
  destroyedAt: string | null;
  configMode: 'push' | 'pull' | null;
  agent: { id: string; state: 'pending' | 'connected' | 'disconnected'; since: string | null } | null;
  readings?: { at: string; intervalSeconds: number; cpu: number | null; memory: number; disk: number | null; diskMount: string | null; load: number[] } | null;
  health: 'ok' | 'warning' | 'critical' | 'unknown' | 'stale' | null;
  healthSince: string | null;
}

export interface JobView {
  id: string;
  type: string;
  state: string;
  attempts: number;
  targetId: string;
  error: string | null;
  result: Record<string, unknown> | null;
}

export interface CatalogItemView {
  id: string;
  name: string;
  favourite: boolean;
  /** The driver's item as it listed it (ProviderImage, ProviderNetwork...). */
  data: Record<string, unknown>;
}

const providerCount = async (t: TestApp): Promise<number> =>
  (await t.request('observer', { method: 'GET', url: '/api/v1/providers' })).json().total;

/**
 * Registers a provider (201), then waits for the catalog refresh and sync jobs it queues and
 * expects both to succeed.
 */
export async function registerProvider(t: TestApp, body: { name: string; type: string; credentials: object; settings?: object }) {
  const res = await t.request('operator', { method: 'POST', url: '/api/v1/providers', payload: body });
  expect(res.statusCode, res.body).toBe(201);
  const provider = res.json() as ProviderView;
  // Credentials are write-only: no secret value comes back.
  for (const value of Object.values(body.credentials)) {
    if (typeof value === 'string' && value.length > 3) expect(res.body).not.toContain(value);
  }
  const jobs = (await waitForJobs(t, { target: provider.id }, 2, 20_000)) as JobView[];
  expect(jobs.map((j) => [j.type, j.state, j.error]).sort()).toEqual([
    ['provider.refresh', 'succeeded', null],
    ['provider.sync', 'succeeded', null],
  ]);
  return { provider, jobs };
}

/** The provider refuses the credentials: 422 carrying its own message, and nothing is stored. */
export async function expectCredentialsRefused(t: TestApp, body: object, providerMessage: RegExp) {
  const before = await providerCount(t);
  const res = await t.request('operator', { method: 'POST', url: '/api/v1/providers', payload: body });
  expect(res.statusCode, res.body).toBe(422);
  expect(res.headers['content-type']).toMatch(/problem\+json/);
  expect(res.json().detail).toMatch(providerMessage);
  expect(res.json().errors).toEqual([{ field: 'body.credentials', message: expect.stringMatching(providerMessage) }]);
  expect(await providerCount(t)).toBe(before);
}

/** What the first sync imported: its result, and the provider's nodes as `name:state`, by name. */
export async function importedNodes(t: TestApp, providerId: string, jobs: JobView[]) {
  const nodes = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes?providerId=${providerId}&sort=name` })).json();
  return {
    result: jobs.find((j) => j.type === 'provider.sync')?.result,
    nodes: nodes.items.map((n: NodeView) => `${n.name}:${n.state}`) as string[],
  };
}

export async function catalog(t: TestApp, providerId: string, kind: 'images' | 'sizes' | 'locations' | 'networks', search?: string) {
  const qs = search === undefined ? '' : `?search=${encodeURIComponent(search)}`;
  const res = await t.request('observer', { method: 'GET', url: `/api/v1/providers/${providerId}/${kind}${qs}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: CatalogItemView[]; total: number };
}

/** POST /providers/:id/refresh and waits for the refreshed catalog. */
export async function refreshCatalog(t: TestApp, providerId: string, timeoutMs = 30_000) {
  const res = await t.request('operator', { method: 'POST', url: `/api/v1/providers/${providerId}/refresh` });
  expect(res.statusCode, res.body).toBe(202);
  const job = (await waitForJob(t, (res.json() as JobView).id, timeoutMs)) as JobView;
  expect(job.state, job.error ?? '').toBe('succeeded');
}

/** POST /nodes that must be refused with a 422 before any job: its problem detail. */
export async function createRefused(t: TestApp, body: Record<string, unknown>): Promise<string> {
  const res = await t.request('operator', { method: 'POST', url: '/api/v1/nodes', payload: body });
  expect(res.statusCode, res.body).toBe(422);
  return (res.json() as { detail: string }).detail;
}

/** Marks an image that is not first favourite, and expects it to head the image list afterwards. */
export async function favouriteFirst(t: TestApp, providerId: string, imageId: string) {
  expect((await catalog(t, providerId, 'images')).items[0]?.id).not.toBe(imageId);
  const res = await t.request('operator', { method: 'PUT', url: `/api/v1/providers/${providerId}/images/${encodeURIComponent(imageId)}/favourite` });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toMatchObject({ id: imageId, favourite: true });
  const listed = await catalog(t, providerId, 'images');
  expect(listed.items[0]).toMatchObject({ id: imageId, favourite: true });
  expect(listed.items.slice(1).every((i) => !i.favourite)).toBe(true);
}

export async function getNode(t: TestApp, id: string): Promise<NodeView> {
  return (await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${id}` })).json();
}

/** POST /nodes: 202 with the create job; returns the job once it finished, and the node. */
export async function createNode(t: TestApp, body: Record<string, unknown>, timeoutMs = 20_000) {
  const res = await t.request('operator', { method: 'POST', url: '/api/v1/nodes', payload: body });
  expect(res.statusCode, res.body).toBe(202);
  const queued = res.json() as JobView;
  expect(queued).toMatchObject({ type: 'node.create', state: 'queued' });
  const job = (await waitForJob(t, queued.id, timeoutMs)) as JobView;
  return { job, node: await getNode(t, queued.targetId) };
}

/** POST /nodes/:id/<action> (or DELETE for destroy): 202, and the finished job. */
export async function nodeAction(t: TestApp, nodeId: string, action: 'reboot' | 'start' | 'stop' | 'destroy', timeoutMs = 20_000) {
  const res = action === 'destroy'
    ? await t.request('operator', { method: 'DELETE', url: `/api/v1/nodes/${nodeId}` })
    : await t.request('operator', { method: 'POST', url: `/api/v1/nodes/${nodeId}/${action}` });
  expect(res.statusCode, res.body).toBe(202);
  expect(res.json().type).toBe(`node.${action}`);
  return (await waitForJob(t, res.json().id, timeoutMs)) as JobView;
}

/**
 * Reboot, stop, start: each a job that succeeds and leaves the node running, stopped, running.
 * `sent` checks what the provider received for each.
 */
export async function rebootStopStart(t: TestApp, nodeId: string, sent: (action: 'reboot' | 'stop' | 'start') => unknown, timeoutMs = 20_000) {
  for (const [action, state] of [['reboot', 'running'], ['stop', 'stopped'], ['start', 'running']] as const) {
    expect((await nodeAction(t, nodeId, action, timeoutMs)).state, action).toBe('succeeded');
    await sent(action);
    expect((await getNode(t, nodeId)).state, action).toBe(state);
  }
}

/** DELETE /nodes/:id: the job succeeds and the node is kept as terminated history. */
export async function destroyNode(t: TestApp, nodeId: string, timeoutMs = 20_000) {
  expect((await nodeAction(t, nodeId, 'destroy', timeoutMs)).state).toBe('succeeded');
  expect(await getNode(t, nodeId)).toMatchObject({ state: 'terminated', destroyedAt: expect.any(String) });
}

/** The lines a job logged, oldest first. */
export async function jobLog(t: TestApp, jobId: string): Promise<string[]> {
  const res = await t.request('observer', { method: 'GET', url: `/api/v1/jobs/${jobId}/logs` });
  return res.json().items.map((l: { line: string }) => l.line);
}

/** The internal idempotency key of a node, which the API never shows but hands to the driver. */
export async function idempotencyKey(t: TestApp, nodeId: string): Promise<string> {
  const [row] = await t.app.db.query('SELECT idempotency_key FROM nodes WHERE id = $1', [nodeId]);
  return row.idempotency_key;
}

export interface StreamedEvent {
  event: string;
  data: Record<string, any>;
}

/** Reads the real SSE stream of a listening app over HTTP until closed. */
export async function openEventStream(baseUrl: string, token: string) {
  const received: StreamedEvent[] = [];
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/events?access_token=${token}`, { signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const pump = (async () => {
    let buffer = '';
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buffer += chunk.value;
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop() ?? '';
        for (const block of blocks) {
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) received.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    received,
    /** Waits until an event matching `match` has arrived. */
    waitFor: (match: (e: StreamedEvent) => boolean, what: string) =>
      eventually(async () => (received.some(match) ? true : undefined), 10_000, what),
    close: async () => {
      controller.abort();
      await pump;
    },
  };
}
