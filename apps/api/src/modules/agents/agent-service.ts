import { parsePublicKey, type EnrollRequest, type EnrollResponse } from '@overmind/agent-protocol';
import type { DataSource, EntityManager } from 'typeorm';
import { AgentEntity, NodeEntity, type AgentRow, type AgentStatus } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { ConflictError, NotFoundError, UnauthorizedError, UnprocessableError } from '../../lib/errors.js';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';
import type { AuditService } from '../audit/audit-service.js';
import type { EventBus, OvermindEvent } from '../events/event-bus.js';
import { sendSignal } from './agent-signals.js';
import type { AgentTokenService } from './agent-token-service.js';

export function agentEvent(a: Pick<AgentRow, 'id' | 'nodeId' | 'status' | 'connected' | 'stateSince'>): OvermindEvent {
  return { type: 'agent', id: a.id, nodeId: a.nodeId, status: a.status, connected: a.connected, since: new Date(a.stateSince).toISOString() };
}

export interface AgentFilter extends PageRequest {
  status?: AgentStatus;
  nodeId?: string;
  connected?: boolean;
}

/**
 * Enrolment and the life of an agent: pending → active (bound to one node) → revoked, or pending →
 * rejected. A node has at most one active agent; a new one for the node revokes the old.
 */
export function createAgentService(deps: {
  db: DataSource;
  audit: Pick<AuditService, 'record'>;
  events: Pick<EventBus, 'publishMany'>;
  tokens: Pick<AgentTokenService, 'consume'>;
}) {
  const { db, audit, events } = deps;
  const agents = db.getRepository(AgentEntity);

  async function get(id: string): Promise<AgentRow> {
    const row = await agents.findOneBy({ id });
    if (!row) throw new NotFoundError('Agent', id);
    return row;
  }

  async function usableNode(m: EntityManager, nodeId: string) {
    const node = await m.findOne(NodeEntity, { where: { id: nodeId }, lock: { mode: 'pessimistic_write' } });
    if (!node) throw new NotFoundError('Node', nodeId);
    if (node.destroyedAt || node.decommissionedAt) throw new ConflictError(`Node ${node.name} is gone; an agent cannot join it`);
    return node;
  }

  /** Makes `agent` the node's one active agent: any other is revoked (and disconnected), the node row shows it. */
  async function bind(m: EntityManager, agent: AgentRow, nodeId: string, actor: Actor): Promise<OvermindEvent[]> {
    await usableNode(m, nodeId);
    const replaced: AgentRow[] = await m.find(AgentEntity, { where: { nodeId, status: 'active' } });
    const out: OvermindEvent[] = [];
    for (const old of replaced) {
      await m.update(AgentEntity, { id: old.id }, { status: 'revoked', connected: false, decidedBy: actor.id, decidedAt: new Date() });
      await audit.record(actor, 'agent.revoke', { type: 'agent', id: old.id }, { nodeId, reason: `replaced by agent ${agent.id}` }, { manager: m });
      out.push(agentEvent({ ...old, status: 'revoked', connected: false }));
    }
    if (replaced.length > 0) await sendSignal(m, { t: 'revoke', agents: replaced.map((a) => a.id) });
    agent.status = 'active';
    agent.nodeId = nodeId;
    await m.update(AgentEntity, { id: agent.id }, { status: 'active', nodeId });
    await m.update(NodeEntity, { id: nodeId }, { agentId: agent.id, agentState: agent.connected ? 'connected' : 'disconnected', agentStateSince: agent.stateSince });
    out.push(agentEvent(agent));
    return out;
  }

  /** Takes an agent off its node (revoked or rejected): the node no longer shows it, its connection is closed everywhere. */
  async function retire(m: EntityManager, agent: AgentRow, status: 'revoked' | 'rejected', actor: Actor): Promise<void> {
    await m.update(AgentEntity, { id: agent.id }, { status, connected: false, decidedBy: actor.id, decidedAt: new Date() });
    await m.query(`UPDATE nodes SET agent_id = NULL, agent_state = NULL, agent_state_since = NULL WHERE agent_id = $1`, [agent.id]);
    await sendSignal(m, { t: 'revoke', agents: [agent.id] });
    agent.status = status;
    agent.connected = false;
  }

  return {
    get,

    async list(filter: AgentFilter): Promise<Page<AgentRow>> {
      const qb = agents.createQueryBuilder('a').orderBy('a.createdAt', 'DESC').skip(offset(filter)).take(filter.limit);
      if (filter.status) qb.andWhere('a.status = :status', { status: filter.status });
      if (filter.nodeId) qb.andWhere('a.nodeId = :nodeId', { nodeId: filter.nodeId });
      if (filter.connected !== undefined) qb.andWhere('a.connected = :connected', { connected: filter.connected });
      const [items, total] = await qb.getManyAndCount();
      return { items, total, ...filter };
    },

    /** The one unauthenticated write: a valid join token and a public key give an agent identity. */
    async enroll(input: EnrollRequest, ip: string | null): Promise<EnrollResponse> {
      if (!parsePublicKey(input.publicKey)) {
        throw new UnprocessableError('publicKey is not an Ed25519 public key (base64url of its 32 raw bytes)', { errors: [{ field: 'body.publicKey', message: 'is not an Ed25519 public key' }] });
      }
      const actor: Actor = { id: null, username: `agent@${input.hostname}`, role: 'observer', ip, requestId: null };
      const outcome = await db.transaction(async (m) => {
        const token = await deps.tokens.consume(m, input.token);
        if (!token) return null;
        if (await m.findOneBy(AgentEntity, { publicKey: input.publicKey })) throw new ConflictError('An agent with this public key is already enrolled; make a new key pair');
        const agent = await m.save(
          AgentEntity,
          m.create(AgentEntity, {
            publicKey: input.publicKey,
            status: 'pending' as const,
            hostname: input.hostname,
            agentVersion: input.agentVersion,
            capabilities: [],
            tokenId: token.id,
            connected: false,
            stateSince: new Date(),
            nodeId: null,
          }),
        );
        await m.update('agent_tokens', { id: token.id }, { agentId: agent.id });
        const changes = token.nodeId ? await bind(m, agent, token.nodeId, { ...actor, id: token.createdBy }) : [agentEvent(agent)];
        await audit.record(actor, 'agent.enroll', { type: 'agent', id: agent.id }, { tokenId: token.id, nodeId: agent.nodeId, status: agent.status }, { manager: m });
        await events.publishMany(changes, m);
        return { agentId: agent.id, nodeId: agent.nodeId, status: agent.status as 'active' | 'pending' };
      });
      if (!outcome) {
        await audit.record(actor, 'agent.enroll', null, { reason: 'invalid token' }, { outcome: 'failure' });
        throw new UnauthorizedError('The join token is unknown, expired, revoked or already used: ask an operator for a new one (POST /api/v1/agent-tokens)');
      }
      return outcome;
    },

    async approve(actor: Actor, id: string, nodeId: string): Promise<AgentRow> {
      return db.transaction(async (m) => {
        const agent = await m.findOne(AgentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!agent) throw new NotFoundError('Agent', id);
        if (agent.status !== 'pending') throw new ConflictError(`Agent ${id} is ${agent.status}; only pending agents can be approved`);
        const changes = await bind(m, agent, nodeId, actor);
        await audit.record(actor, 'agent.approve', { type: 'agent', id }, { nodeId }, { manager: m });
        await events.publishMany(changes, m);
        return agent;
      });
    },

    async reject(actor: Actor, id: string): Promise<AgentRow> {
      return db.transaction(async (m) => {
        const agent = await m.findOne(AgentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!agent) throw new NotFoundError('Agent', id);
        if (agent.status !== 'pending') throw new ConflictError(`Agent ${id} is ${agent.status}; only pending agents can be rejected`);
        await retire(m, agent, 'rejected', actor);
        await audit.record(actor, 'agent.reject', { type: 'agent', id }, {}, { manager: m });
        await events.publishMany([agentEvent(agent)], m);
        return agent;
      });
    },

    /** Closes its connection at once (whichever process holds it) and refuses it from now on. */
    async revoke(actor: Actor, id: string): Promise<AgentRow> {
      return db.transaction(async (m) => {
        const agent = await m.findOne(AgentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!agent) throw new NotFoundError('Agent', id);
        if (agent.status === 'revoked' || agent.status === 'rejected') return agent;
        const nodeId = agent.nodeId;
        await retire(m, agent, 'revoked', actor);
        await audit.record(actor, 'agent.revoke', { type: 'agent', id }, { nodeId }, { manager: m });
        await events.publishMany([agentEvent(agent)], m);
        return agent;
      });
    },
  };
}

export type AgentService = ReturnType<typeof createAgentService>;
