/**
 * SSH to registered nodes through one bounded pool: the pinned host key comes from the node's state
 * (or its registration), a first connection pins it, and a changed key becomes NodeHostKeyMismatchError.
 */
import { createConnection } from 'node:net';
import type { RegisteredNode } from '@overmind/provider';
import { HostKeyMismatchError, SshPool, type SshSession, type SshTarget, type TargetResult } from '@overmind/ssh';
import { NodeHostKeyMismatchError } from './baremetal-errors.js';
import type { NodeRegistration } from './node-registration.js';

/** A registered node with its parsed registration. */
export interface ResolvedNode {
  record: RegisteredNode;
  registration: NodeRegistration;
}

export interface NodeTarget extends SshTarget {
  nodeId: string;
  nodeName: string;
}

/** Called with the fingerprint seen on a first connection, before anything else runs on it. */
export type PinHostKey = (node: ResolvedNode, fingerprint: string) => Promise<void>;

export function pinnedFingerprint(node: ResolvedNode): string | undefined {
  const stored = node.record.state.hostKeyFingerprint;
  return typeof stored === 'string' && stored ? stored : node.registration.ssh.hostKeyFingerprint;
}

export function wrapSshError(nodeId: string, err: unknown): Error {
  if (err instanceof HostKeyMismatchError && !(err instanceof NodeHostKeyMismatchError)) return new NodeHostKeyMismatchError(nodeId, err);
  return err instanceof Error ? err : new Error(String(err));
}

export class NodeSsh {
  constructor(
    readonly pool: SshPool,
    private readonly connectTimeoutMs: number,
    private readonly pin: PinHostKey,
  ) {}

  target(node: ResolvedNode): NodeTarget {
    const { ssh, address } = node.registration;
    return {
      nodeId: node.record.id,
      nodeName: node.record.name,
      host: address,
      port: ssh.port,
      username: ssh.username,
      auth: ssh.auth,
      hostKeyFingerprint: pinnedFingerprint(node) ?? null,
      connectTimeoutMs: this.connectTimeoutMs,
      ...(ssh.sudoPassword ? { sudoPassword: ssh.sudoPassword } : {}),
    };
  }

  /** One connection for the steps of one operation, waiting for a pool slot first. */
  async withSession<T>(node: ResolvedNode, fn: (session: SshSession) => Promise<T>, pin: PinHostKey = this.pin): Promise<T> {
    try {
      return await this.pool.run(this.target(node), async (session) => {
        await this.pinIfNew(node, session, pin);
        return fn(session);
      });
    } catch (err) {
      throw wrapSshError(node.record.id, err);
    }
  }

  /** The same on many nodes, bounded by the pool; each node gets its own result, in input order. */
  async onMany<T>(nodes: readonly ResolvedNode[], fn: (session: SshSession, node: ResolvedNode) => Promise<T>, signal?: AbortSignal) {
    const byId = new Map(nodes.map((n) => [n.record.id, n]));
    const results = await this.pool.runOnMany(
      nodes.map((n) => this.target(n)),
      async (session, target) => {
        const node = byId.get(target.nodeId)!;
        await this.pinIfNew(node, session, this.pin);
        return fn(session, node);
      },
      { signal },
    );
    return results.map((r): TargetResult<T, NodeTarget> => (r.ok ? r : { ...r, error: wrapSshError(r.target.nodeId, r.error) }));
  }

  private async pinIfNew(node: ResolvedNode, session: SshSession, pin: PinHostKey): Promise<void> {
    const hostKey = session.hostKey;
    if (hostKey && !hostKey.hostKeyPinned) await pin(node, hostKey.hostKeyFingerprint);
  }
}

/** True when something answers with an SSH banner: reachability without logging in. */
export function probeSsh(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    let seen = '';
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.includes('\n') || seen.length > 255) done(/^SSH-/m.test(seen));
    });
  });
}
