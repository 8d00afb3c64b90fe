/** HTTP requests an enrolled agent makes after enrolment carry a signature of its key instead of a token. */
import { parsePublicKey, REQUEST_CLOCK_SKEW_MS, REQUEST_HEADERS, requestSigningText, verifyText } from '@overmind/agent-protocol';
import type { FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { UnauthorizedError } from '../../lib/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The active agent that signed this request; 401 otherwise. */
export async function signedAgent(db: DataSource, request: FastifyRequest): Promise<{ id: string; nodeId: string }> {
  const header = (name: string) => {
    const v = request.headers[name];
    return typeof v === 'string' ? v : '';
  };
  const agentId = header(REQUEST_HEADERS.agentId);
  const date = header(REQUEST_HEADERS.date);
  const signature = header(REQUEST_HEADERS.signature);
  const refused = new UnauthorizedError(`Sign the request with the agent's key (${Object.values(REQUEST_HEADERS).join(', ')})`);
  if (!UUID.test(agentId) || !signature) throw refused;
  const at = Date.parse(date);
  if (!Number.isFinite(at) || Math.abs(Date.now() - at) > REQUEST_CLOCK_SKEW_MS) throw new UnauthorizedError('The request date is missing or more than 5 minutes off the server clock');
  const [row] = await db.query(`SELECT id, node_id, public_key FROM agents WHERE id = $1 AND status = 'active'`, [agentId]);
  const key = row ? parsePublicKey(row.public_key) : null;
  if (!key || !verifyText(key, requestSigningText(request.method, request.url, date), signature)) throw refused;
  return { id: row.id, nodeId: row.node_id };
}
