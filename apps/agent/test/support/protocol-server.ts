/**
 * A small server speaking the agent protocol for real over loopback, for the agent's tests (never
 * production): the enrolment route, signed kitchen downloads, and the WebSocket handshake with the
 * hello's signature checked against the public key given at enrolment. It stores log lines and
 * results once by `(run, seq)`, as the API does, and records everything else the agent sent.
 */
import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Compile } from 'typebox/compile';
import WebSocket, { WebSocketServer } from 'ws';
import {
  AGENT_CONNECT_PATH,
  AGENT_ENROLL_PATH,
  AGENT_KITCHEN_PATH,
  CloseCode,
  decodeAgentMessage,
  EnrollRequest,
  encodeMessage,
  helloSigningText,
  MAX_MESSAGE_BYTES,
  parsePublicKey,
  REQUEST_CLOCK_SKEW_MS,
  REQUEST_HEADERS,
  requestSigningText,
  verifyText,
  type AgentMessage,
  type HelloMessage,
  type LogLineMessage,
  type RunFinishedMessage,
  type RunOffer,
  type ServerMessage,
} from '@overmind/agent-protocol';

const checkEnroll = Compile(EnrollRequest);

export interface ServerOptions {
  heartbeatSeconds?: number;
  features?: Record<string, unknown>;
  versions?: number[];
  /** Ack stored lines and results at once (the API's behaviour). Off: the test acks by hand. */
  autoAck?: boolean;
  /** Decides a hello's fate after its signature checked out: a close code refuses it. */
  onHello?: (hello: HelloMessage) => number | void;
  /** Serve HTTPS and WSS with this key and certificate (PEM). */
  tls?: { key: Buffer; cert: Buffer };
}

export interface Session {
  id: number;
  ws: WebSocket;
  hello: HelloMessage | null;
  messages: AgentMessage[];
  /** Close code and reason the agent sent, or the code seen when the socket ended. */
  closed: { code: number; reason: string } | null;
}

export interface StoredRun {
  lines: Map<number, LogLineMessage>;
  /** Every copy of a line received, to see re-sends. */
  lineReceipts: number;
  result: RunFinishedMessage | null;
  resultReceipts: number;
  accepted: number;
  rejected: string[];
}

export interface EnrolledAgent {
  agentId: string;
  publicKey: KeyObject;
  nodeId: string | null;
}

export class ProtocolServer {
  readonly tokens = new Map<string, string | null>();
  readonly agents = new Map<string, EnrolledAgent>();
  readonly kitchens = new Map<string, Buffer>();
  readonly sessions: Session[] = [];
  readonly runs = new Map<string, StoredRun>();
  /** Messages that failed the protocol's schemas: a correct agent sends none. */
  readonly protocolErrors: string[] = [];
  readonly kitchenRequests: { path: string; status: number }[] = [];
  readonly enrolRequests: unknown[] = [];
  /** What `GET /api/v1/agent/release` and `/download` serve, for the install script. */
  release: { description: Record<string, unknown>; bundle: Buffer } | null = null;
  url = '';
  #http!: Server;
  #wss!: WebSocketServer;

  constructor(public options: ServerOptions = {}) {}

  static async start(options: ServerOptions = {}): Promise<ProtocolServer> {
    const server = new ProtocolServer(options);
    await server.#listen();
    return server;
  }

  async #listen(): Promise<void> {
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
    const route = (req: IncomingMessage, res: ServerResponse) => void this.#route(req, res);
    this.#http = this.options.tls ? createTlsServer(this.options.tls, route) : createServer(route);
    this.#http.on('upgrade', (req, socket, head) => {
      if (req.url !== AGENT_CONNECT_PATH) return void socket.destroy();
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#session(ws));
    });
    await new Promise<void>((resolve) => this.#http.listen(0, '127.0.0.1', resolve));
    this.url = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${(this.#http.address() as AddressInfo).port}`;
  }

  /** A one-time join token, bound to `nodeId` (null: the agent waits for approval). */
  token(nodeId: string | null = 'node-1'): string {
    const token = `join-${randomBytes(16).toString('base64url')}`;
    this.tokens.set(token, nodeId);
    return token;
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const problem = (status: number, title: string, detail: string) => {
      const requestId = randomUUID();
      res.writeHead(status, { 'content-type': 'application/problem+json', 'x-request-id': requestId });
      res.end(JSON.stringify({ type: 'about:blank', title, status, detail, requestId }));
    };
    if (req.method === 'POST' && req.url === AGENT_ENROLL_PATH) {
      let input: unknown;
      try {
        input = JSON.parse(body);
      } catch {
        return problem(400, 'Bad Request', 'body is not JSON');
      }
      this.enrolRequests.push(input);
      if (!checkEnroll.Check(input)) return problem(400, 'Bad Request', 'body does not match EnrollRequest');
      if (!this.tokens.has(input.token)) return problem(401, 'Unauthorized', 'the join token is unknown, spent or expired');
      const nodeId = this.tokens.get(input.token)!;
      this.tokens.delete(input.token);
      const publicKey = parsePublicKey(input.publicKey);
      if (!publicKey) return problem(400, 'Bad Request', 'publicKey is not an Ed25519 key');
      const agentId = `agent-${this.agents.size + 1}-${randomBytes(4).toString('hex')}`;
      this.agents.set(agentId, { agentId, publicKey, nodeId });
      res.writeHead(201, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ agentId, nodeId, status: nodeId ? 'active' : 'pending' }));
    }
    if (req.method === 'GET' && req.url?.startsWith(`${AGENT_KITCHEN_PATH}/`)) {
      const status = this.#checkSigned(req);
      const kitchen = this.kitchens.get(req.url.slice(AGENT_KITCHEN_PATH.length + 1));
      const code = status !== 200 ? status : kitchen ? 200 : 404;
      this.kitchenRequests.push({ path: req.url, status: code });
      if (code === 401) return problem(401, 'Unauthorized', 'bad agent signature');
      if (!kitchen) return problem(404, 'Not Found', 'no such kitchen');
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(kitchen.length) });
      return void res.end(kitchen);
    }
    if (req.method === 'GET' && this.release && req.url === '/api/v1/agent/release') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(this.release.description));
    }
    if (req.method === 'GET' && this.release && req.url === '/api/v1/agent/download') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return void res.end(this.release.bundle);
    }
    problem(404, 'Not Found', `${req.method} ${req.url} is not a route here`);
  }

  #checkSigned(req: IncomingMessage): number {
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : '');
    const agent = this.agents.get(header(REQUEST_HEADERS.agentId));
    const date = header(REQUEST_HEADERS.date);
    if (!agent || !(Math.abs(Date.parse(date) - Date.now()) < REQUEST_CLOCK_SKEW_MS)) return 401;
    return verifyText(agent.publicKey, requestSigningText(req.method!, req.url!, date), header(REQUEST_HEADERS.signature)) ? 200 : 401;
  }

  #session(ws: WebSocket): void {
    const session: Session = { id: this.sessions.length + 1, ws, hello: null, messages: [], closed: null };
    this.sessions.push(session);
    const nonce = randomBytes(32).toString('base64url');
    ws.send(encodeMessage({ type: 'challenge', nonce, versions: this.options.versions ?? [1], serverTime: new Date().toISOString() }));
    ws.on('close', (code, reason) => (session.closed ??= { code, reason: reason.toString() }));
    ws.on('message', (data) => {
      const decoded = decodeAgentMessage(data as Buffer);
      if (!decoded.ok) {
        this.protocolErrors.push(decoded.reason);
        return ws.close(decoded.code, decoded.reason);
      }
      const message = decoded.message;
      session.messages.push(message);
      if (!session.hello) {
        if (message.type !== 'hello') return ws.close(CloseCode.malformed, 'expected hello');
        const agent = this.agents.get(message.agentId);
        if (!agent || !verifyText(agent.publicKey, helloSigningText(nonce, message.agentId), message.signature)) return ws.close(CloseCode.unauthorized, 'bad signature');
        const refusal = this.options.onHello?.(message);
        if (refusal) return ws.close(refusal, 'refused by the test');
        session.hello = message;
        return this.#send(ws, {
          type: 'welcome',
          version: message.version,
          agentId: agent.agentId,
          nodeId: agent.nodeId,
          heartbeatSeconds: this.options.heartbeatSeconds ?? 15,
          serverTime: new Date().toISOString(),
          features: this.options.features ?? {},
        });
      }
      this.#store(ws, message);
    });
  }

  #run(id: string): StoredRun {
    let run = this.runs.get(id);
    if (!run) this.runs.set(id, (run = { lines: new Map(), lineReceipts: 0, result: null, resultReceipts: 0, accepted: 0, rejected: [] }));
    return run;
  }

  #store(ws: WebSocket, message: AgentMessage): void {
    if (message.type === 'run.accepted') this.#run(message.runId).accepted++;
    if (message.type === 'run.rejected') this.#run(message.runId).rejected.push(message.reason);
    if (message.type === 'run.log') {
      const run = this.#run(message.runId);
      message.lines.forEach((line, i) => {
        run.lineReceipts++;
        if (!run.lines.has(message.seq + i)) run.lines.set(message.seq + i, line);
      });
      if (this.options.autoAck !== false) this.ack(message.runId, ws);
    }
    if (message.type === 'run.finished') {
      const run = this.#run(message.runId);
      run.resultReceipts++;
      run.result ??= message;
      if (this.options.autoAck !== false) this.ack(message.runId, ws);
    }
  }

  /** Acks what is stored of a run: lines up to the first gap, and the result when there is one. */
  ack(runId: string, ws = this.current()?.ws): void {
    const run = this.#run(runId);
    let seq = 0;
    while (run.lines.has(seq + 1)) seq++;
    if (ws) this.#send(ws, { type: 'run.ack', runId, logSeq: seq, finished: run.result !== null });
  }

  #send(ws: WebSocket, message: ServerMessage): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(encodeMessage(message));
  }

  /** The latest welcomed session still open. */
  current(): Session | undefined {
    return [...this.sessions].reverse().find((s) => s.hello && s.ws.readyState === WebSocket.OPEN);
  }

  send(message: ServerMessage): void {
    const session = this.current();
    if (!session) throw new Error('no agent connected');
    this.#send(session.ws, message);
  }

  sendRaw(text: string): void {
    this.current()!.ws.send(text);
  }

  offer(run: RunOffer): void {
    this.send({ type: 'run.offer', run });
  }

  /** The run's stored lines in order, checking there is no gap. */
  lines(runId: string): LogLineMessage[] {
    const run = this.runs.get(runId);
    if (!run) return [];
    const seqs = [...run.lines.keys()].sort((a, b) => a - b);
    seqs.forEach((seq, i) => {
      if (seq !== i + 1) throw new Error(`run ${runId} has a gap before line ${seq}`);
    });
    return seqs.map((seq) => run.lines.get(seq)!);
  }

  text(runId: string): string[] {
    return this.lines(runId).map((l) => l.text);
  }

  /** Every message of a type the agent sent, over all sessions. */
  received<T extends AgentMessage['type']>(type: T): Extract<AgentMessage, { type: T }>[] {
    return this.sessions.flatMap((s) => s.messages.filter((m): m is Extract<AgentMessage, { type: T }> => m.type === type));
  }

  /** Drops the current connection without a close handshake, as a crashed API would. */
  drop(): void {
    this.current()?.ws.terminate();
  }

  welcomedSessions(): Session[] {
    return this.sessions.filter((s) => s.hello);
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }
}

export function deadlineIn(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}
