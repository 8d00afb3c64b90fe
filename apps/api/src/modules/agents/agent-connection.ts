/**
 * One agent's WebSocket, from challenge to close. Messages are handled one at a time, in order, so a
 * run's lines are stored before its result and an ack never overtakes what it acknowledges.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  CloseCode,
  closeReason,
  decodeAgentMessage,
  encodeMessage,
  helloSigningText,
  HANDSHAKE_TIMEOUT_MS,
  parsePublicKey,
  SUPPORTED_VERSIONS,
  verifyText,
  type AgentMessage,
  type HelloMessage,
  type ServerMessage,
} from '@overmind/agent-protocol';
import type { WebSocket } from 'ws';

export interface AgentIdentity {
  id: string;
  nodeId: string | null;
  status: string;
  publicKey: string;
  /** Hash of the facts stored for the agent: facts sent again unchanged (every reconnect) are not written again. */
  factsHash: string | null;
}

/** What a connection needs from the gateway around it. */
export interface ConnectionHost {
  heartbeatSeconds: number;
  log: { info(obj: unknown, msg: string): void; warn(obj: unknown, msg: string): void; error(obj: unknown, msg: string): void };
  findAgent(id: string): Promise<AgentIdentity | null>;
  /** The hello checked out: the gateway records the connection (and replaces an older one) and sends welcome. */
  welcomed(connection: AgentConnection, hello: HelloMessage): Promise<void>;
  /** After welcome, outside the handshake's admission slot: tell other processes, offer pending runs. */
  joined(connection: AgentConnection): Promise<void>;
  handshakeDone(connection: AgentConnection): void;
  closed(connection: AgentConnection): void;
  handle(connection: AgentConnection, message: Exclude<AgentMessage, HelloMessage>): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class AgentConnection {
  readonly id = randomUUID();
  readonly nonce = randomBytes(32).toString('base64url');
  agentId: string | null = null;
  nodeId: string | null = null;
  lastHeard = Date.now();
  factsHash: string | null = null;
  /** Runs the agent has (said in hello, accepted or offered here): not offered again on this connection. */
  readonly known = new Set<string>();
  /** How the connection ended: the code this side sent, else the peer's (1006 when the socket just dropped). */
  closeCode: number | null = null;
  #queue: Promise<void> = Promise.resolve();
  #handshakeTimer: NodeJS.Timeout | null;
  #closed = false;
  #inHandshake = true;

  constructor(
    readonly socket: WebSocket,
    readonly ip: string,
    private readonly host: ConnectionHost,
  ) {
    this.#handshakeTimer = setTimeout(() => this.close(CloseCode.handshakeTimeout, `no hello within ${HANDSHAKE_TIMEOUT_MS / 1000} s`), HANDSHAKE_TIMEOUT_MS);
    socket.on('message', (data, isBinary) => {
      this.lastHeard = Date.now();
      this.#queue = this.#queue.then(() => this.#receive(data as Buffer, isBinary)).catch((err: unknown) => {
        // The database or a bug, not the agent: close so that it reconnects and sends again.
        this.host.log.error({ err, agentId: this.agentId }, 'agent message could not be handled');
        this.close(1011, 'server error; reconnect');
      });
    });
    socket.on('close', (code: number) => this.#onClose(code));
    socket.on('error', (err) => this.host.log.warn({ err, agentId: this.agentId }, 'agent socket error'));
    this.send({ type: 'challenge', nonce: this.nonce, versions: [...SUPPORTED_VERSIONS], serverTime: new Date().toISOString() });
  }

  get open(): boolean {
    return !this.#closed;
  }

  send(message: ServerMessage): void {
    if (!this.#closed && this.socket.readyState === this.socket.OPEN) this.socket.send(encodeMessage(message));
  }

  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.closeCode = code;
    this.#endHandshake();
    try {
      this.socket.close(code, closeReason(reason));
    } catch {
      this.socket.terminate();
    }
    // A peer that never answers the close handshake does not keep the socket.
    setTimeout(() => this.socket.terminate(), 5000).unref();
  }

  #endHandshake(): void {
    if (this.#handshakeTimer) clearTimeout(this.#handshakeTimer);
    this.#handshakeTimer = null;
    if (this.#inHandshake) {
      this.#inHandshake = false;
      this.host.handshakeDone(this);
    }
  }

  #onClose(code: number): void {
    this.#closed = true;
    this.closeCode ??= code;
    this.#endHandshake();
    this.host.closed(this);
  }

  #protocolError(code: number, reason: string): void {
    this.host.log.warn({ agentId: this.agentId, ip: this.ip, code, reason }, 'agent protocol error; closing');
    this.close(code, reason);
  }

  async #receive(data: Buffer, isBinary: boolean): Promise<void> {
    if (this.#closed) return;
    if (isBinary) return this.#protocolError(CloseCode.malformed, 'binary frames are not part of the protocol');
    const decoded = decodeAgentMessage(data);
    if (!decoded.ok) return this.#protocolError(decoded.code, decoded.reason);
    const message = decoded.message;
    if (message.type === 'hello') {
      if (this.agentId) return this.#protocolError(CloseCode.malformed, 'hello was already said on this connection');
      return this.#hello(message);
    }
    if (!this.agentId) return this.#protocolError(CloseCode.malformed, `${message.type} before hello`);
    await this.host.handle(this, message);
  }

  async #hello(hello: HelloMessage): Promise<void> {
    if (!SUPPORTED_VERSIONS.includes(hello.version)) {
      return this.#protocolError(CloseCode.unsupportedVersion, `version ${hello.version} is not supported; this server speaks ${SUPPORTED_VERSIONS.join(', ')}`);
    }
    const agent = UUID.test(hello.agentId) ? await this.host.findAgent(hello.agentId) : null;
    const key = agent ? parsePublicKey(agent.publicKey) : null;
    if (!agent || !key || !verifyText(key, helloSigningText(this.nonce, hello.agentId), hello.signature)) {
      return this.#protocolError(CloseCode.unauthorized, 'unknown agent or bad signature: enrol again');
    }
    if (agent.status === 'pending') return this.close(CloseCode.pendingApproval, 'waiting for an operator to approve this agent');
    if (agent.status !== 'active' || !agent.nodeId) return this.#protocolError(CloseCode.forbidden, `agent is ${agent.status}`);
    this.agentId = agent.id;
    this.nodeId = agent.nodeId;
    this.factsHash = agent.factsHash;
    for (const run of hello.runs) this.known.add(run.id);
    await this.host.welcomed(this, hello);
    // The slot is freed as soon as the agent is in: with 10,000 agents coming back after a restart,
    // holding it through the database round trips below made the admitted ones slow and the rest
    // wait (tryLater) for nothing.
    this.#endHandshake();
    await this.host.joined(this);
  }
}
