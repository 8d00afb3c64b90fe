/**
 * The fleet the benchmark connects: one Ed25519 identity per node, most written straight into
 * `agents` in bulk (enrolment is not what is measured), a few enrolled through the API with
 * node-bound join tokens to show that path works too.
 */
import { generateKeyPairSync } from 'node:crypto';
import type pg from 'pg';
import type { AgentIdentity } from './load-messages.js';

export interface KeyPair {
  x: string;
  d: string;
}

/**
 * Raw keys straight from the generator's DER (the raw key is the last 32 bytes of both). Exporting each
 * new KeyObject as a JWK instead deadlocked Node 20 in one run out of a few at 10,000 keys: a GC during
 * `export` ran a finished key-generation job's destructor, which waits for the lock the export holds.
 */
export function generateKeys(count: number): KeyPair[] {
  return Array.from({ length: count }, () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
    });
    return { x: publicKey.subarray(-32).toString('base64url'), d: privateKey.subarray(-32).toString('base64url') };
  });
}

/** Active agents bound to `nodeIds` (one each), and the nodes showing them, in a few statements. */
export async function insertAgents(db: pg.Pool, nodeIds: string[], keys: KeyPair[]): Promise<AgentIdentity[]> {
  const out: AgentIdentity[] = [];
  for (let i = 0; i < nodeIds.length; i += 2000) {
    const nodes = nodeIds.slice(i, i + 2000);
    const batch = keys.slice(i, i + 2000);
    const { rows } = await db.query<{ id: string; node_id: string; public_key: string }>(
      `INSERT INTO agents (node_id, public_key, status, hostname, agent_version, capabilities)
       SELECT n, k, 'active', 'bench', '0.0.0-bench', '{facts}' FROM unnest($1::uuid[], $2::text[]) AS x(n, k)
       RETURNING id, node_id, public_key`,
      [nodes, batch.map((k) => k.x)],
    );
    const byKey = new Map(batch.map((k) => [k.x, k]));
    for (const r of rows) out.push({ agentId: r.id, nodeId: r.node_id, x: r.public_key, d: byKey.get(r.public_key)!.d });
  }
  await db.query(
    `UPDATE nodes n SET agent_id = a.id, agent_state = 'disconnected', agent_state_since = a.state_since
       FROM agents a WHERE a.node_id = n.id AND a.status = 'active' AND n.agent_id IS DISTINCT FROM a.id`,
  );
  return out;
}

type Api = (path: string, token: string | null, init?: RequestInit) => Promise<any>;

/** Enrols through the API: a node-bound join token each, then `POST /api/v1/agent/enroll`, a few at a time. */
export async function enrolThroughApi(api: Api, token: string, nodeIds: string[], keys: KeyPair[], concurrency = 8): Promise<AgentIdentity[]> {
  const out: AgentIdentity[] = [];
  let next = 0;
  async function worker() {
    while (next < nodeIds.length) {
      const i = next++;
      const joined = await api('/api/v1/agent-tokens', token, { method: 'POST', body: JSON.stringify({ nodeId: nodeIds[i], ttlSeconds: 3600, description: 'bench' }) });
      const enrolled = await api('/api/v1/agent/enroll', null, {
        method: 'POST',
        body: JSON.stringify({ token: joined.token, publicKey: keys[i]!.x, hostname: `bench-enrolled-${i}`, agentVersion: '0.0.0-bench' }),
      });
      if (enrolled.status !== 'active' || enrolled.nodeId !== nodeIds[i]) throw new Error(`enrolment answered ${JSON.stringify(enrolled)}`);
      out.push({ agentId: enrolled.agentId, nodeId: enrolled.nodeId, x: keys[i]!.x, d: keys[i]!.d });
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}
