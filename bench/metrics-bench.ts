/**
 * Readings history in Postgres, measured:
 *  1. bytes stored per node for 13 months of readings at the default tiers (raw 2 h, 1 minute for
 *     2 days, 5 minutes for 14 days, 1 hour for 395 days): a sample of nodes gets its raw readings
 *     through the API's own ingest, and its roll-up rows as the roll-ups write them (one row per
 *     series and chunk, arrays full up to now) for the span each tier holds right after a
 *     maintenance run (from the start of the oldest partition kept: retention + one chunk + up to
 *     one partition); sizes are Postgres's own (heap, indexes, TOAST) after VACUUM, minus the empty
 *     tables;
 *  2. the 30-day graph's query (GET /nodes/{id}/metrics's service call, 1-hour tier plus the tail
 *     from the finer tiers) at p50/p95 over random nodes, with the history of many nodes stored.
 * Run: npm run bench -- metrics; with an argument: bash scripts/pnpm.sh --filter @overmind/bench run bench:metrics [nodes-for-the-query=10000, 0 to skip it]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource, createLogger, createMetricService, createReadingsIngest, loadConfig, migrateDatabase, readingSeries, startEmbeddedPostgres } from '@overmind/api';

type ReadingsMessage = Parameters<typeof readingSeries>[0];

const SAMPLE_NODES = 20;
const QUERY_NODES = Number(process.argv[2] ?? 10_000);
const QUERIES = 300;
const config = loadConfig({ LOG_LEVEL: 'warn' });
const log = createLogger(config);
const MiB = 2 ** 20;

const floorTo = (ms: number, seconds: number) => Math.floor(ms / (seconds * 1000)) * seconds * 1000;

/** A typical server: two filesystems, one interface, swap: 14 series. */
function reading(i: number): ReadingsMessage {
  const wave = (period: number, amp: number, base: number) => Math.max(0, base + amp * Math.sin((i / period) * 2 * Math.PI) + Math.random() * amp * 0.2);
  const cpu = Math.min(100, wave(240, 20, 30));
  return {
    type: 'readings',
    at: new Date().toISOString(),
    intervalSeconds: 15,
    cpu: { count: 4, total: cpu, user: cpu * 0.7, nice: 0, system: cpu * 0.25, idle: 100 - cpu, iowait: wave(60, 1, 1), irq: 0, softirq: 0.5, steal: wave(30, 0.5, 0.5) },
    load: [wave(40, 1, 2), wave(120, 0.5, 2), wave(360, 0.2, 2)],
    memory: { total: 16e9, used: 8e9, available: 8e9, free: 2e9, buffers: 1e8, cached: 5e9, usedPct: Math.min(100, wave(500, 5, 50)) },
    swap: { total: 2e9, used: 1e8 },
    filesystems: [
      { mount: '/', device: '/dev/vda1', fstype: 'ext4', size: 100e9, used: 40e9, avail: 55e9, usedPct: 42 + i / 1e5, inodes: 6e6, inodesUsed: 3e5 },
      { mount: '/boot', device: '/dev/vda2', fstype: 'ext4', size: 1e9, used: 2e8, avail: 7e8, usedPct: 22, inodes: 6e4, inodesUsed: 400 },
    ],
    network: [{ iface: 'eth0', rxBytes: 1e9 + i * 1e5, txBytes: 5e8 + i * 5e4, rxBps: wave(100, 2e4, 5e4), txBps: wave(100, 1e4, 2e4) }],
    uptimeSeconds: 1e6 + i * 15,
  };
}

/** A port nothing listens on now (other benchmarks or helpers may hold the usual ones). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const home = await mkdtemp(join(tmpdir(), 'overmind-metrics-bench-'));
  const pg = await startEmbeddedPostgres(home, await freePort(), log);
  const results: [string, string, string][] = [];
  try {
    await migrateDatabase(pg.url, log);
    const db = createDataSource(pg.url, { poolSize: 4 });
    await db.initialize();
    const metrics = createMetricService({ db, settings: config.metrics, log });
    const now = Date.now();
    await metrics.partitions.maintain(now);
    const [{ id: providerId }] = await db.query(`INSERT INTO providers (type, name, credentials_enc, sync_interval_seconds) VALUES ('dummy', 'bench', 'sealed', 300) RETURNING id`);
    const addNodes = async (n: number, prefix: string): Promise<string[]> =>
      (await db.query(`INSERT INTO nodes (provider_id, provider_node_id, name, state) SELECT $1, $2 || g, $2 || g, 'running' FROM generate_series(1, $3) g RETURNING id`, [providerId, prefix, n])).map(
        (r: { id: string }) => r.id,
      );

    const tableBytes = async () => {
      await db.query('VACUUM ANALYZE');
      const rows: { t: string; bytes: string }[] = await db.query(
        `SELECT coalesce(p.relname, c.relname) AS t, sum(pg_total_relation_size(c.oid))::bigint AS bytes
           FROM pg_class c LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
          WHERE c.relkind = 'r' AND coalesce(p.relname, c.relname) IN ('metric_raw', 'metric_1m', 'metric_5m', 'metric_1h', 'metric_series', 'node_readings')
          GROUP BY 1`,
      );
      return new Map(rows.map((r) => [r.t, Number(r.bytes)]));
    };
    const empty = await tableBytes();

    /**
     * Chunk rows of `tier` for every series of `nodes` from `fromMs` to now, as the roll-ups leave
     * them (full arrays, the current chunk up to now). Returns the buckets per series.
     */
    const fill = async (name: '1m' | '5m' | '1h', fromMs: number, nodes: string[]): Promise<number> => {
      const tier = metrics.tiers[name];
      const points = tier.chunkSeconds / tier.stepSeconds;
      let buckets = 0;
      for (let start = floorTo(fromMs, tier.chunkSeconds) / 1000; start * 1000 <= now; start += tier.chunkSeconds) {
        const upTo = Math.min(points, Math.floor((now / 1000 - start) / tier.stepSeconds));
        if (upTo <= 0) continue;
        buckets += upTo;
        for (let i = 0; i < nodes.length; i += 2000) {
          // Correlated with the row (s.id), so each row gets its own random values, as real ones differ.
          await db.query(
            `INSERT INTO ${tier.table} (series_id, start, v)
             SELECT s.id, to_timestamp($2), ARRAY(SELECT (random() * 100)::real FROM generate_series(1, $3) WHERE s.id > 0)
               FROM metric_series s WHERE s.node_id = ANY($1::uuid[])`,
            [nodes.slice(i, i + 2000), start, upTo],
          );
        }
      }
      return buckets;
    };

    // 1. A sample of nodes: raw readings through the ingest, from the oldest raw partition a maintenance run keeps.
    const sample = await addNodes(SAMPLE_NODES, 'sample-');
    const ingest = createReadingsIngest({ db, settings: config.metrics, partitions: metrics.partitions, log });
    const connections = sample.map(() => ({}));
    connections.forEach((c) => ingest.feature(c, ['readings']));
    const raw = metrics.tiers.raw;
    const t0 = floorTo(now - raw.retentionSeconds * 1000, raw.partitionSeconds);
    const rawReadings = Math.floor((now - t0) / 15_000);
    for (let i = 0; i < rawReadings; i++) {
      sample.forEach((id, n) => ingest.receive(connections[n]!, id, reading(i), t0 + i * 15_000));
      await ingest.flushAll();
    }
    const series = readingSeries(reading(0)).length;
    // Roll-up rows as the roll-ups leave them, from the oldest partition a maintenance run keeps.
    const held: Record<string, number> = {};
    for (const name of ['1m', '5m', '1h'] as const) {
      const tier = metrics.tiers[name];
      const from = floorTo(now - (tier.retentionSeconds + tier.chunkSeconds) * 1000, tier.partitionSeconds);
      held[name] = await fill(name, from, sample);
    }
    // The latest readings are one row per node, updated at every reading: what it holds is that row;
    // the space its updates leave is reused (autovacuum), so it is measured compacted.
    await db.query('VACUUM FULL node_readings');
    const filled = await tableBytes();
    let total = 0;
    const parts: string[] = [];
    for (const [table, bytes] of filled) {
      const perNode = (bytes - (empty.get(table) ?? 0)) / SAMPLE_NODES;
      total += perNode;
      parts.push(`${table.replace('metric_', '')} ${(perNode / 1024).toFixed(0)} KiB`);
    }
    results.push([
      `Bytes per node, 13 months at the default tiers (${series} series, ${SAMPLE_NODES} nodes)`,
      `${(total / MiB).toFixed(2)} MiB (${parts.join(', ')})`,
      '< 2 MB',
    ]);
    const values = series * (rawReadings + held['1m']! + held['5m']! + held['1h']!);
    results.push(['— values stored per node, and bytes per value', `${values.toLocaleString('en')} (raw ${rawReadings}, 1m ${held['1m']}, 5m ${held['5m']}, 1h ${held['1h']} per series): ${(total / values).toFixed(2)} bytes`, '']);

    if (QUERY_NODES > 0) await queryBench();
    await db.destroy();

    // 2. Many nodes with what a 30-day graph reads: 1-hour averages for 35 days, 5-minute for a day, 1-minute for 2 hours, raw for 10 minutes.
    async function queryBench() {
      const many = await addNodes(QUERY_NODES, 'many-');
      const names = readingSeries(reading(0)).map(([n]) => n);
      const fillStart = Date.now();
      for (let i = 0; i < many.length; i += 1000) {
        await db.query(`INSERT INTO metric_series (node_id, name) SELECT n, s FROM unnest($1::uuid[]) n, unnest($2::text[]) s`, [many.slice(i, i + 1000), names]);
      }
      for (const [name, seconds] of [['1h', 35 * 86400], ['5m', 86400], ['1m', 2 * 3600]] as const) {
        const tier = metrics.tiers[name];
        await fill(name, now - seconds * 1000, many);
        await db.query(`INSERT INTO metric_rollups (tier, done_until) VALUES ($1, to_timestamp($2)) ON CONFLICT (tier) DO UPDATE SET done_until = EXCLUDED.done_until`, [
          name,
          Math.floor(now / 1000 / tier.stepSeconds) * tier.stepSeconds,
        ]);
      }
      const manyIngest = createReadingsIngest({ db, settings: config.metrics, partitions: metrics.partitions, log });
      const manyConnections = many.map(() => ({}));
      manyConnections.forEach((c) => manyIngest.feature(c, ['readings']));
      const rawNow = Date.now();
      await metrics.partitions.maintain(rawNow);
      for (let i = 0; i < 40; i++) {
        many.forEach((id, n) => manyIngest.receive(manyConnections[n]!, id, reading(i), rawNow - (40 - i) * 15_000));
        await manyIngest.flushAll();
      }
      await db.query('VACUUM ANALYZE');
      const [{ bytes }] = await db.query(`SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c WHERE c.relname LIKE 'metric_%' AND c.relkind = 'r'`);
      results.push([`History of ${QUERY_NODES.toLocaleString('en')} more nodes for the query (35 days of hours, a day of 5 minutes, 2 hours of minutes, 10 minutes raw)`, `${(Number(bytes) / MiB).toFixed(0)} MiB in all, written in ${((Date.now() - fillStart) / 1000).toFixed(0)} s`, '']);

      // One roll-up run of each tier over 10,000 nodes, as the worker does it: 5 minutes of raw readings
      // into the 1-minute chunks, 30 minutes of those into the 5-minute chunks, an hour into the hourly.
      for (const [name, back] of [['1m', 300], ['5m', 1800], ['1h', 3600]] as const) {
        const tier = metrics.tiers[name];
        const runAt = Date.now();
        await db.query('UPDATE metric_rollups SET done_until = to_timestamp($2) WHERE tier = $1', [name, Math.floor(runAt / 1000 / tier.stepSeconds) * tier.stepSeconds - back - tier.stepSeconds]);
        const started = performance.now();
        const run = (await metrics.rollups.rollUp(runAt))[name];
        results.push([`Roll-up run of the ${name} tier over ${QUERY_NODES.toLocaleString('en')} nodes (${back / 60} minutes of buckets)`, `${((performance.now() - started) / 1000).toFixed(1)} s, ${run?.rows ?? 0} chunk rows written`, '']);
      }

      const latencies: number[] = [];
      const queryNames = ['cpu.total', 'memory.used_pct', 'load.1', 'fs./.used_pct', 'net.eth0.rx_bps'];
      for (let q = 0; q < QUERIES + 20; q++) {
        const nodeId = many[Math.floor(Math.random() * many.length)]!;
        const to = new Date();
        const started = performance.now();
        const answer = await metrics.query({ nodeId, names: [queryNames[q % queryNames.length]!], from: new Date(to.getTime() - 30 * 86400_000), to });
        const ms = performance.now() - started;
        if (answer.tier !== '1h' || answer.series[0]!.t.length < 700) throw new Error(`unexpected answer: ${answer.tier}, ${answer.series[0]!.t.length} points`);
        if (q >= 20) latencies.push(ms); // the first ones warm the caches
      }
      latencies.sort((a, b) => a - b);
      results.push([`30-day query of one series (1-hour tier + tail), ${QUERIES} random nodes of ${(QUERY_NODES + SAMPLE_NODES).toLocaleString('en')}, p50 / p95`, `${percentile(latencies, 50).toFixed(1)} ms / ${percentile(latencies, 95).toFixed(1)} ms`, 'p95 < 100 ms']);
    }
  } finally {
    await pg.stop();
    await rm(home, { recursive: true, force: true });
  }
  console.log(`\n${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}\n`);
  console.log('| Measure | Result | Target |\n| --- | --- | --- |');
  for (const [what, value, target] of results) console.log(`| ${what} | ${value} | ${target} |`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
