/**
 * The nodes' latest readings and health in Prometheus' text format (`GET /api/v1/metrics/nodes`), so
 * that an existing Prometheus scrapes Overmind instead of every node. One query over the latest
 * readings side table (`node_readings`) and the live nodes; label values escaped by prom-client's
 * registry, each node's once; the text built once for the scrapes of a few seconds.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Registry, type MetricValue } from 'prom-client';
import type { DataSource } from 'typeorm';

type Labels = { node_id: string; node_name: string; provider: string };

interface Row {
  id: string;
  name: string;
  provider: string;
  health: string | null;
  at: Date | null;
  cpu: number | null;
  memory: number | null;
  disk: number | null;
  disk_mount: string | null;
  load: [number, number, number] | null;
}

/** The readings, one series per node each; `mount` adds the filesystem's mount point to the labels. */
const GAUGES: { name: string; help: string; value(r: Row): number | null; mount?: true }[] = [
  { name: 'overmind_node_cpu_used_percent', help: 'Percent of CPU time not idle, from the node\'s agent', value: (r) => r.cpu },
  { name: 'overmind_node_memory_used_percent', help: 'Percent of memory used (total minus available)', value: (r) => r.memory },
  {
    name: 'overmind_node_disk_used_percent',
    help: "The busiest filesystem's use in percent, and where it is mounted",
    value: (r) => r.disk,
    mount: true,
  },
  { name: 'overmind_node_load1', help: '1-minute load average', value: (r) => r.load?.[0] ?? null },
  { name: 'overmind_node_load5', help: '5-minute load average', value: (r) => r.load?.[1] ?? null },
  { name: 'overmind_node_load15', help: '15-minute load average', value: (r) => r.load?.[2] ?? null },
  { name: 'overmind_node_reading_timestamp_seconds', help: 'When Overmind received the node\'s latest reading (Unix time)', value: (r) => (r.at ? r.at.getTime() / 1000 : null) },
];

/**
 * A metric as prom-client's registry formats it, from values made in one pass (its typings name the
 * type by an enum; the registry prints the string).
 */
function plainMetric(name: string, help: string, values: MetricValue<string>[]) {
  const type = 'gauge';
  return { name, help, type, get: async () => ({ name, help, type, values, aggregator: 'omit' as const }) };
}

/**
 * Each label set as prom-client's registry prints it (`{node_id="…",node_name="…"}`, its escaping of
 * backslashes, quotes and newlines), in one formatting pass: each node's labels are formatted once,
 * not once per metric (formatting was most of the cost at 10,000 nodes).
 */
async function formatLabelSets(sets: Record<string, string>[]): Promise<string[]> {
  const registry = new Registry();
  registry.registerMetric(plainMetric('l', 'l', sets.map((labels) => ({ value: 0, labels }))) as never);
  // `# HELP`, `# TYPE`, then one `l{…} 0` line per set, in order (escaped newlines keep one per line).
  return (await registry.metrics()).split('\n').slice(2, 2 + sets.length).map((line) => line.slice(1, line.lastIndexOf(' ')));
}

const gzipAsync = promisify(gzip);

function block(name: string, help: string, lines: string[]): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${lines.map((l) => `${name}${l}\n`).join('')}`;
}

export function createNodeExposition(deps: { db: Pick<DataSource, 'query'>; maxAgeSeconds: number; cacheMs?: number }) {
  const cacheMs = deps.cacheMs ?? 5000;
  let cached: { at: number; text: Promise<string>; gzipped: Promise<Buffer> | null } | null = null;

  async function build(): Promise<string> {
    const rows: Row[] = await deps.db.query(
      `SELECT n.id, n.name, p.name AS provider, n.health, r.at, r.cpu::numeric::float8 AS cpu, r.memory::numeric::float8 AS memory,
              r.disk::numeric::float8 AS disk, r.json::json->>'diskMount' AS disk_mount,
              ARRAY(SELECT json_array_elements_text(r.json::json->'load')::float8) AS load
         FROM nodes n
         JOIN providers p ON p.id = n.provider_id
         LEFT JOIN node_readings r ON r.node_id = n.id AND r.at > now() - make_interval(secs => $1)
        WHERE n.destroyed_at IS NULL AND n.decommissioned_at IS NULL AND (r.node_id IS NOT NULL OR n.health IS NOT NULL)
        ORDER BY n.name, n.id`,
      [deps.maxAgeSeconds],
    );
    const base = rows.map((r): Labels => ({ node_id: r.id, node_name: r.name, provider: r.provider }));
    const labels = await formatLabelSets(base);
    const fresh = rows.flatMap((r, i) => (r.at ? [i] : []));
    const withMount = await formatLabelSets(fresh.map((i) => ({ ...base[i]!, mount: rows[i]!.disk_mount ?? '' })));
    const mountOf = new Map(fresh.map((i, k) => [i, withMount[k]!]));
    let out = '';
    for (const g of GAUGES) {
      const lines: string[] = [];
      for (const i of fresh) {
        const v = g.value(rows[i]!);
        if (v !== null && Number.isFinite(v)) lines.push(`${g.mount ? mountOf.get(i)! : labels[i]!} ${v}`);
      }
      out += block(g.name, g.help, lines) + '\n';
    }
    // Health is one of five words (a CHECK constraint): nothing in it to escape.
    const health = rows.flatMap((r, i) => (r.health ? [`${labels[i]!.slice(0, -1)},health="${r.health}"} 1`] : []));
    return out + block('overmind_node_health', "The node's health (the worst state of its checks, or stale): 1 for the current one", health);
  }

  return {
    /**
     * Live nodes with a reading younger than maxAgeSeconds (an agent gone for longer drops out, so
     * Prometheus marks its series stale instead of repeating its last figures) or a health. Built
     * once for scrapes arriving within cacheMs (an HA pair of Prometheus servers).
     */
    async text(opts: { gzip?: boolean } = {}, now = Date.now()): Promise<{ contentType: string; body: string | Buffer; gzipped: boolean }> {
      if (!cached || now - cached.at >= cacheMs) {
        const text = build();
        const entry = { at: now, text, gzipped: null };
        cached = entry;
        text.catch(() => {
          if (cached === entry) cached = null;
        });
      }
      const entry = cached;
      if (!opts.gzip) return { contentType: Registry.PROMETHEUS_CONTENT_TYPE, body: await entry.text, gzipped: false };
      // Compressed once per build too: 10,000 nodes are some 9.6 MB of text.
      entry.gzipped ??= entry.text.then((t) => gzipAsync(t));
      return { contentType: Registry.PROMETHEUS_CONTENT_TYPE, body: await entry.gzipped, gzipped: true };
    },
  };
}

export type NodeExposition = ReturnType<typeof createNodeExposition>;
