/**
 * The agent's one WebSocket to the API: challenge, hello signed with the agent's key, welcome, then
 * heartbeats (with a WebSocket ping) and the server's messages. A connection that goes quiet for three
 * heartbeats is dropped; every end but a final close code leads to a reconnect with back-off.
 */
import type { KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import {
  CloseCode,
  closeReason,
  decodeServerMessage,
  encodeMessage,
  FINAL_CLOSE_CODES,
  helloSigningText,
  MAX_MESSAGE_BYTES,
  signText,
  SUPPORTED_VERSIONS,
  type AgentMessage,
  type HeartbeatMessage,
  type HelloMessage,
  type ServerMessage,
  type WelcomeMessage,
} from '@overmind/agent-protocol';
import { errorMessage, type AgentLog } from '../agent-log.js';
import { pendingApprovalDelay, ReconnectBackoff, STABLE_CONNECTION_MS } from './reconnect-backoff.js';

/** The server's messages once welcomed. */
export type WorkMessage = Exclude<ServerMessage, { type: 'challenge' } | { type: 'welcome' }>;

export interface ConnectionHandlers {
  hello(): Pick<HelloMessage, 'runs' | 'lastRunId'>;
  welcomed(welcome: WelcomeMessage): void;
  message(message: WorkMessage): void;
  heartbeat(): Pick<HeartbeatMessage, 'running' | 'factsHash'>;
  /** After each heartbeat: a chance to send again what waits too long for an ack. */
  tick(): void;
  disconnected(reason: string): void;
  /** The server refused the agent for good (unauthorized, forbidden, unsupported version). */
  final(code: number, reason: string): void;
}

export interface ConnectionOptions {
  url: string;
  ca?: Buffer;
  agentId: string;
  privateKey: KeyObject;
  hostname: string;
  agentVersion: string;
  capabilities: string[];
  /** agent.json's heartbeat: used when shorter than the server's. */
  heartbeatSeconds?: number;
  log: AgentLog;
  handlers: ConnectionHandlers;
}

/** Waiting for the challenge and the welcome, after the socket opened. */
const HANDSHAKE_MS = 30_000;
/** The socket's own opening (TCP, TLS, upgrade). */
const OPEN_MS = 30_000;
/** A close handshake that does not complete is cut off after this. */
const CLOSE_MS = 3000;
/** Beyond this many bytes waiting in the socket, log lines wait. */
const MAX_BUFFERED = 4 * 1024 * 1024;

type Phase = 'challenge' | 'welcome' | 'ready';

export const CLOSE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(CloseCode).map(([name, code]) => [code, name]));

export function describeClose(code: number, reason: string): string {
  const name = CLOSE_NAMES[code] ?? (code === 1000 ? 'normal' : code === 1001 ? 'going away' : code === 1006 ? 'connection lost' : null);
  return `${code}${name ? ` ${name}` : ''}${reason ? `: ${reason}` : ''}`;
}

export class AgentConnection {
  readonly #backoff = new ReconnectBackoff();
  #ws: WebSocket | null = null;
  #phase: Phase = 'challenge';
  #welcomedAt = 0;
  #lastHeard = 0;
  #heartbeatSeq = 0;
  #heartbeatTimer: NodeJS.Timeout | null = null;
  #handshakeTimer: NodeJS.Timeout | null = null;
  #reconnectTimer: NodeJS.Timeout | null = null;
  /** Why this side closed the socket, when it did. */
  #ownClose: { reason: string; final: boolean } | null = null;
  #lastError: string | null = null;
  #stopping = false;
  #closed: Promise<void> = Promise.resolve();

  constructor(private readonly options: ConnectionOptions) {}

  start(): void {
    this.#connect();
  }

  get ready(): boolean {
    return this.#phase === 'ready' && this.#ws?.readyState === WebSocket.OPEN;
  }

  canSend(): boolean {
    return this.ready && this.#ws!.bufferedAmount < MAX_BUFFERED;
  }

  /** Sends on a welcomed connection; false when there is none. */
  send(message: AgentMessage): boolean {
    if (!this.ready) return false;
    this.#ws!.send(encodeMessage(message));
    return true;
  }

  #connect(): void {
    this.#reconnectTimer = null;
    const { log } = this.options;
    const ws = new WebSocket(this.options.url, {
      ...(this.options.ca ? { ca: this.options.ca } : {}),
      maxPayload: MAX_MESSAGE_BYTES,
      perMessageDeflate: false,
      handshakeTimeout: OPEN_MS,
      headers: { 'user-agent': `overmind-agent/${this.options.agentVersion}` },
    });
    this.#ws = ws;
    this.#phase = 'challenge';
    this.#welcomedAt = 0;
    this.#ownClose = null;
    this.#lastError = null;
    let resolveClosed: () => void = () => {};
    this.#closed = new Promise((resolve) => (resolveClosed = resolve));

    ws.on('open', () => {
      this.#lastHeard = Date.now();
      this.#handshakeTimer = setTimeout(() => this.#protocolError(ws, CloseCode.handshakeTimeout, 'no welcome from the server in time'), HANDSHAKE_MS);
    });
    ws.on('message', (data, isBinary) => this.#onMessage(ws, data as Buffer, isBinary));
    ws.on('ping', () => (this.#lastHeard = Date.now()));
    ws.on('pong', () => (this.#lastHeard = Date.now()));
    ws.on('error', (err) => {
      this.#lastError = errorMessage(err);
      if (!this.#stopping) log.warn(`connection to ${this.options.url}: ${this.#lastError}`);
    });
    ws.on('close', (code, reason) => {
      resolveClosed();
      this.#onClose(ws, code, reason.toString('utf8'));
    });
  }

  #onMessage(ws: WebSocket, data: Buffer, isBinary: boolean): void {
    if (ws !== this.#ws) return;
    this.#lastHeard = Date.now();
    if (isBinary) return this.#protocolError(ws, CloseCode.malformed, 'binary frames are not part of the protocol');
    const decoded = decodeServerMessage(data);
    if (!decoded.ok) return this.#protocolError(ws, decoded.code, decoded.reason);
    const message = decoded.message;
    if (this.#phase === 'challenge') {
      if (message.type !== 'challenge') return this.#protocolError(ws, CloseCode.malformed, `expected challenge, got ${message.type}`);
      return this.#answerChallenge(ws, message);
    }
    if (this.#phase === 'welcome') {
      if (message.type !== 'welcome') return this.#protocolError(ws, CloseCode.malformed, `expected welcome, got ${message.type}`);
      if (message.agentId !== this.options.agentId) return this.#protocolError(ws, CloseCode.malformed, 'welcome names another agent');
      return this.#welcome(ws, message);
    }
    if (message.type === 'challenge' || message.type === 'welcome') return this.#protocolError(ws, CloseCode.malformed, `unexpected ${message.type} after the handshake`);
    try {
      this.options.handlers.message(message);
    } catch (err) {
      this.options.log.error(`handling ${message.type} failed: ${errorMessage(err)}`);
    }
  }

  #answerChallenge(ws: WebSocket, challenge: Extract<ServerMessage, { type: 'challenge' }>): void {
    const common = challenge.versions.filter((v) => SUPPORTED_VERSIONS.includes(v));
    if (common.length === 0) {
      const reason = `the server speaks protocol versions ${challenge.versions.join(', ')}, this agent ${SUPPORTED_VERSIONS.join(', ')}: upgrade the agent`;
      return this.#protocolError(ws, CloseCode.unsupportedVersion, reason, true);
    }
    const { agentId, privateKey } = this.options;
    const hello: HelloMessage = {
      type: 'hello',
      version: Math.max(...common),
      agentId,
      signature: signText(privateKey, helloSigningText(challenge.nonce, agentId)),
      agentVersion: this.options.agentVersion,
      hostname: this.options.hostname.slice(0, 255),
      capabilities: this.options.capabilities,
      ...this.options.handlers.hello(),
    };
    this.#phase = 'welcome';
    ws.send(encodeMessage(hello));
  }

  #welcome(ws: WebSocket, welcome: WelcomeMessage): void {
    this.#phase = 'ready';
    this.#welcomedAt = Date.now();
    if (this.#handshakeTimer) clearTimeout(this.#handshakeTimer);
    const seconds = Math.min(this.options.heartbeatSeconds ?? welcome.heartbeatSeconds, welcome.heartbeatSeconds);
    this.options.log.info(`connected to ${this.options.url} (protocol ${welcome.version}, node ${welcome.nodeId ?? 'none yet'}, heartbeat ${seconds} s)`);
    this.#heartbeatTimer = setInterval(() => this.#heartbeat(ws, seconds), seconds * 1000);
    this.options.handlers.welcomed(welcome);
  }

  #heartbeat(ws: WebSocket, seconds: number): void {
    if (ws !== this.#ws || ws.readyState !== WebSocket.OPEN) return;
    const quiet = Date.now() - this.#lastHeard;
    if (quiet > 3 * seconds * 1000) {
      this.options.log.warn(`nothing heard from the server for ${Math.round(quiet / 1000)} s: reconnecting`);
      this.#ownClose = { reason: 'server silent for three heartbeats', final: false };
      ws.terminate();
      return;
    }
    this.send({ type: 'heartbeat', seq: ++this.#heartbeatSeq, uptimeSeconds: Math.round(process.uptime()), ...this.options.handlers.heartbeat() });
    ws.ping();
    this.options.handlers.tick();
  }

  /** Closes with a protocol error code; a malformed message is logged and never crashes the agent. */
  #protocolError(ws: WebSocket, code: number, reason: string, final = false): void {
    if (ws !== this.#ws || this.#ownClose) return;
    this.options.log.warn(`closing the connection (${describeClose(code, reason)})`);
    this.#ownClose = { reason: describeClose(code, reason), final };
    if (final) this.options.handlers.final(code, reason);
    ws.close(code, closeReason(reason));
    setTimeout(() => ws.terminate(), CLOSE_MS).unref();
  }

  #onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.#ws) return;
    this.#ws = null;
    const wasWelcomed = this.#welcomedAt > 0;
    if (this.#heartbeatTimer) clearInterval(this.#heartbeatTimer);
    if (this.#handshakeTimer) clearTimeout(this.#handshakeTimer);
    this.#heartbeatTimer = this.#handshakeTimer = null;
    if (this.#stopping) return;
    const own = this.#ownClose;
    const why = own?.reason ?? (code === 1006 && this.#lastError ? this.#lastError : describeClose(code, reason));
    this.options.handlers.disconnected(why);
    if (own?.final) return;
    if (!own && FINAL_CLOSE_CODES.includes(code)) return this.options.handlers.final(code, reason);
    if (wasWelcomed && Date.now() - this.#welcomedAt >= STABLE_CONNECTION_MS) this.#backoff.reset();
    const delay = !own && code === CloseCode.pendingApproval ? pendingApprovalDelay() : this.#backoff.next();
    if (code === CloseCode.pendingApproval) this.options.log.info(`waiting for an operator to approve this agent; asking again in ${Math.round(delay / 1000)} s`);
    else this.options.log.info(`disconnected (${why}); reconnecting in ${(delay / 1000).toFixed(1)} s`);
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  /** Closes with 1000 and stops reconnecting; resolves once closed (or after a short bound). */
  async close(): Promise<void> {
    this.#stopping = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    if (this.#heartbeatTimer) clearInterval(this.#heartbeatTimer);
    if (this.#handshakeTimer) clearTimeout(this.#handshakeTimer);
    const ws = this.#ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    if (ws.readyState === WebSocket.CONNECTING) return void ws.terminate();
    ws.close(1000, 'agent stopping');
    const bound = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
    await Promise.race([this.#closed, bound]);
    ws.terminate();
  }
}
