/**
 * Readings end to end on a real Postgres: agents asked for them (and only then), readings stored in
 * batches, the node list showing and sorting by the latest, live events, roll-ups driven directly,
 * the metrics API choosing its tier, partitions made ahead and expired ones dropped; and the real
 * agent's readings arriving through the real API.
 */
import type { ReadingsMessage } from '@overmind/agent-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadingsIngest, MAX_SERIES_PER_NODE } from '../src/modules/metrics/readings-ingest.js';
import { partitionName } from '../src/modules/metrics/metric-partitions.js';
import { floorTo } from '../src/modules/metrics/metric-tiers.js';
import { enrol, ScriptedAgent } from './support/agent-client.js';
import { createNode, getNode, openEventStream, registerProvider } from './support/provider-steps.js';
import { makeRealAgent, stopAllAgents } from './support/real-agent.js';
import { createTestApp, eventually, type TestApp } from './support/test-app.js';

const INTERVAL = 2;
let t: TestApp;
let baseUrl: string;
let providerId: string;

function reading(over: { cpu?: number | null; memory?: number; disk?: number; load?: number } = {}): ReadingsMessage {
  const disk = over.disk ?? 40;
  return {
    type: 'readings',
    at: new Date().toISOString(),
    intervalSeconds: INTERVAL,
    cpu: over.cpu === null ? null : { count: 2, total: over.cpu ?? 10, user: 6, nice: 0, system: 3, idle: 90, iowait: 0, irq: 0, softirq: 1, steal: 0 },
    load: [over.load ?? 0.5, 0.4, 0.3],
    memory: { total: 8e9, used: ((over.memory ?? 50) / 100) * 8e9, available: 4e9, free: 1e9, buffers: 1e8, cached: 2e9, usedPct: over.memory ?? 50 },
    swap: { total: 1e9, used: 25e7 },
    filesystems: [
      { mount: '/', device: '/dev/vda1', fstype: 'ext4', size: 100e9, used: disk * 1e9, avail: (100 - disk) * 1e9, usedPct: disk, inodes: 1e6, inodesUsed: 1e5 },
      { mount: '/boot', device: '/dev/vda2', fstype: 'ext4', size: 1e9, used: 1e8, avail: 9e8, usedPct: 10, inodes: 1e5, inodesUsed: 300 },
    ],
    network: [
      { iface: 'eth0', rxBytes: 1e6, txBytes: 2e6, rxBps: 1000, txBps: 500 },
      { iface: 'ifb0', rxBytes: 0, txBytes: 0, rxBps: 0, txBps: 0 },
    ],
    uptimeSeconds: 1000,
  };
}

async function joinToken(nodeId: string): Promise<string> {
  const res = await t.request('operator', { method: 'POST', url: '/api/v1/agent-tokens', payload: { ttlSeconds: 600, nodeId } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().token;
}

async function newNode(name: string): Promise<string> {
  const { node } = await createNode(t, { providerId, name, imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' });
  return node.id;
}

async function connect(nodeId: string, capabilities: string[]) {
  const identity = await enrol(baseUrl, await joinToken(nodeId));
  const agent = await ScriptedAgent.open(baseUrl);
  await agent.hello(identity, { capabilities });
  const welcome = await agent.next('welcome');
  return { agent, welcome };
}

/** Another writer of readings into the same database, with synthetic times: the API's own code. */
function ingest() {
  return createReadingsIngest({ db: t.app.db, settings: t.config.metrics, partitions: t.app.services.metrics.partitions, log: { warn: () => {} } });
}

async function metrics(nodeId: string, query: string) {
  const res = await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${nodeId}/metrics?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { tier: string; stepSeconds: number; series: { name: string; t: number[]; v: number[] }[] };
}

const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());

beforeAll(async () => {
  t = await createTestApp({ env: { OVERMIND_READINGS_INTERVAL_SECONDS: String(INTERVAL), OVERMIND_METRICS_RAW_HOURS: '4' } });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  ({ provider: { id: providerId } } = await registerProvider(t, { name: 'lab', type: 'dummy', credentials: { apiKey: 'k-lab' } }));
  await t.app.services.metrics.partitions.maintain();
}, 120_000);
afterAll(async () => {
  await stopAllAgents();
  await t?.close();
});

describe('readings from agents', () => {
  it('asks only agents that announced the capability, and ignores readings it did not ask for', async () => {
    const nodeId = await newNode('rd-quiet');
    const { agent, welcome } = await connect(nodeId, []);
    expect(welcome.features).toEqual({ facts: true });
    agent.send(reading());
    agent.send({ type: 'heartbeat', seq: 1, uptimeSeconds: 1, running: [] });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await t.app.db.query('SELECT 1 FROM metric_raw WHERE node_id = $1', [nodeId])).toEqual([]);
    expect((await getNode(t, nodeId)).readings).toBeNull();
    // Not a protocol error: the connection stays.
    expect(agent.socket.readyState).toBe(agent.socket.OPEN);
    agent.close();
  });

  it('stores a reading as series, shows it on the node and in the list, tells the consoles, and takes one per half interval', async () => {
    const nodeId = await newNode('rd-live');
    const stream = await openEventStream(baseUrl, t.tokens.observer);
    const { agent, welcome } = await connect(nodeId, ['facts', 'readings']);
    expect(welcome.features).toEqual({ facts: true, readings: { intervalSeconds: INTERVAL } });
    const before = Date.now();
    agent.send(reading({ cpu: 12.5, memory: 61.25, disk: 71.5, load: 1.5 }));
    agent.send(reading({ cpu: 99 })); // too soon after the first: dropped

    const node = await eventually(async () => (await getNode(t, nodeId)).readings ?? undefined, 10_000, 'readings on the node');
    expect(node).toMatchObject({ cpu: 12.5, memory: 61.25, disk: 71.5, diskMount: '/', load: [1.5, 0.4, 0.3], intervalSeconds: INTERVAL });
    expect(Date.parse(node.at)).toBeGreaterThanOrEqual(before - 1000);
    const listed = (await t.request('observer', { method: 'GET', url: '/api/v1/nodes?search=rd-live' })).json().items[0];
    expect(listed.readings).toEqual(node);

    const raw = await t.app.db.query(
      `SELECT s.name, u.v FROM metric_raw r, unnest(r.series, r.vals) u(sid, v) JOIN metric_series s ON s.id = u.sid WHERE r.node_id = $1 ORDER BY s.name`,
      [nodeId],
    );
    expect(Object.fromEntries(raw.map((r: { name: string; v: number }) => [r.name, r.v]))).toEqual({
      'cpu.iowait': 0, 'cpu.steal': 0, 'cpu.system': 3, 'cpu.total': 12.5, 'cpu.user': 6,
      'fs./.used_pct': 71.5, 'fs./boot.used_pct': 10, 'load.1': 1.5, 'load.15': 0.3, 'load.5': 0.4,
      'memory.used_pct': 61.25, 'net.eth0.rx_bps': 1000, 'net.eth0.tx_bps': 500, 'swap.used_pct': 25,
    });
    const series = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${nodeId}/metrics/series` })).json();
    expect(series.names).toContain('fs./.used_pct');
    expect(series.names).not.toContain('net.ifb0.rx_bps');

    await stream.waitFor((e) => e.event === 'readings' && e.data.nodes.some((n: { id: string }) => n.id === nodeId), 'a readings event');
    const event = stream.received.find((e) => e.event === 'readings')!.data.nodes.find((n: { id: string }) => n.id === nodeId);
    expect(event).toEqual({ id: nodeId, ...node });
    await stream.close();

    // The next one, an interval later, is taken.
    await new Promise((r) => setTimeout(r, INTERVAL * 1000));
    agent.send(reading({ cpu: 30 }));
    await eventually(async () => ((await getNode(t, nodeId)).readings?.cpu === 30 ? true : undefined), 10_000, 'the second reading');
    expect((await t.app.db.query('SELECT count(*)::int AS n FROM metric_raw WHERE node_id = $1', [nodeId]))[0].n).toBe(2);
    agent.close();
  });

  it('stops adding series to a node that invents names without end, and says so once', async () => {
    const nodeId = await newNode('rd-churn');
    const warnings: unknown[] = [];
    const writer = createReadingsIngest({ db: t.app.db, settings: t.config.metrics, partitions: t.app.services.metrics.partitions, log: { warn: (obj) => warnings.push(obj) } });
    const conn = {};
    writer.feature(conn, ['readings']);
    // Containers come and go: every reading mounts 60 filesystems never seen before.
    for (let i = 0; i < 6; i++) {
      const r = reading();
      r.filesystems = Array.from({ length: 60 }, (_, k) => ({ ...r.filesystems[0]!, mount: `/var/lib/c/${i}-${k}` }));
      expect(writer.receive(conn, nodeId, r, Date.now() - (6 - i) * 10_000)).toBe(true);
      await writer.flushAll();
    }
    const [{ n }] = await t.app.db.query('SELECT count(*)::int AS n FROM metric_series WHERE node_id = $1', [nodeId]);
    expect(n).toBe(MAX_SERIES_PER_NODE);
    expect(warnings).toEqual([{ nodeId, max: MAX_SERIES_PER_NODE }]);
    // Series it has keep their points.
    const [{ stored }] = await t.app.db.query(`SELECT cardinality(series) AS stored FROM metric_raw WHERE node_id = $1 ORDER BY at DESC LIMIT 1`, [nodeId]);
    expect(stored).toBeGreaterThan(10);
  });

  it('sorts and filters the node list by the latest readings, nodes without any last', async () => {
    const ids = { a: await newNode('rd-sort-a'), b: await newNode('rd-sort-b'), c: await newNode('rd-sort-c'), none: await newNode('rd-sort-none') };
    const writer = ingest();
    const figures = { a: { cpu: 80, memory: 20, disk: 95, load: 3 }, b: { cpu: 5, memory: 90, disk: 50, load: 0.1 }, c: { cpu: 40, memory: 55, disk: 85, load: 1 } };
    for (const [key, f] of Object.entries(figures)) {
      const conn = {};
      writer.feature(conn, ['readings']);
      expect(writer.receive(conn, ids[key as 'a'], reading(f))).toBe(true);
    }
    await writer.flushAll();
    const names = async (query: string) => {
      const res = await t.request('observer', { method: 'GET', url: `/api/v1/nodes?search=rd-sort&${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return { names: res.json().items.map((n: { name: string }) => n.name), total: res.json().total };
    };
    expect((await names('sort=cpu&order=desc')).names).toEqual(['rd-sort-a', 'rd-sort-c', 'rd-sort-b', 'rd-sort-none']);
    expect((await names('sort=cpu&order=asc')).names).toEqual(['rd-sort-b', 'rd-sort-c', 'rd-sort-a', 'rd-sort-none']);
    expect((await names('sort=memory&order=desc')).names).toEqual(['rd-sort-b', 'rd-sort-c', 'rd-sort-a', 'rd-sort-none']);
    expect((await names('sort=disk&order=desc')).names).toEqual(['rd-sort-a', 'rd-sort-c', 'rd-sort-b', 'rd-sort-none']);
    expect((await names('sort=load&order=desc')).names).toEqual(['rd-sort-a', 'rd-sort-c', 'rd-sort-b', 'rd-sort-none']);
    expect(await names('minDisk=85&sort=name')).toEqual({ names: ['rd-sort-a', 'rd-sort-c'], total: 2 });
    expect(await names('minCpu=30&minMemory=50')).toEqual({ names: ['rd-sort-c'], total: 1 });
    expect((await t.request('observer', { method: 'GET', url: '/api/v1/nodes?minDisk=101' })).statusCode).toBe(400);
    const none = (await t.request('observer', { method: 'GET', url: '/api/v1/nodes?search=rd-sort-none' })).json().items[0];
    expect(none.readings).toBeNull();
  });
});

describe('history', () => {
  // Synthetic readings every 15 s for 96 minutes from a whole hour 3 to 4 hours ago: in minute m, the
  // four readings have CPU m, m+1, m+2, m+3 (average m + 1.5).
  let now: number;
  let base: number;
  let nodeId: string;

  beforeAll(async () => {
    now = Date.now();
    base = floorTo(now, 3600) - 3 * 3600_000;
    nodeId = await newNode('rd-history');
    const writer = ingest();
    const conn = {};
    writer.feature(conn, ['readings']);
    for (let i = 0; i < 96 * 4; i++) {
      const m = Math.floor(i / 4);
      expect(writer.receive(conn, nodeId, reading({ cpu: m + (i % 4) }), base + i * 15_000)).toBe(true);
      await writer.flushAll();
    }
  }, 120_000);

  it('rolls up into 1-minute, 5-minute and 1-hour averages, and again to the same result', async () => {
    // The worker's own roll-ups ran before these readings of the past were written: start over, as
    // on a new database (the worker may join in; the result is the same whoever computes it).
    await t.app.db.query('DELETE FROM metric_rollups');
    const first = await t.app.services.metrics.rollups.rollUp(Date.now());
    expect(Object.values(first).every((run) => run === null || run.rows >= 0)).toBe(true);
    const mine = `series_id IN (SELECT id FROM metric_series WHERE node_id = '${nodeId}')`;
    const snapshot = async () =>
      t.app.db.query(`SELECT 'm' AS t, series_id, start, v FROM metric_1m WHERE ${mine} UNION ALL SELECT 'f', series_id, start, v FROM metric_5m WHERE ${mine}
                      UNION ALL SELECT 'h', series_id, start, v FROM metric_1h WHERE ${mine} ORDER BY 1, 2, 3`);
    const rolled = await snapshot();
    // Right after a run, no tier has enough new buckets to be worth rewriting its chunks.
    expect(await t.app.services.metrics.rollups.rollUp(Date.now())).toEqual({ '1m': null, '5m': null, '1h': null });
    await t.app.db.query('DELETE FROM metric_rollups');
    await t.app.services.metrics.rollups.rollUp(Date.now());
    expect(await snapshot()).toEqual(rolled);

    const [cpu] = await t.app.db.query(`SELECT id FROM metric_series WHERE node_id = $1 AND name = 'cpu.total'`, [nodeId]);
    const points = async (table: string, step: number) => {
      const rows: { start: Date; v: (number | null)[] }[] = await t.app.db.query(`SELECT start, v FROM ${table} WHERE series_id = $1 ORDER BY start`, [cpu.id]);
      return new Map(rows.flatMap((r) => r.v.flatMap((v, i) => (v === null ? [] : [[(new Date(r.start).getTime() + i * step * 1000 - base) / 60_000, v] as const]))));
    };
    const minutes = await points('metric_1m', 60);
    expect(minutes.size).toBe(96);
    for (const [m, v] of minutes) expect(v).toBe(m + 1.5);
    const fives = await points('metric_5m', 300);
    expect([...fives.keys()]).toEqual(Array.from({ length: 20 }, (_, k) => k * 5));
    for (const [m, v] of fives) expect(v).toBe(m === 95 ? 96.5 : m + 3.5);
    const hours = await points('metric_1h', 3600);
    // The first hour is complete: the average of its twelve 5-minute averages; the second has 36 minutes.
    expect(hours.get(0)).toBe(31);
    expect(hours.get(60)).toBeCloseTo((7 * 78.5 + 96.5) / 8, 3);
  });

  it('answers each range from the tier that keeps it in at most 1,000 points', async () => {
    const end = base + 96 * 60_000;
    // 96 minutes: raw readings every 2 s would be too many; 1-minute averages.
    const short = await metrics(nodeId, `name=cpu.total&from=${iso(base)}&to=${iso(end)}`);
    expect(short).toMatchObject({ tier: '1m', stepSeconds: 60 });
    expect(short.series[0]!.t.length).toBe(96);
    expect(short.series[0]!.v.slice(0, 3)).toEqual([1.5, 2.5, 3.5]);
    expect(short.series[0]!.t[0]).toBe(base);

    // Ten minutes: raw readings (a step of the readings interval).
    const raw = await metrics(nodeId, `name=cpu.total&name=load.1&from=${iso(base)}&to=${iso(base + 600_000)}`);
    expect(raw).toMatchObject({ tier: 'raw', stepSeconds: INTERVAL });
    expect(raw.series.map((s) => s.name)).toEqual(['cpu.total', 'load.1']);
    expect(raw.series[0]!.v.slice(0, 5)).toEqual([0, 1, 2, 3, 1]);
    expect(raw.series[0]!.t.length).toBe(40);

    // Three days: 5-minute averages. Thirty days: 1-hour. Thirteen months: 1-hour in 10-hour buckets.
    const days = await metrics(nodeId, `name=cpu.total&from=${iso(end - 3 * 86400_000)}&to=${iso(end)}`);
    expect(days).toMatchObject({ tier: '5m', stepSeconds: 300 });
    expect(days.series[0]!.v.slice(0, 2)).toEqual([3.5, 8.5]);
    const month = await metrics(nodeId, `name=cpu.total&from=${iso(now - 30 * 86400_000)}&to=${iso(now)}`);
    expect(month).toMatchObject({ tier: '1h', stepSeconds: 3600 });
    expect(month.series[0]!.t.slice(0, 2)).toEqual([base, base + 3600_000]);
    expect(month.series[0]!.v[0]).toBe(31);
    const year = await metrics(nodeId, `name=cpu.total&from=${iso(now - 395 * 86400_000)}&to=${iso(now)}`);
    expect(year).toMatchObject({ tier: '1h', stepSeconds: 36_000 });
    expect(year.series[0]!.t.every((x) => x % 36_000_000 === 0)).toBe(true);
    expect(year.series[0]!.t.length).toBeGreaterThan(0);

    // Unknown names answer empty; bad ranges and unknown nodes are refused by name.
    expect((await metrics(nodeId, 'name=nope')).series).toEqual([{ name: 'nope', t: [], v: [] }]);
    const backwards = await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${nodeId}/metrics?name=cpu.total&from=${iso(end)}&to=${iso(base)}` });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().detail).toMatch(/from must be before to/);
    const tooLong = await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${nodeId}/metrics?name=cpu.total&from=${iso(now - 500 * 86400_000)}` });
    expect(tooLong.statusCode).toBe(400);
    const noName = await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${nodeId}/metrics` });
    expect(noName.statusCode).toBe(400);
    const unknown = await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${crypto.randomUUID()}/metrics?name=cpu.total` });
    expect(unknown.statusCode).toBe(404);
  });

  it('fills the end a tier has not rolled up yet from the finer tiers', async () => {
    const nodeLive = await newNode('rd-tail');
    const writer = ingest();
    const conn = {};
    writer.feature(conn, ['readings']);
    // Two readings of the last seconds: no roll-up has reached them.
    await t.app.services.metrics.rollups.rollUp(Date.now());
    const at = Date.now() - 10_000;
    writer.receive(conn, nodeLive, reading({ cpu: 20 }), at);
    await writer.flushAll();
    writer.receive(conn, nodeLive, reading({ cpu: 40 }), at + 5000);
    await writer.flushAll();
    const month = await metrics(nodeLive, `name=cpu.total&from=${iso(Date.now() - 30 * 86400_000)}`);
    expect(month.tier).toBe('1h');
    // One hourly point (two if an hour began between the readings), averaging both.
    const v = month.series[0]!.v;
    expect(v.length).toBeGreaterThan(0);
    expect(v.reduce((a, b) => a + b, 0) / v.length).toBe(30);
  });

  it('makes partitions ahead and drops those wholly past retention', async () => {
    const metricsService = t.app.services.metrics;
    const old = Date.now() - 500 * 86400_000;
    const made = await metricsService.partitions.maintain(old);
    const start = floorTo(old, 7 * 86400);
    const oldHour = partitionName(metricsService.tiers['1h'], floorTo(start, 28 * 86400));
    expect(made.created).toContain(oldHour);
    const [cpu] = await t.app.db.query(`SELECT id FROM metric_series WHERE name = 'cpu.total' LIMIT 1`);
    await t.app.db.query(`INSERT INTO metric_1h (series_id, start, v) VALUES ($1, $2, '{1,2,3}')`, [cpu.id, new Date(start)]);
    expect((await t.app.db.query(`SELECT count(*)::int AS n FROM ${oldHour}`))[0].n).toBe(1);

    const now = Date.now();
    const changes = await metricsService.maintain(now);
    expect(changes.dropped).toContain(oldHour);
    expect((await t.app.db.query('SELECT to_regclass($1) AS r', [oldHour]))[0].r).toBeNull();
    expect(changes.dropped.length).toBeGreaterThan(10);
    // Ahead: the raw table has a partition two hours from now, the 1-hour tier one a partition ahead.
    const names: string[] = (await t.app.db.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'metric_raw'::regclass`)).map((r: { relname: string }) => r.relname);
    expect(names).toContain(`metric_raw_p${new Date(now + 2 * 3600_000).toISOString().slice(0, 13).replace(/[-T]/g, '')}`);
    // Data still within retention stays.
    expect((await t.app.db.query('SELECT count(*)::int AS n FROM metric_1m'))[0].n).toBeGreaterThan(0);
    expect((await t.app.db.query(`SELECT count(*)::int AS n FROM metric_raw WHERE at > now() - interval '3 hours'`))[0].n).toBeGreaterThan(0);
    // A second pass has nothing to do.
    expect(await metricsService.partitions.maintain(now)).toEqual({ created: [], dropped: [] });
  });
});

describe('the real agent', () => {
  it("reports its machine's readings through the real API", async () => {
    const nodeId = await newNode('rd-real');
    const agent = await makeRealAgent();
    await agent.enroll(baseUrl, await joinToken(nodeId));
    const running = agent.start();
    try {
      const readings = await eventually(async () => {
        const r = (await getNode(t, nodeId)).readings;
        return r && r.cpu !== null ? r : undefined;
      }, 60_000, 'readings from the real agent');
      expect(readings.cpu).toBeGreaterThanOrEqual(0);
      expect(readings.cpu).toBeLessThanOrEqual(100);
      expect(readings.memory).toBeGreaterThan(0);
      expect(readings.disk).toBeGreaterThan(0);
      expect(readings.diskMount).toBe('/');
      const names = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${nodeId}/metrics/series` })).json().names;
      expect(names).toEqual(expect.arrayContaining(['cpu.total', 'cpu.iowait', 'load.1', 'memory.used_pct', 'fs./.used_pct']));
      const answer = await eventually(async () => {
        const m = await metrics(nodeId, `name=memory.used_pct&from=${iso(Date.now() - 600_000)}`);
        return m.series[0]!.v.length >= 2 ? m : undefined;
      }, 60_000, 'two raw points');
      expect(answer.tier).toBe('raw');
      expect(answer.series[0]!.v.every((v) => v > 0 && v <= 100)).toBe(true);
    } finally {
      await running.kill('SIGTERM');
      await agent.remove();
    }
  });
});
