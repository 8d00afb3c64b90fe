/**
 * The agents connected to this API process: admission (bounded handshakes and connections), one live
 * connection per agent, run offers when a run is created for one of its nodes (in any process, told by
 * NOTIFY), and the messages agents send. Postgres remains the only shared state.
 */
import { CloseCode, type AgentMessage, type HelloMessage } from '@overmind/agent-protocol';
import type { DataSource } from 'typeorm';
import type { WebSocket } from 'ws';
import type { AgentSettings } from '../../config.js';
import type { CheckDelivery } from '../checks/check-delivery.js';
import { AgentConnection, type AgentIdentity, type ConnectionHost } from './agent-connection.js';
import type { AgentPresence } from './agent-presence.js';
import { sendSignal, type AgentSignal } from './agent-signals.js';
import { batchPerTurn } from './batch-per-turn.js';
import type { RunService } from './run-service.js';
import type { ReadingsIngest } from '../metrics/readings-ingest.js';
import type { AgentMetrics } from '../prometheus/process-metrics.js';

export function createAgentGateway(deps: {
  db: DataSource;
  runs: RunService;
  presence: AgentPresence;
  readings: Pick<ReadingsIngest, 'feature' | 'receive' | 'forget'>;
  checks: CheckDelivery;
  settings: Pick<AgentSettings, 'heartbeatSeconds' | 'maxHandshakes' | 'maxConnections'>;
  log: ConnectionHost['log'];
  /** This process, in `connected` signals. */
  processId: string;
  /** Handshakes and closes, for GET /metrics. */
  metrics: Pick<AgentMetrics, 'welcomed' | 'closed'>;
}) {
  const { db, runs, presence, settings, log } = deps;
  const byAgent = new Map<string, AgentConnection>();
  const byNode = new Map<string, AgentConnection>();
  const sockets = new Set<AgentConnection>();
  let handshakes = 0;

  /** Offers each connection the open runs of its node it does not have yet, in one query. */
  async function offerPending(conns: AgentConnection[]): Promise<void> {
    const open = conns.filter((c) => c.nodeId && c.open);
    if (open.length === 0) return;
    const offers = await runs.offersFor(open.map((c) => c.nodeId!));
    for (const conn of open) {
      for (const run of offers.get(conn.nodeId!) ?? []) {
        if (conn.known.has(run.id)) continue;
        conn.known.add(run.id);
        conn.send({ type: 'run.offer', run });
      }
    }
  }

  // When thousands of agents come back at once, their lookups are a few queries, not one each: every
  // query is a round trip that costs this process (and Postgres) more CPU than the rest of a handshake.
  const findAgents = batchPerTurn<string, AgentIdentity>(async (ids) => {
    const rows: { id: string; node_id: string | null; status: string; public_key: string; facts_hash: string | null }[] = await db.query(
      'SELECT id, node_id, status, public_key, facts_hash FROM agents WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, nodeId: r.node_id, status: r.status, publicKey: r.public_key, factsHash: r.facts_hash }]));
  });

  const join = batchPerTurn<AgentConnection, true>(async (conns) => {
    // Another process may hold an older connection of one of these agents: it closes it.
    await sendSignal(db, { t: 'connected', agents: conns.map((c) => c.agentId!), process: deps.processId });
    // Runs queued before byNode knew these connections (a NOTIFY for them found nobody) are offered now.
    await offerPending(conns);
    return new Map(conns.map((c) => [c, true]));
  });

  const host: ConnectionHost = {
    heartbeatSeconds: settings.heartbeatSeconds,
    log,

    async findAgent(id): Promise<AgentIdentity | null> {
      // Postgres answers ids in lower case.
      return (await findAgents(id.toLowerCase())) ?? null;
    },

    async welcomed(conn, hello: HelloMessage) {
      const older = byAgent.get(conn.agentId!);
      if (older && older !== conn) older.close(CloseCode.replaced, 'a newer connection of this agent replaced this one');
      byAgent.set(conn.agentId!, conn);
      byNode.set(conn.nodeId!, conn);
      deps.metrics.welcomed();
      presence.connected(conn.agentId!, conn.id, { hostname: hello.hostname, agentVersion: hello.agentVersion, capabilities: hello.capabilities, lastRunId: hello.lastRunId });
      conn.send({
        type: 'welcome',
        version: hello.version,
        agentId: conn.agentId!,
        nodeId: conn.nodeId,
        heartbeatSeconds: settings.heartbeatSeconds,
        serverTime: new Date().toISOString(),
        features: { facts: true, ...deps.readings.feature(conn, hello.capabilities), ...(await deps.checks.welcomeFeatures(conn, hello)) },
      });
    },

    async joined(conn) {
      await join(conn);
    },

    handshakeDone() {
      handshakes--;
    },

    closed(conn) {
      sockets.delete(conn);
      deps.metrics.closed(conn.closeCode ?? 1006);
      if (conn.agentId && byAgent.get(conn.agentId) === conn) {
        byAgent.delete(conn.agentId);
        if (conn.nodeId && byNode.get(conn.nodeId) === conn) byNode.delete(conn.nodeId);
        presence.disconnected(conn.agentId, conn.id);
        if (conn.nodeId) deps.readings.forget(conn.nodeId);
      }
    },

    async handle(conn, message: Exclude<AgentMessage, HelloMessage>) {
      const nodeId = conn.nodeId!;
      switch (message.type) {
        case 'heartbeat':
          presence.seen(conn.agentId!);
          return;
        case 'run.accepted':
          conn.known.add(message.runId);
          await runs.accept(nodeId, conn.agentId!, message.runId);
          return;
        case 'run.rejected':
          await runs.reject(nodeId, message.runId, message.reason);
          conn.send({ type: 'run.ack', runId: message.runId, logSeq: 0, finished: true });
          return;
        case 'run.log': {
          const logSeq = await runs.appendLog(nodeId, message.runId, message.seq, message.lines);
          conn.send({ type: 'run.ack', runId: message.runId, logSeq, finished: false });
          return;
        }
        case 'run.finished':
          await runs.finish(nodeId, message);
          conn.send({ type: 'run.ack', runId: message.runId, logSeq: message.logLines, finished: true });
          return;
        case 'facts':
          // Sent after every welcome; unchanged facts (the usual reconnect) cost no write.
          if (message.hash === conn.factsHash) return;
          // With the connection changes, in batches (and one at a time with them: no deadlock).
          presence.facts(conn.agentId!, message.facts, message.hash);
          conn.factsHash = message.hash;
          return;
        case 'readings':
          deps.readings.receive(conn, nodeId, message);
          return;
        case 'check.results':
          await deps.checks.ingest(conn, message.results);
          return;
      }
    },
  };

  return {
    /** A new socket on /api/v1/agent/connect. */
    accept(socket: WebSocket, ip: string): void {
      if (sockets.size >= settings.maxConnections) {
        socket.close(CloseCode.tryLater, 'this server holds as many agents as it may; retry later');
        deps.metrics.closed(CloseCode.tryLater);
        return;
      }
      if (handshakes >= settings.maxHandshakes) {
        socket.close(CloseCode.tryLater, 'too many agents connecting at once; retry later');
        deps.metrics.closed(CloseCode.tryLater);
        return;
      }
      handshakes++;
      sockets.add(new AgentConnection(socket, ip, host));
    },

    /** A signal from any process (through NOTIFY). */
    onSignal(signal: AgentSignal): void {
      switch (signal.t) {
        case 'runs': {
          const here = signal.nodes.map((id) => byNode.get(id)).filter((c): c is AgentConnection => c !== undefined);
          void offerPending(here).catch((err: unknown) => log.error({ err, nodes: here.length }, 'could not offer runs'));
          return;
        }
        case 'cancel':
          for (const run of signal.runs) byNode.get(run.node)?.send({ type: 'run.cancel', runId: run.id, reason: run.reason });
          return;
        case 'revoke':
          for (const id of signal.agents) byAgent.get(id)?.close(CloseCode.forbidden, 'agent revoked');
          return;
        case 'connected':
          if (signal.process === deps.processId) return;
          for (const id of signal.agents) byAgent.get(id)?.close(CloseCode.replaced, 'the agent connected again elsewhere');
          return;
        case 'checks':
          deps.checks.changed(signal.nodes ? signal.nodes.flatMap((n) => byNode.get(n) ?? []) : [...byAgent.values()]);
          return;
      }
    },

    /** After a lost LISTEN connection: signals may have been missed, so offer again what is open. */
    resync(): void {
      void offerPending([...byAgent.values()]).catch((err: unknown) => log.error({ err }, 'could not offer runs after a lost LISTEN connection'));
      deps.checks.changed([...byAgent.values()]);
    },

    /** Closes connections that have said nothing for three heartbeats. */
    sweepSilent(now = Date.now()): number {
      let closed = 0;
      for (const conn of sockets) {
        if (conn.agentId && now - conn.lastHeard > settings.heartbeatSeconds * 3000) {
          conn.close(CloseCode.heartbeatTimeout, 'no heartbeat for three intervals');
          closed++;
        }
      }
      return closed;
    },

    closeAll(code: number, reason: string): void {
      for (const conn of sockets) conn.close(code, reason);
    },

    stats() {
      return { connections: sockets.size, agents: byAgent.size, handshakes };
    },
  };
}

export type AgentGateway = ReturnType<typeof createAgentGateway>;
