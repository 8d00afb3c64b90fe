/**
 * A scripted agent for API tests: speaks the protocol message by message over a real WebSocket, so a
 * test can send what the real agent would, or what a broken or hostile one would.
 */
import {
  AGENT_CONNECT_PATH,
  decodeServerMessage,
  generateAgentKeyPair,
  helloSigningText,
  loadPrivateKey,
  signText,
  type AgentKeyPair,
  type AgentMessage,
  type ServerMessage,
} from '@overmind/agent-protocol';
import { WebSocket } from 'ws';

export interface Closed {
  code: number;
  reason: string;
}

export class ScriptedAgent {
  readonly messages: ServerMessage[] = [];
  readonly closed: Promise<Closed>;
  #waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const decoded = decodeServerMessage(data as Buffer);
      if (!decoded.ok) throw new Error(`server sent an invalid message: ${decoded.reason}`);
      this.messages.push(decoded.message);
      for (const w of this.#waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async open(baseUrl: string): Promise<ScriptedAgent> {
    const socket = new WebSocket(baseUrl.replace(/^http/, 'ws') + AGENT_CONNECT_PATH);
    const agent = new ScriptedAgent(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return agent;
  }

  /** The next message of `type` (from the start of the connection), waiting up to `ms`. */
  async next<T extends ServerMessage['type']>(type: T, ms = 15_000, after = 0): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.slice(after).find((m) => m.type === type);
      if (found) return found as Extract<ServerMessage, { type: T }>;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} within ${ms} ms; got ${this.messages.map((m) => m.type).join(', ') || 'nothing'}`);
      await Promise.race([new Promise<void>((r) => this.#waiters.push(r)), new Promise((r) => setTimeout(r, Math.min(left, 500))), this.closed]);
    }
  }

  /** All messages of `type` received so far. */
  all<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m) => m.type === type) as Extract<ServerMessage, { type: T }>[];
  }

  send(message: AgentMessage | Record<string, unknown>): void {
    this.socket.send(JSON.stringify(message));
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  async hello(identity: { agentId: string; keys: AgentKeyPair }, extra: Partial<Extract<AgentMessage, { type: 'hello' }>> = {}): Promise<void> {
    const challenge = await this.next('challenge');
    this.send({
      type: 'hello',
      version: 1,
      agentId: identity.agentId,
      signature: signText(loadPrivateKey(identity.keys.privateKeyPem), helloSigningText(challenge.nonce, identity.agentId)),
      agentVersion: '0.0.0-test',
      hostname: 'scripted',
      capabilities: [],
      runs: [],
      lastRunId: null,
      ...extra,
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** Enrols a new identity with a token through the API. */
export async function enrol(baseUrl: string, token: string, keys: AgentKeyPair = generateAgentKeyPair()) {
  const res = await fetch(`${baseUrl}/api/v1/agent/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, publicKey: keys.publicKey, hostname: 'scripted', agentVersion: '0.0.0-test' }),
  });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`enrol answered ${res.status}: ${JSON.stringify(body)}`);
  return { ...(body as { agentId: string; nodeId: string | null; status: string }), keys };
}
