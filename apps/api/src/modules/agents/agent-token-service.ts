import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AgentTokenEntity, NodeEntity, type AgentTokenRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../../lib/errors.js';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';
import type { AuditService } from '../audit/audit-service.js';

export const AGENT_TOKEN_PREFIX = 'omj_';
/** A join token lives at most this long: it is for an install about to happen, not a credential to keep. */
export const MAX_AGENT_TOKEN_TTL_SECONDS = 30 * 86400;

export function hashAgentToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export type AgentTokenState = 'valid' | 'used' | 'expired' | 'revoked';

export function tokenState(row: AgentTokenRow, now = new Date()): AgentTokenState {
  if (row.revokedAt) return 'revoked';
  if (row.usedAt) return 'used';
  return row.expiresAt <= now ? 'expired' : 'valid';
}

/** One-time join tokens for agents: shown once, stored hashed, audited, revocable. */
export function createAgentTokenService(deps: { db: DataSource; audit: Pick<AuditService, 'record'> }) {
  const { db, audit } = deps;

  /** Mints a token in the caller's transaction (an install job makes one for its node). */
  async function mint(m: EntityManager, actor: Actor, input: { ttlSeconds: number; nodeId?: string | null; description?: string | null }): Promise<{ row: AgentTokenRow; token: string }> {
    if (input.nodeId) {
      const node = await m.findOneBy(NodeEntity, { id: input.nodeId });
      if (!node) throw new NotFoundError('Node', input.nodeId);
      if (node.destroyedAt || node.decommissionedAt) throw new ConflictError(`Node ${node.name} is gone; an agent cannot join it`);
    }
    const token = `${AGENT_TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
    const row = await m.save(
      AgentTokenEntity,
      m.create(AgentTokenEntity, {
        tokenHash: hashAgentToken(token),
        prefix: token.slice(0, 10),
        nodeId: input.nodeId ?? null,
        description: input.description ?? null,
        expiresAt: new Date(Date.now() + input.ttlSeconds * 1000),
        createdBy: actor.id,
      }),
    );
    await audit.record(actor, 'agent-token.create', { type: 'agent-token', id: row.id }, { nodeId: row.nodeId, expiresAt: row.expiresAt }, { manager: m });
    return { row, token };
  }

  return {
    mint,

    async create(actor: Actor, input: { ttlSeconds?: number; nodeId?: string | null; description?: string | null }) {
      const ttlSeconds = input.ttlSeconds ?? 3600;
      if (ttlSeconds > MAX_AGENT_TOKEN_TTL_SECONDS) {
        throw new UnprocessableError(`ttlSeconds must be at most ${MAX_AGENT_TOKEN_TTL_SECONDS} (30 days)`, {
          errors: [{ field: 'body.ttlSeconds', message: `must be <= ${MAX_AGENT_TOKEN_TTL_SECONDS}` }],
        });
      }
      return db.transaction((m) => mint(m, actor, { ...input, ttlSeconds }));
    },

    async list(page: PageRequest & { nodeId?: string; state?: AgentTokenState }): Promise<Page<AgentTokenRow>> {
      const qb = db.getRepository(AgentTokenEntity).createQueryBuilder('t').orderBy('t.createdAt', 'DESC').skip(offset(page)).take(page.limit);
      if (page.nodeId) qb.andWhere('t.nodeId = :nodeId', { nodeId: page.nodeId });
      if (page.state === 'revoked') qb.andWhere('t.revokedAt IS NOT NULL');
      if (page.state === 'used') qb.andWhere('t.usedAt IS NOT NULL AND t.revokedAt IS NULL');
      if (page.state === 'expired') qb.andWhere('t.expiresAt <= now() AND t.usedAt IS NULL AND t.revokedAt IS NULL');
      if (page.state === 'valid') qb.andWhere('t.expiresAt > now() AND t.usedAt IS NULL AND t.revokedAt IS NULL');
      const [items, total] = await qb.getManyAndCount();
      return { items, total, ...page };
    },

    async revoke(actor: Actor, id: string): Promise<AgentTokenRow> {
      return db.transaction(async (m) => {
        const row = await m.findOne(AgentTokenEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!row) throw new NotFoundError('Agent token', id);
        if (row.usedAt) throw new ConflictError(`Agent token ${id} was already used by agent ${row.agentId}; revoke the agent instead`);
        if (!row.revokedAt) {
          row.revokedAt = new Date();
          row.revokedBy = actor.id;
          await m.save(AgentTokenEntity, row);
          await audit.record(actor, 'agent-token.revoke', { type: 'agent-token', id }, {}, { manager: m });
        }
        return row;
      });
    },

    /**
     * Spends a token in the enrolling transaction: only a valid one, only once (the row lock makes two
     * enrolments with one token take turns; the second finds it used). Null when it cannot be used.
     */
    async consume(m: EntityManager, token: string): Promise<AgentTokenRow | null> {
      const row = await m.findOne(AgentTokenEntity, { where: { tokenHash: hashAgentToken(token) }, lock: { mode: 'pessimistic_write' } });
      if (!row || tokenState(row) !== 'valid') return null;
      row.usedAt = new Date();
      await m.save(AgentTokenEntity, row);
      return row;
    },
  };
}

export type AgentTokenService = ReturnType<typeof createAgentTokenService>;
