/**
 * The ceiling: the least a server can do for the same agents, with nothing of Overmind's in the way.
 * A `ws` server on a plain Node HTTP server speaking the same handshake (random challenge, Ed25519
 * signature checked against the agent's public key, welcome), reading the same heartbeats (JSON
 * parsed) and closing connections silent for three of them; and the least a durable run delivery
 * needs: `POST /run {nodeId}` inserts a row and NOTIFYs in one statement, and the LISTENing
 * connection of this process sends `run.offer` on that node's socket. No authentication of the
 * request, no job queue, no worker, no encryption, no connection state written to Postgres.
 *
 * Env: PORT, DATABASE_URL, IDENTITIES (the AgentIdentity[] file), HEARTBEAT_SECONDS.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AGENT_CONNECT_PATH, helloSigningText } from '@overmind/agent-protocol';
import pg from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AgentIdentity } from './load-messages.js';

const port = Number(process.env.PORT);
const heartbeatSeconds = Number(process.env.HEARTBEAT_SECONDS ?? 15);
const keys = new Map<string, { x: string; nodeId: string }>(
  (JSON.parse(readFileSync(process.env.IDENTITIES!, 'utf8')) as AgentIdentity[]).map((a) => [a.agentId, { x: a.x, nodeId: a.nodeId }]),
);

interface Conn {
  ws: WebSocket;
  nodeId: string | null;
  lastHeard: number;
}
const sockets = new Set<Conn>();
const byNode = new Map<string, Conn>();

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
listener.on('error', () => {}); // Postgres stopping at the end of the benchmark
pool.on('error', () => {});
await listener.connect();
await listener.query('LISTEN bench_runs');
listener.on('notification', (msg) => {
  const { id, node } = JSON.parse(msg.payload!) as { id: string; node: string };
  const conn = byNode.get(node);
  conn?.ws.send(JSON.stringify({ type: 'run.offer', run: { id, kind: 'command', deadline: new Date(Date.now() + 3_600_000).toISOString(), spec: { command: 'true', timeoutSeconds: 600 } } }));
});

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/run') {
    res.writeHead(404).end();
    return;
  }
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const { nodeId } = JSON.parse(body) as { nodeId: string };
    pool
      .query(`WITH r AS (INSERT INTO bench_runs (node_id) VALUES ($1) RETURNING id, node_id) SELECT pg_notify('bench_runs', json_build_object('id', id, 'node', node_id)::text) FROM r`, [nodeId])
      .then(
        () => res.writeHead(202, { 'content-type': 'application/json' }).end('{}'),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
  });
});

const wss = new WebSocketServer({ server, path: AGENT_CONNECT_PATH, perMessageDeflate: false, maxPayload: 1024 * 1024 });
wss.on('connection', (ws) => {
  const nonce = randomBytes(32).toString('base64url');
  const conn: Conn = { ws, nodeId: null, lastHeard: Date.now() };
  sockets.add(conn);
  ws.on('error', () => {});
  ws.on('close', () => {
    sockets.delete(conn);
    if (conn.nodeId && byNode.get(conn.nodeId) === conn) byNode.delete(conn.nodeId);
  });
  ws.on('message', (data) => {
    conn.lastHeard = Date.now();
    let message: { type: string; [k: string]: any };
    try {
      message = JSON.parse(String(data));
    } catch {
      ws.close(4400, 'not JSON');
      return;
    }
    if (conn.nodeId) return; // heartbeat, facts, run answers: read, nothing to keep
    const agent = message.type === 'hello' ? keys.get(message.agentId) : undefined;
    const key = agent ? createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: agent.x }, format: 'jwk' }) : null;
    if (!agent || !key || !verify(null, Buffer.from(helloSigningText(nonce, message.agentId)), key, Buffer.from(String(message.signature), 'base64url'))) {
      ws.close(4401, 'unknown agent or bad signature');
      return;
    }
    conn.nodeId = agent.nodeId;
    byNode.get(agent.nodeId)?.ws.close(4409, 'replaced');
    byNode.set(agent.nodeId, conn);
    ws.send(JSON.stringify({ type: 'welcome', version: 1, agentId: message.agentId, nodeId: agent.nodeId, heartbeatSeconds, serverTime: new Date().toISOString(), features: { facts: true, ...(Array.isArray(message.capabilities) && message.capabilities.includes('readings') ? { readings: { intervalSeconds: READINGS_SECONDS } } : {}) } }));
  });
  ws.send(JSON.stringify({ type: 'challenge', nonce, versions: [1], serverTime: new Date().toISOString() }));
});

/** Overmind's default readings interval; readings are parsed like every message, and not kept. */
const READINGS_SECONDS = 15;

setInterval(() => {
  const now = Date.now();
  for (const conn of sockets) if (now - conn.lastHeard > heartbeatSeconds * 3000) conn.ws.close(4410, 'no heartbeat');
}, 5000).unref();

process.on('SIGTERM', () => {
  for (const conn of sockets) conn.ws.close(1012, 'restarting');
  server.close();
  void Promise.all([listener.end(), pool.end()]).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
});

// The same backlog as the API (runtime.ts: LISTEN_BACKLOG).
server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => console.log(`bare server listening on ${port}`));
