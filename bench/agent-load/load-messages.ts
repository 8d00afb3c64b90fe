/** What the benchmark and its load process say to each other over the fork's IPC channel. */

export interface AgentIdentity {
  agentId: string;
  nodeId: string;
  /** base64url of the raw Ed25519 private key (a JWK's `d`). */
  d: string;
  /** base64url of the raw public key (a JWK's `x`). */
  x: string;
}

export interface LoadOptions {
  /** ws:// URL of the agent endpoint. */
  url: string;
  /** JSON file holding AgentIdentity[]. */
  identities: string;
  /** Client addresses in 127.0.0.0/8 to spread connections over (ephemeral ports are per address). */
  localAddresses: string[];
  /** First connections are spread over this long. */
  rampMs: number;
  /** Longest reconnect delay; the real agent's is 60 s. */
  backoffMaxMs: number;
  /** Announce the `readings` capability and send a reading at the interval the server asks for. */
  readings: boolean;
}

export interface RunRequests {
  /** POST target: the API's run action, or the bare server's. */
  url: string;
  headers: Record<string, string>;
  /** JSON body with `__NODE__` where the node id goes. */
  body: string;
  nodeIds: string[];
  /** Mean gap between requests (each gap is 0.5–1.5 times this). */
  spacingMs: number;
  /** How long to wait for the last offer. */
  timeoutMs: number;
}

export type Command =
  | { id: number; cmd: 'start'; options: LoadOptions }
  | { id: number; cmd: 'stats'; /** Start a new window for the event-loop delay figures. */ resetLoopDelay?: boolean }
  | { id: number; cmd: 'runs'; requests: RunRequests }
  | { id: number; cmd: 'stop' };

export interface LoadStats {
  /** Welcomed connections open now. */
  connected: number;
  /** Agents with a socket opening or in the handshake. */
  connecting: number;
  /** Agents that will not reconnect (a final close code). */
  gaveUp: number;
  welcomes: number;
  /** Readings messages sent. */
  readings: number;
  attempts: number;
  /** Close codes seen (1006: connection refused or lost). */
  closes: Record<string, number>;
  /** Socket errors by code or message (ECONNREFUSED, ETIMEDOUT, unexpected server response...). */
  errors: Record<string, number>;
  /** This process's event-loop delay since the last reset, ms. */
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
  /** Socket open to welcome since the last reset. */
  handshakes: { count: number; p50Ms: number; p95Ms: number; maxMs: number };
  heartbeats: number;
  offers: number;
  finishedRuns: number;
  /** performance.timeOrigin + performance.now() when `connected` last changed. */
  lastChangeAt: number;
}

export interface RunLatencies {
  /** Request sent to `run.offer` received, ms, of the runs that arrived. */
  latencies: number[];
  /** Each run that arrived: wall-clock ms (performance.timeOrigin based) of the request and of the offer. */
  runs: { runId: string; nodeId: string; sentAt: number; offeredAt: number }[];
  /** Requests whose offer never came within the timeout. */
  missing: number;
  errors: string[];
}

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
