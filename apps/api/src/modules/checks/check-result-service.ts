/**
 * Check results from agents, in batches: the latest result of each check on each node, a state change
 * recorded (and announced) when a check's state differs from its last, and the node's health. A node
 * whose agent stops reporting goes `stale` (swept by every API process; the updates are conditional).
 */
import type { CheckResult } from '@overmind/agent-protocol';
import { checkStateName, type CheckState, type CheckStateName, type PerfDatum } from '@overmind/checks';
import type { DataSource, EntityManager } from 'typeorm';
import type { NodeHealth } from '../../db/entities/index.js';
import { NotFoundError } from '../../lib/errors.js';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';
import type { EventBus, OvermindEvent } from '../events/event-bus.js';
import { definitionsFor } from './check-scope.js';
import { healthEvent, markStale, refreshHealth } from './node-health.js';
import { perfdataPoints } from './perfdata-series.js';

/** Text of a state change in an event: events stay small (NOTIFY's 8000 bytes). */
const EVENT_OUTPUT_CHARS = 200;
/**
 * How far ahead of the server's clock an agent's `at` may be. Later ones are taken as this: a node
 * whose clock jumped ahead must not make every later (true) result look older than the stored one.
 */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

export interface NodeCheckView {
  checkId: string;
  name: string;
  intervalSeconds: number;
  result: {
    state: CheckStateName;
    output: string;
    longOutput: string;
    perfdata: PerfDatum[];
    durationMs: number;
    checkedAt: Date;
    receivedAt: Date;
    stateSince: Date;
  } | null;
}

export interface CheckStateChangeView {
  id: string;
  checkId: string;
  name: string;
  state: CheckStateName;
  previousState: CheckStateName | null;
  output: string;
  at: Date;
}

const stateName = (s: number | null) => (s === null ? null : checkStateName(s as CheckState));

export function createCheckResultService(deps: { db: DataSource; events: Pick<EventBus, 'publishMany'>; staleSeconds: number }) {
  const { db, events } = deps;

  async function liveNode(nodeId: string, m: Pick<EntityManager, 'query'> = db): Promise<{ health: NodeHealth | null; health_since: Date | null }> {
    const [node] = await m.query('SELECT health, health_since FROM nodes WHERE id = $1', [nodeId]);
    if (!node) throw new NotFoundError('Node', nodeId);
    return node;
  }

  return {
    /**
     * Stores a batch from the agent of `nodeId`. Results of checks that do not apply to the node (any
     * more) are dropped, as are results older than the one stored. Never throws for the agent's content.
     * Returns the perfdata points of the stored results, for the readings history.
     */
    async ingest(nodeId: string, results: CheckResult[]): Promise<{ stored: number; changes: number; points: [string, number][] }> {
      return db.transaction(async (m) => {
        // One batch of a node at a time (a reconnect may briefly overlap two connections).
        const [node] = await m.query('SELECT id FROM nodes WHERE id = $1 FOR UPDATE', [nodeId]);
        if (!node) return { stored: 0, changes: 0, points: [] };
        const applicable = new Map((await definitionsFor(m, [nodeId])).get(nodeId)!.map((c) => [c.id, c]));
        const latest = new Map<string, CheckResult>();
        const aheadBound = Date.now() + MAX_CLOCK_AHEAD_MS;
        for (const r of results) {
          const at = Date.parse(r.at);
          if (!applicable.has(r.checkId) || Number.isNaN(at)) continue;
          const result = at > aheadBound ? { ...r, at: new Date(aheadBound).toISOString() } : r;
          const seen = latest.get(r.checkId);
          if (!seen || Date.parse(result.at) >= Date.parse(seen.at)) latest.set(r.checkId, result);
        }
        const stored: { check_id: string; state: number; state_since: Date; checked_at: Date }[] = await m.query(
          'SELECT check_id, state, state_since, checked_at FROM node_checks WHERE node_id = $1',
          [nodeId],
        );
        const before = new Map(stored.map((s) => [s.check_id, s]));
        const rows: Record<string, unknown>[] = [];
        const points: [string, number][] = [];
        const changes: { check_id: string; check_name: string; state: number; previous_state: number | null; output: string; at: string }[] = [];
        for (const r of latest.values()) {
          const prev = before.get(r.checkId);
          if (prev && Date.parse(r.at) < new Date(prev.checked_at).getTime()) continue;
          const changed = !prev || prev.state !== r.state;
          points.push(...perfdataPoints(r.checkId, r.perfdata));
          rows.push({
            check_id: r.checkId,
            state: r.state,
            output: r.output,
            long_output: r.longOutput,
            perfdata: r.perfdata,
            duration_ms: r.durationMs,
            checked_at: r.at,
            state_since: changed ? r.at : new Date(prev!.state_since).toISOString(),
          });
          if (changed) changes.push({ check_id: r.checkId, check_name: applicable.get(r.checkId)!.name, state: r.state, previous_state: prev?.state ?? null, output: r.output, at: r.at });
        }
        if (rows.length > 0) {
          await m.query(
            `INSERT INTO node_checks (node_id, check_id, state, output, long_output, perfdata, duration_ms, checked_at, received_at, state_since)
             SELECT $1, x.check_id, x.state, x.output, x.long_output, x.perfdata, x.duration_ms, x.checked_at, now(), x.state_since
               FROM jsonb_to_recordset($2::jsonb) AS x(check_id uuid, state smallint, output text, long_output text, perfdata jsonb, duration_ms integer, checked_at timestamptz, state_since timestamptz)
             ON CONFLICT (node_id, check_id) DO UPDATE SET state = EXCLUDED.state, output = EXCLUDED.output, long_output = EXCLUDED.long_output,
                perfdata = EXCLUDED.perfdata, duration_ms = EXCLUDED.duration_ms, checked_at = EXCLUDED.checked_at, received_at = now(), state_since = EXCLUDED.state_since`,
            [nodeId, JSON.stringify(rows)],
          );
        }
        if (changes.length > 0) {
          await m.query(
            `INSERT INTO check_state_changes (node_id, check_id, check_name, state, previous_state, output, at)
             SELECT $1, x.check_id, x.check_name, x.state, x.previous_state, x.output, x.at
               FROM jsonb_to_recordset($2::jsonb) AS x(check_id uuid, check_name text, state smallint, previous_state smallint, output text, at timestamptz)`,
            [nodeId, JSON.stringify(changes)],
          );
        }
        // Checks the node no longer has (its tags or role changed) leave its health.
        const gone = stored.filter((s) => !applicable.has(s.check_id)).map((s) => s.check_id);
        if (gone.length > 0) await m.query('DELETE FROM node_checks WHERE node_id = $1 AND check_id = ANY($2::uuid[])', [nodeId, gone]);
        const health = rows.length > 0 || gone.length > 0 ? await refreshHealth(m, [nodeId], rows.length > 0) : [];
        const out: OvermindEvent[] = changes.map((c) => ({
          type: 'check',
          nodeId,
          checkId: c.check_id,
          name: c.check_name.slice(0, EVENT_OUTPUT_CHARS),
          state: checkStateName(c.state as CheckState),
          previous: stateName(c.previous_state),
          output: c.output.slice(0, EVENT_OUTPUT_CHARS),
          at: c.at,
        }));
        await events.publishMany([...out, ...health.map(healthEvent)], m);
        return { stored: rows.length, changes: changes.length, points };
      });
    },

    /** Marks nodes whose agents stopped reporting `stale`; returns how many. */
    async sweepStale(): Promise<number> {
      return db.transaction(async (m) => {
        const changes = await markStale(m, deps.staleSeconds);
        await events.publishMany(changes.map(healthEvent), m);
        return changes.length;
      });
    },

    /** Every check that applies to the node, with its latest result. */
    async forNode(nodeId: string): Promise<{ nodeId: string; health: NodeHealth | null; healthSince: Date | null; items: NodeCheckView[] }> {
      // One snapshot, so the health always agrees with the results beside it.
      return db.transaction('REPEATABLE READ', async (m) => {
        const node = await liveNode(nodeId, m);
        const defs = (await definitionsFor(m, [nodeId])).get(nodeId)!;
        const rows: { check_id: string; state: number; output: string; long_output: string; perfdata: PerfDatum[]; duration_ms: number; checked_at: Date; received_at: Date; state_since: Date }[] =
          await m.query('SELECT * FROM node_checks WHERE node_id = $1', [nodeId]);
        const byCheck = new Map(rows.map((r) => [r.check_id, r]));
        const items = defs.map((d): NodeCheckView => {
          const r = byCheck.get(d.id);
          return {
            checkId: d.id,
            name: d.name,
            intervalSeconds: d.intervalSeconds,
            result: r
              ? { state: checkStateName(r.state as CheckState), output: r.output, longOutput: r.long_output, perfdata: r.perfdata, durationMs: r.duration_ms, checkedAt: r.checked_at, receivedAt: r.received_at, stateSince: r.state_since }
              : null,
          };
        });
        return { nodeId, health: node.health, healthSince: node.health_since, items };
      });
    },

    /** The node's check state changes, newest first. */
    async history(nodeId: string, filter: PageRequest & { checkId?: string }): Promise<Page<CheckStateChangeView>> {
      await liveNode(nodeId);
      const where = filter.checkId ? 'node_id = $1 AND check_id = $2' : 'node_id = $1';
      const params: unknown[] = filter.checkId ? [nodeId, filter.checkId] : [nodeId];
      const n = params.length;
      const [rows, [{ total }]] = await Promise.all([
        db.query(
          `SELECT id::text, check_id, check_name, state, previous_state, output, at FROM check_state_changes WHERE ${where} ORDER BY at DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
          [...params, filter.limit, offset(filter)],
        ),
        db.query(`SELECT count(*)::int AS total FROM check_state_changes WHERE ${where}`, params),
      ]);
      const items = (rows as { id: string; check_id: string; check_name: string; state: number; previous_state: number | null; output: string; at: Date }[]).map((r) => ({
        id: r.id,
        checkId: r.check_id,
        name: r.check_name,
        state: checkStateName(r.state as CheckState),
        previousState: stateName(r.previous_state),
        output: r.output,
        at: r.at,
      }));
      return { items, total, page: filter.page, limit: filter.limit };
    },
  };
}

export type CheckResultService = ReturnType<typeof createCheckResultService>;
