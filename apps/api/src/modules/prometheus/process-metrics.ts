/**
 * Overmind's own figures for `GET /metrics`: the process (prom-client's default metrics), HTTP
 * requests by route pattern, the job queue, and the agent connections this process holds. Each API
 * process has its own registry and answers for itself; the queue figures come from the database, so
 * every process shows the same.
 */
import { CloseCode } from '@overmind/agent-protocol';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueFigures } from './queue-figures.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Close codes an agent connection may end with, by name; any other code counts as `other` (peers choose codes). */
const KNOWN_CLOSE_CODES = new Set<number>([1000, 1001, 1005, 1006, 1011, ...Object.values(CloseCode)]);

export interface AgentFigures {
  /** Agents connected and welcomed here, sockets open (handshakes included), handshakes in progress. */
  stats(): { agents: number; connections: number; handshakes: number };
}

export function createProcessMetrics(deps: { queue: Pick<QueueFigures, 'read'> }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const http = new Histogram({
    name: 'overmind_http_request_duration_seconds',
    help: 'HTTP requests answered by this process, by method, route pattern and status code (its _count is the request count)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  new Gauge({
    name: 'overmind_queue_jobs',
    help: 'Jobs in the pg-boss queues by queue and state (queued: waiting or waiting for a retry; failed: until pg-boss archives them)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await deps.queue.read()) this.set({ queue: row.queue, state: row.state }, row.count);
    },
  });

  let agentFigures: AgentFigures | null = null;
  const agentGauge = (name: string, help: string, pick: (s: ReturnType<AgentFigures['stats']>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(agentFigures ? pick(agentFigures.stats()) : 0);
      },
    });
  agentGauge('overmind_agent_connected', 'Agents connected to this process (past their handshake)', (s) => s.agents);
  agentGauge('overmind_agent_handshakes_in_progress', 'Agent handshakes in progress in this process', (s) => s.handshakes);
  const handshakes = new Counter({ name: 'overmind_agent_handshakes_total', help: 'Agent handshakes this process completed (agents welcomed)', registers: [registry] });
  const closes = new Counter({
    name: 'overmind_agent_closes_total',
    help: 'Agent connections of this process that ended, by WebSocket close code (4429: refused, try later)',
    labelNames: ['code'] as const,
    registers: [registry],
  });

  return {
    registry,

    /** One answered request; `route` is the matched pattern (never the raw URL), null when nothing matched. */
    observeRequest(method: string, route: string | null, status: number, seconds: number): void {
      http.observe({ method: METHODS.has(method) ? method : 'other', route: route ?? '(unmatched)', status: String(status) }, seconds);
    },

    agents: {
      attach(figures: AgentFigures): void {
        agentFigures = figures;
      },
      welcomed(): void {
        handshakes.inc();
      },
      closed(code: number): void {
        closes.inc({ code: KNOWN_CLOSE_CODES.has(code) ? String(code) : 'other' });
      },
    },

    async text(): Promise<{ contentType: string; body: string }> {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

export type ProcessMetrics = ReturnType<typeof createProcessMetrics>;
export type AgentMetrics = ProcessMetrics['agents'];
