/**
 * Prometheus on a real Postgres: `GET /metrics` (its credentials, process, HTTP, queue and agent
 * figures) and the nodes' exposition `GET /api/v1/metrics/nodes`, checked by Prometheus' own parser
 * (`promtool check metrics`, from the Debian package `prometheus`).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrol, ScriptedAgent } from './support/agent-client.js';
import { createTestApp, eventually, type TestApp } from './support/test-app.js';

let t: TestApp;
let baseUrl: string;
let providerId: string;

beforeAll(async () => {
  t = await createTestApp({ worker: false });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  // A provider name that needs escaping in a label value.
  [{ id: providerId }] = await t.app.db.query(
    `INSERT INTO providers (type, name, credentials_enc, sync_interval_seconds) VALUES ('dummy', 'lab "east"', 'sealed', 300) RETURNING id`,
  );
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** `promtool check metrics`: exit code 0 when the text parses and passes Prometheus' lint, 3 when only the lint complains, 1 when it does not parse. */
function promtool(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => reject(new Error(`promtool could not run (${err.message}): install the Debian package prometheus (scripts/test-prereqs.sh)`)));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(text);
  });
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of an exposition (what the tests look up; promtool checks the format itself). */
function samples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

function find(all: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

async function scrape(url = '/metrics'): Promise<{ text: string; samples: Sample[] }> {
  const res = await t.request('observer', { method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return { text: res.body, samples: samples(res.body) };
}

describe('GET /metrics', () => {
  it('needs credentials: a session or an API token, never none', async () => {
    expect((await t.request(null, { method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await t.request(null, { method: 'GET', url: '/metrics', headers: { authorization: 'Bearer om_not-a-token' } })).statusCode).toBe(401);
    // An observer's API token, as a Prometheus would present it.
    const secret = `om_${randomBytes(24).toString('base64url')}`;
    await t.app.db.query(
      `INSERT INTO api_tokens (user_id, name, token_hash, prefix, expires_at) VALUES ($1, 'prometheus', $2, $3, now() + interval '1 day')`,
      [t.userIds.observer, createHash('sha256').update(secret).digest('base64url'), secret.slice(0, 8)],
    );
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${secret}` } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });

  it('counts requests by route pattern and status, never by raw URL', async () => {
    const id = randomUUID();
    expect((await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${id}` })).statusCode).toBe(404);
    expect((await t.request('observer', { method: 'GET', url: `/api/v1/no/such/${id}` })).statusCode).toBe(404);
    const { text } = await eventually(async () => {
      const s = await scrape();
      return find(s.samples, 'overmind_http_request_duration_seconds_count', { route: '(unmatched)' }).length > 0 ? s : undefined;
    }, 10_000, 'the requests to be counted');
    const all = samples(text);
    expect(find(all, 'overmind_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/nodes/:id', status: '404' })[0]?.value).toBe(1);
    expect(find(all, 'overmind_http_request_duration_seconds_bucket', { route: '/api/v1/nodes/:id', status: '404', le: '+Inf' })[0]?.value).toBe(1);
    expect(find(all, 'overmind_http_request_duration_seconds_count', { route: '(unmatched)', status: '404' })[0]?.value).toBe(1);
    expect(text).not.toContain(id);
    expect(find(all, 'nodejs_eventloop_lag_seconds')).toHaveLength(1);
    // It parses; the lint's only objections are to three of prom-client's default gauges (named `_total`).
    const check = await promtool(text);
    expect(check.code, check.output).toBe(3);
    expect(check.output.trim().split('\n').map((l) => l.split(' ')[0]).sort()).toEqual(['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']);
  });

  it('shows queued, active and failed jobs of every queue', async () => {
    const queue = 'prometheus-test';
    await t.app.boss.createQueue(queue, { name: queue, retryLimit: 0 });
    for (let i = 0; i < 4; i++) await t.app.boss.send(queue, { i });
    const [failing] = (await t.app.boss.fetch(queue))!;
    await t.app.boss.fail(queue, failing!.id, { reason: 'test' });
    await t.app.boss.fetch(queue);
    // Figures are kept a second (scrapers arriving together, one query): wait for the new ones.
    const all = await eventually(async () => {
      const { samples: s } = await scrape();
      return find(s, 'overmind_queue_jobs', { queue, state: 'failed' })[0]?.value === 1 ? s : undefined;
    }, 15_000, 'the queue figures');
    expect(find(all, 'overmind_queue_jobs', { queue, state: 'queued' })[0]?.value).toBe(2);
    expect(find(all, 'overmind_queue_jobs', { queue, state: 'active' })[0]?.value).toBe(1);
    // Overmind's own queues appear with zeros (no worker here takes their jobs).
    expect(find(all, 'overmind_queue_jobs', { queue: 'overmind-jobs', state: 'active' })[0]?.value).toBe(0);
  });

  it('shows agent connections, handshakes and closes by code', async () => {
    const [{ id: nodeId }] = await t.app.db.query(
      `INSERT INTO nodes (provider_id, provider_node_id, name, state) VALUES ($1, $2, 'agent-node', 'running') RETURNING id`,
      [providerId, randomUUID()],
    );
    const token = await t.request('operator', { method: 'POST', url: '/api/v1/agent-tokens', payload: { nodeId, ttlSeconds: 600 } });
    expect(token.statusCode, token.body).toBe(201);
    const identity = await enrol(baseUrl, token.json().token);
    const before = samples((await scrape()).text);
    const value = (all: Sample[], name: string, labels: Record<string, string> = {}) => find(all, name, labels)[0]?.value ?? 0;

    const agent = await ScriptedAgent.open(baseUrl);
    await agent.hello(identity, { capabilities: [] });
    await agent.next('welcome');
    const during = samples((await scrape()).text);
    expect(value(during, 'overmind_agent_connected')).toBe(1);
    expect(value(during, 'overmind_agent_handshakes_total')).toBe(value(before, 'overmind_agent_handshakes_total') + 1);

    // A peer speaking nonsense is closed as malformed (4400).
    const rogue = await ScriptedAgent.open(baseUrl);
    rogue.socket.send('not json');
    expect((await rogue.closed).code).toBe(4400);
    agent.socket.close(1000);
    await agent.closed;
    const after = await eventually(async () => {
      const s = samples((await scrape()).text);
      return value(s, 'overmind_agent_connected') === 0 && value(s, 'overmind_agent_closes_total', { code: '1000' }) === 1 ? s : undefined;
    }, 10_000, 'the closes to be counted');
    expect(value(after, 'overmind_agent_closes_total', { code: '4400' })).toBe(value(before, 'overmind_agent_closes_total', { code: '4400' }) + 1);
    expect(value(after, 'overmind_agent_handshakes_in_progress')).toBe(0);
  });
});

describe('GET /api/v1/metrics/nodes', () => {
  async function node(name: string, over: { health?: string; readingAgeSeconds?: number; destroyed?: boolean; cpu?: number } = {}): Promise<string> {
    const [{ id }] = await t.app.db.query(
      `INSERT INTO nodes (provider_id, provider_node_id, name, state, health, destroyed_at) VALUES ($1, $2, $3, 'running', $4, $5) RETURNING id`,
      [providerId, randomUUID(), name, over.health ?? null, over.destroyed ? new Date() : null],
    );
    if (over.readingAgeSeconds !== undefined) {
      const at = new Date(Date.now() - over.readingAgeSeconds * 1000);
      const view = { at: at.toISOString(), intervalSeconds: 15, cpu: over.cpu ?? 12.5, memory: 40.2, disk: 70.1, diskMount: '/var "data"', load: [0.5, 0.25, 1.75] };
      await t.app.db.query(
        `INSERT INTO node_readings (node_id, at, cpu, memory, disk, load1, json) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, at, view.cpu, view.memory, view.disk, view.load[0], JSON.stringify(view)],
      );
    }
    return id;
  }

  it('exposes live nodes\' fresh readings and health, escaped, in a format Prometheus parses', async () => {
    const odd = 'db "primary" \\ east\nrack 2';
    const web = await node('web-1', { health: 'ok', readingAgeSeconds: 5 });
    const db = await node(odd, { health: 'critical', readingAgeSeconds: 1, cpu: 99 });
    const gone = await node('gone-agent', { health: 'stale', readingAgeSeconds: 3600 });
    const destroyed = await node('destroyed', { health: 'ok', readingAgeSeconds: 1, destroyed: true });
    const quiet = await node('no-agent');

    expect((await t.request(null, { method: 'GET', url: '/api/v1/metrics/nodes' })).statusCode).toBe(401);
    const { text, samples: all } = await scrape('/api/v1/metrics/nodes');
    const check = await promtool(text);
    expect(check, check.output).toEqual({ code: 0, output: '' });

    // The odd name, exactly as the text format escapes it.
    expect(text).toContain(`overmind_node_cpu_used_percent{node_id="${db}",node_name="db \\"primary\\" \\\\ east\\nrack 2",provider="lab \\"east\\""} 99\n`);
    const labels = { node_id: web, node_name: 'web-1', provider: 'lab "east"' };
    expect(find(all, 'overmind_node_cpu_used_percent', labels)[0]?.value).toBe(12.5);
    expect(find(all, 'overmind_node_memory_used_percent', labels)[0]?.value).toBe(40.2);
    expect(find(all, 'overmind_node_disk_used_percent', { ...labels, mount: '/var "data"' })[0]?.value).toBe(70.1);
    expect([1, 5, 15].map((m) => find(all, `overmind_node_load${m}`, labels)[0]?.value)).toEqual([0.5, 0.25, 1.75]);
    expect(Math.abs(find(all, 'overmind_node_reading_timestamp_seconds', labels)[0]!.value - (Date.now() / 1000 - 5))).toBeLessThan(120);
    expect(find(all, 'overmind_node_health', { node_id: db, node_name: odd, health: 'critical' })[0]?.value).toBe(1);
    expect(find(all, 'overmind_node_health', { node_id: web, health: 'ok' })[0]?.value).toBe(1);

    // An agent gone for an hour: its health (stale) stays, its last figures do not.
    expect(find(all, 'overmind_node_health', { node_id: gone, health: 'stale' })).toHaveLength(1);
    expect(all.filter((s) => s.labels.node_id === gone)).toHaveLength(1);
    for (const id of [destroyed, quiet]) expect(text).not.toContain(id);
    // One series per node and reading.
    expect(find(all, 'overmind_node_cpu_used_percent')).toHaveLength(2);

    // Prometheus asks for gzip: the same text, compressed.
    const gz = await t.request('observer', { method: 'GET', url: '/api/v1/metrics/nodes', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(text);
  });
});
