/**
 * Check definitions to the agents this process holds: the node's set in the welcome (to an agent whose
 * hello lists `checks`), then `checks.set` whenever a `checks` signal may have changed it. Each
 * connection remembers a hash of the set it was last sent, so a signal about every node (a definition
 * changed) reaches only the agents whose set did change.
 */
import { createHash } from 'node:crypto';
import type { CheckDefinition, CheckResult, HelloMessage } from '@overmind/agent-protocol';
import type { DataSource } from 'typeorm';
import type { AgentConnection } from '../agents/agent-connection.js';
import type { ReadingsIngest } from '../metrics/readings-ingest.js';
import type { CheckResultService } from './check-result-service.js';
import { definitionsFor } from './check-scope.js';

/** Nodes whose sets are computed in one query. */
const NODES_PER_QUERY = 2000;

const digest = (checks: CheckDefinition[]) => createHash('sha256').update(JSON.stringify(checks)).digest('base64url');

export function createCheckDelivery(deps: {
  db: DataSource;
  results: Pick<CheckResultService, 'ingest'>;
  /** Where the results' performance data become history (`check.<checkId>.<label>` series). */
  history: Pick<ReadingsIngest, 'record'>;
  log: { error(obj: unknown, msg: string): void };
}) {
  const capable = new WeakSet<AgentConnection>();
  const sentDigest = new WeakMap<AgentConnection, string>();
  /** Counts `changed` calls: a welcome that overlapped one looks again. */
  let generation = 0;

  /**
   * Pushes run one after another, each reading the sets after the previous one sent: two running at
   * once could finish out of order and leave an agent with the older set. Connections asked for while
   * one runs are taken together by the next.
   */
  let queued = new Set<AgentConnection>();
  let draining = false;
  async function drain(): Promise<void> {
    while (queued.size > 0) {
      const batch = [...queued];
      queued = new Set();
      await push(batch).catch((err: unknown) => deps.log.error({ err, agents: batch.length }, 'could not send checks'));
    }
    draining = false;
  }
  function schedule(conns: AgentConnection[]): void {
    for (const c of conns) queued.add(c);
    if (draining || queued.size === 0) return;
    draining = true;
    void drain();
  }

  async function push(conns: AgentConnection[]): Promise<void> {
    const targets = conns.filter((c) => capable.has(c) && c.open && c.nodeId);
    for (let i = 0; i < targets.length; i += NODES_PER_QUERY) {
      const batch = targets.slice(i, i + NODES_PER_QUERY);
      const sets = await definitionsFor(deps.db, [...new Set(batch.map((c) => c.nodeId!))]);
      for (const conn of batch) {
        const checks = sets.get(conn.nodeId!)!;
        const d = digest(checks);
        if (sentDigest.get(conn) === d) continue;
        sentDigest.set(conn, d);
        conn.send({ type: 'checks.set', checks });
      }
    }
  }

  return {
    /** What the welcome's `features` get for checks: the node's set, when the agent can run checks. */
    async welcomeFeatures(conn: AgentConnection, hello: Pick<HelloMessage, 'capabilities'>): Promise<{ checks?: CheckDefinition[] }> {
      if (!hello.capabilities.includes('checks') || !conn.nodeId) return {};
      const seen = generation;
      const checks = (await definitionsFor(deps.db, [conn.nodeId])).get(conn.nodeId)!;
      capable.add(conn);
      sentDigest.set(conn, digest(checks));
      // A change signalled while the set was read may be missing from it: look again once the welcome is out.
      if (generation !== seen) setImmediate(() => schedule([conn]));
      return { checks };
    },

    /** The checks of these connections' nodes may have changed: those whose set did get `checks.set`. */
    changed(conns: AgentConnection[]): void {
      generation++;
      schedule(conns);
    },

    /** A `check.results` from the agent of `conn`. */
    async ingest(conn: AgentConnection, results: CheckResult[]): Promise<void> {
      const { points } = await deps.results.ingest(conn.nodeId!, results);
      if (points.length > 0) deps.history.record(conn.nodeId!, points);
    },
  };
}

export type CheckDelivery = ReturnType<typeof createCheckDelivery>;
