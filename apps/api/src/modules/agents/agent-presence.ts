/**
 * Agents' connection state and facts in Postgres, written in batches: 10,000 agents connecting after
 * a restart are a few statements, and heartbeats only move `last_seen_at` every few seconds. Each
 * connection has its own id, so a disconnect recorded late (the agent is already back, on another
 * process) never marks a connected agent as gone.
 */
import type { DataSource } from 'typeorm';
import type { EventBus, OvermindEvent } from '../events/event-bus.js';

export interface HelloFacts {
  hostname: string;
  agentVersion: string;
  capabilities: string[];
  lastRunId: string | null;
}

interface Change {
  agentId: string;
  connectionId: string;
  connected: boolean;
  hello?: HelloFacts;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createAgentPresence(deps: {
  db: DataSource;
  events: Pick<EventBus, 'publishMany'>;
  log: { warn(obj: unknown, msg: string): void };
  /** How often connects and disconnects are written. */
  flushMs?: number;
  /** How often heartbeats are written. */
  seenFlushMs?: number;
}) {
  const { db } = deps;
  let changes: Change[] = [];
  let seen = new Set<string>();
  /** Facts to store, by agent (the latest wins). */
  let facts = new Map<string, { facts: Record<string, unknown>; hash: string }>();
  let flushing: Promise<void> = Promise.resolve();

  /**
   * This process's writes to `agents` run one at a time: two batches updating the same rows in
   * different orders deadlock (they did, 10,000 agents connecting while their facts were written).
   */
  function inTurn<T>(write: () => Promise<T>): Promise<T> {
    const run = flushing.then(write);
    flushing = run.then(
      () => {},
      () => {},
    );
    return run;
  }
  const flushMs = deps.flushMs ?? 100;
  let timer: NodeJS.Timeout | null = null;

  async function writeChanges(batch: Change[]): Promise<void> {
    const connects = batch.filter((c) => c.connected).map((c) => ({
      id: c.agentId,
      conn: c.connectionId,
      hostname: c.hello?.hostname ?? null,
      version: c.hello?.agentVersion ?? null,
      capabilities: c.hello?.capabilities ?? null,
      last_run: c.hello?.lastRunId && UUID.test(c.hello.lastRunId) ? c.hello.lastRunId : null,
    }));
    const disconnects = batch.filter((c) => !c.connected).map((c) => ({ id: c.agentId, conn: c.connectionId }));
    const rows: { id: string; node_id: string | null; status: string; connected: boolean; state_since: Date }[] = [];
    if (connects.length > 0) {
      const [updated] = await db.query(
        `UPDATE agents a SET connected = true, connection_id = x.conn, state_since = now(), last_seen_at = now(),
                hostname = coalesce(x.hostname, a.hostname), agent_version = coalesce(x.version, a.agent_version),
                capabilities = coalesce(x.capabilities, a.capabilities), last_run_id = coalesce(x.last_run, a.last_run_id)
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, conn text, hostname text, version text, capabilities text[], last_run uuid)
          WHERE a.id = x.id AND a.status = 'active'
          RETURNING a.id, a.node_id, a.status, a.connected, a.state_since`,
        [JSON.stringify(connects)],
      );
      rows.push(...updated);
    }
    if (disconnects.length > 0) {
      const [updated] = await db.query(
        `UPDATE agents a SET connected = false, connection_id = NULL, state_since = now()
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, conn text)
          WHERE a.id = x.id AND a.connection_id = x.conn
          RETURNING a.id, a.node_id, a.status, a.connected, a.state_since`,
        [JSON.stringify(disconnects)],
      );
      rows.push(...updated);
    }
    await showOnNodes(rows);
  }

  /** The node rows carry their agent's state for the node list; events tell the consoles. */
  async function showOnNodes(rows: { id: string; node_id: string | null; status: string; connected: boolean; state_since: Date }[]): Promise<void> {
    if (rows.length === 0) return;
    const events: OvermindEvent[] = rows.map((r) => ({
      type: 'agent',
      id: r.id,
      nodeId: r.node_id,
      status: r.status,
      connected: r.connected,
      since: new Date(r.state_since).toISOString(),
    }));
    const state = rows.map((r) => ({ id: r.id, state: r.connected ? 'connected' : 'disconnected', since: new Date(r.state_since).toISOString() }));
    await deps.db.query(
      `UPDATE nodes n SET agent_state = x.state, agent_state_since = x.since
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, state text, since timestamptz) WHERE n.agent_id = x.id`,
      [JSON.stringify(state)],
    );
    await deps.events.publishMany(events);
  }

  function schedule(): void {
    timer ??= setTimeout(() => {
      timer = null;
      void flush();
    }, flushMs);
  }

  async function flush(): Promise<void> {
    return inTurn(async () => {
      const batch = changes;
      changes = [];
      if (batch.length > 0) {
        try {
          await writeChanges(batch);
        } catch (err) {
          deps.log.warn({ err, agents: batch.length }, 'could not record agent connections; retrying');
          changes = [...batch, ...changes];
          setTimeout(schedule, 1000).unref();
        }
      }
      const items = facts;
      facts = new Map();
      if (items.size > 0) {
        try {
          await db.query(
            `UPDATE agents a SET facts = x.facts, facts_hash = x.hash FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, facts jsonb, hash text) WHERE a.id = x.id`,
            [JSON.stringify([...items].map(([id, f]) => ({ id, ...f })))],
          );
        } catch (err) {
          deps.log.warn({ err, agents: items.size }, 'could not record agent facts; retrying');
          for (const [id, f] of items) if (!facts.has(id)) facts.set(id, f);
          setTimeout(schedule, 1000).unref();
        }
      }
    });
  }

  async function flushSeen(): Promise<void> {
    return inTurn(async () => {
      const ids = [...seen];
      seen = new Set();
      if (ids.length === 0) return;
      await db.query('UPDATE agents SET last_seen_at = now() WHERE id = ANY($1::uuid[])', [ids]).catch((err: unknown) => deps.log.warn({ err }, 'could not record agent heartbeats'));
    });
  }
  const seenTimer = setInterval(() => void flushSeen(), deps.seenFlushMs ?? 5000);
  seenTimer.unref();

  return {
    connected(agentId: string, connectionId: string, hello: HelloFacts): void {
      changes.push({ agentId, connectionId, connected: true, hello });
      schedule();
    },
    disconnected(agentId: string, connectionId: string): void {
      changes.push({ agentId, connectionId, connected: false });
      schedule();
    },
    seen(agentId: string): void {
      seen.add(agentId);
    },
    /** The agent's facts, stored with the next batch. */
    facts(agentId: string, value: Record<string, unknown>, hash: string): void {
      facts.set(agentId, { facts: value, hash });
      schedule();
    },

    /**
     * Agents shown connected whose heartbeats stopped reaching any process (that process died):
     * disconnected. Run by every API process; each update is conditional, so they never conflict.
     */
    async sweepStale(olderThanSeconds: number): Promise<number> {
      return inTurn(async () => {
        const [rows] = await db.query(
          `UPDATE agents SET connected = false, connection_id = NULL, state_since = now()
            WHERE connected AND (last_seen_at IS NULL OR last_seen_at < now() - make_interval(secs => $1))
            RETURNING id, node_id, status, connected, state_since`,
          [olderThanSeconds],
        );
        await showOnNodes(rows);
        return rows.length;
      });
    },

    /** Writes what is pending; for shutdown and tests. */
    async flushAll(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = null;
      await flush();
      await flushSeen();
    },

    async close(): Promise<void> {
      clearInterval(seenTimer);
      await this.flushAll();
    },
  };
}

export type AgentPresence = ReturnType<typeof createAgentPresence>;
