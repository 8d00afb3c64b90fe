/**
 * Readings from the agents connected to this process, written in batches: every flush is one
 * statement for all the nodes that reported since the last (their raw rows, their latest figures on
 * the node list, and the live events), plus one to name new series. The server's clock stamps each
 * reading, so an agent's skewed clock never moves its points. Each connection may send at most one
 * reading per half interval, and the node list and the console see at most one update per node per
 * interval, whatever an agent sends.
 */
import { READINGS, type ReadingsMessage } from '@overmind/agent-protocol';
import type { DataSource } from 'typeorm';
import type { MetricsSettings } from '../../config.js';
import { encodeEvent, EVENTS_CHANNEL, MAX_NOTIFY_BYTES, type OvermindEvent } from '../events/event-bus.js';
import { isMissingPartition, type MetricPartitions } from './metric-partitions.js';
import { readingSeries, readingsView, type NodeReadingsView } from './reading-series.js';

/** A node whose agent invents new series names without end (say, interfaces that come and go) stops growing here. */
export const MAX_SERIES_PER_NODE = 256;

interface ConnectionState {
  acceptedAt: number;
  shownAt: number;
}

interface Pending {
  nodeId: string;
  at: Date;
  values: [string, number][];
  /** Check performance data received since the last flush (newest per series), stored beside the reading. */
  perfdata: Map<string, number>;
  view: NodeReadingsView | null;
}

type ReadingsEvent = Extract<OvermindEvent, { type: 'readings' }>;

/** Live events of at most MAX_NOTIFY_BYTES each, however many nodes reported. */
export function readingsEvents(views: ({ id: string } & NodeReadingsView)[]): ReadingsEvent[] {
  const events: ReadingsEvent[] = [];
  let current: ReadingsEvent = { type: 'readings', nodes: [] };
  let bytes = 40;
  for (const v of views) {
    const size = Buffer.byteLength(JSON.stringify(v)) + 1;
    if (current.nodes.length > 0 && bytes + size > MAX_NOTIFY_BYTES - 100) {
      events.push(current);
      current = { type: 'readings', nodes: [] };
      bytes = 40;
    }
    current.nodes.push(v);
    bytes += size;
  }
  if (current.nodes.length > 0) events.push(current);
  return events;
}

export function createReadingsIngest(deps: {
  db: DataSource;
  settings: Pick<MetricsSettings, 'readingsIntervalSeconds'>;
  partitions: Pick<MetricPartitions, 'maintain'>;
  log: { warn(obj: unknown, msg: string): void };
  /** How often readings are written. */
  flushMs?: number;
}) {
  const { db, log } = deps;
  const intervalMs = deps.settings.readingsIntervalSeconds * 1000;
  const flushMs = deps.flushMs ?? 1000;
  const connections = new WeakMap<object, ConnectionState>();
  /** By node: a node that reported twice before a flush keeps its newest reading. */
  let pending = new Map<string, Pending>();
  const series = new Map<string, Map<string, number>>();
  const warnedFull = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();

  async function seriesIds(batch: Pending[]): Promise<void> {
    const unknownNodes = batch.filter((p) => !series.has(p.nodeId)).map((p) => p.nodeId);
    if (unknownNodes.length > 0) {
      for (const id of unknownNodes) series.set(id, new Map());
      const rows: { node_id: string; name: string; id: number }[] = await db.query('SELECT node_id, name, id FROM metric_series WHERE node_id = ANY($1::uuid[])', [unknownNodes]);
      for (const r of rows) series.get(r.node_id)!.set(r.name, r.id);
    }
    const missing: { node: string; name: string }[] = [];
    for (const p of batch) {
      const known = series.get(p.nodeId)!;
      let room = MAX_SERIES_PER_NODE - known.size;
      for (const [name] of allValues(p)) {
        if (known.has(name)) continue;
        if (room-- > 0) missing.push({ node: p.nodeId, name });
        else if (!warnedFull.has(p.nodeId)) {
          warnedFull.add(p.nodeId);
          log.warn({ nodeId: p.nodeId, max: MAX_SERIES_PER_NODE }, 'node has as many reading series as it may; new ones are not stored');
        }
      }
    }
    if (missing.length === 0) return;
    const rows: { node_id: string; name: string; id: number }[] = await db.query(
      `WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(node uuid, name text)),
            ins AS (INSERT INTO metric_series (node_id, name) SELECT x.node, x.name FROM x WHERE EXISTS (SELECT 1 FROM nodes n WHERE n.id = x.node)
                    ON CONFLICT (node_id, name) DO NOTHING RETURNING node_id, name, id)
       SELECT node_id, name, id FROM ins
       UNION ALL SELECT s.node_id, s.name, s.id FROM metric_series s JOIN x ON s.node_id = x.node AND s.name = x.name`,
      [JSON.stringify(missing)],
    );
    for (const r of rows) series.get(r.node_id)?.set(r.name, r.id);
  }

  async function write(batch: Pending[]): Promise<void> {
    await seriesIds(batch);
    const raw = batch.map((p) => {
      const known = series.get(p.nodeId)!;
      const stored = allValues(p).filter(([name, v]) => known.has(name) && Number.isFinite(v));
      return { node: p.nodeId, at: p.at.toISOString(), s: stored.map(([name]) => known.get(name)), v: stored.map(([, v]) => v) };
    });
    const shown = batch.filter((p) => p.view).map((p) => ({ id: p.nodeId, ...p.view! }));
    const latest = shown.map((v) => ({ node: v.id, at: v.at, cpu: v.cpu, memory: v.memory, disk: v.disk, load1: v.load[0], json: JSON.stringify(stripId(v)) }));
    await db.query(
      `WITH x AS (SELECT * FROM jsonb_to_recordset($3::jsonb) AS x(node uuid, at timestamptz, s integer[], v real[])),
            raw AS (INSERT INTO metric_raw (node_id, at, series, vals) SELECT node, at, s, v FROM x WHERE cardinality(s) > 0),
            y AS (SELECT * FROM jsonb_to_recordset($4::jsonb) AS y(node uuid, at timestamptz, cpu real, memory real, disk real, load1 real, json text)),
            latest AS (INSERT INTO node_readings (node_id, at, cpu, memory, disk, load1, json)
                       SELECT node, at, cpu, memory, disk, load1, json FROM y WHERE EXISTS (SELECT 1 FROM nodes n WHERE n.id = y.node)
                       ON CONFLICT (node_id) DO UPDATE SET at = EXCLUDED.at, cpu = EXCLUDED.cpu, memory = EXCLUDED.memory,
                         disk = EXCLUDED.disk, load1 = EXCLUDED.load1, json = EXCLUDED.json)
       SELECT pg_notify($1, e) FROM unnest($2::text[]) AS e`,
      [EVENTS_CHANNEL, readingsEvents(shown).map(encodeEvent), JSON.stringify(raw), JSON.stringify(latest)],
    );
  }

  async function flush(): Promise<void> {
    const run = flushing.then(async () => {
      const batch = [...pending.values()];
      pending = new Map();
      if (batch.length === 0) return;
      try {
        await write(batch);
      } catch (err) {
        if (!isMissingPartition(err)) throw err;
        // The maintenance task has not run yet (a new database, or a worker down for hours).
        await deps.partitions.maintain();
        await write(batch);
      }
    }).catch((err: unknown) => {
      // Readings are worth their moment: a batch that cannot be written is dropped, not retried.
      log.warn({ err }, 'could not store agent readings');
    });
    flushing = run;
    return run;
  }

  function schedule(): void {
    timer ??= setTimeout(() => {
      timer = null;
      void flush();
    }, flushMs);
  }

  return {
    /** For the welcome: asks this connection for readings when the agent can send them and the server wants them. */
    feature(connection: object, capabilities: readonly string[]): Record<string, unknown> {
      if (intervalMs <= 0 || !capabilities.includes(READINGS)) return {};
      connections.set(connection, { acceptedAt: 0, shownAt: 0 });
      return { [READINGS]: { intervalSeconds: deps.settings.readingsIntervalSeconds } };
    },

    /** A reading from a welcomed connection of a node; false when it was not asked for or came too soon. */
    receive(connection: object, nodeId: string | null, message: ReadingsMessage, now = Date.now()): boolean {
      const state = connections.get(connection);
      if (!state || !nodeId || now - state.acceptedAt < intervalMs / 2) return false;
      state.acceptedAt = now;
      // Tolerates a reading a little early (timers drift) without letting two through in one interval.
      const show = now - state.shownAt >= intervalMs * 0.9;
      if (show) state.shownAt = now;
      const at = new Date(now);
      const before = pending.get(nodeId);
      pending.set(nodeId, { nodeId, at, values: readingSeries(message), perfdata: before?.perfdata ?? new Map(), view: show ? readingsView(message, at) : (before?.view ?? null) });
      schedule();
      return true;
    },

    /**
     * Series points of a node from elsewhere than its readings (check performance data), written with
     * its next batch at the server's time; they share the node's MAX_SERIES_PER_NODE series.
     */
    record(nodeId: string, points: readonly [string, number][], now = Date.now()): void {
      let p = pending.get(nodeId);
      if (!p) {
        p = { nodeId, at: new Date(now), values: [], perfdata: new Map(), view: null };
        pending.set(nodeId, p);
      }
      for (const [name, value] of points) p.perfdata.set(name, value);
      schedule();
    },

    /** The node's agent went away: its series names are loaded again when it is back. */
    forget(nodeId: string): void {
      series.delete(nodeId);
      warnedFull.delete(nodeId);
    },

    /** Writes what is pending; for shutdown and tests. */
    async flushAll(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = null;
      await flush();
    },
  };
}

/** A node's readings first: when its series are nearly all taken, new reading series come before new perfdata. */
function allValues(p: Pending): [string, number][] {
  return p.perfdata.size === 0 ? p.values : [...p.values, ...p.perfdata];
}

function stripId({ id: _id, ...view }: { id: string } & NodeReadingsView): NodeReadingsView {
  return view;
}

export type ReadingsIngest = ReturnType<typeof createReadingsIngest>;
