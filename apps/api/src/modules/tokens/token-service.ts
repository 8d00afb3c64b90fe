import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiTokenEntity, UserEntity, type ApiTokenRow, type UserRow } from '../../db/entities/index.js';
import { hasRole, type Actor } from '../../lib/actor.js';
import { NotFoundError } from '../../lib/errors.js';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';
import type { AuditService } from '../audit/audit-service.js';

export const TOKEN_PREFIX = 'om_';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function createTokenService(db: DataSource, audit: Pick<AuditService, 'record'>) {
  const tokens = db.getRepository(ApiTokenEntity);

  return {
    /** Creates a token; the secret is returned once and only its hash is stored. */
    async create(actor: Actor, input: { name: string; expiresInDays?: number }): Promise<{ row: ApiTokenRow; secret: string }> {
      if (!actor.id) throw new Error('API tokens belong to a user');
      const secret = `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
      const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86400_000) : null;
      const row = await db.transaction(async (m) => {
        const saved = await m.save(
          ApiTokenEntity,
          m.create(ApiTokenEntity, {
            userId: actor.id!,
            name: input.name,
            tokenHash: hashToken(secret),
            prefix: secret.slice(0, 8),
            expiresAt,
          }),
        );
        await audit.record(actor, 'token.create', { type: 'token', id: saved.id }, { name: input.name }, { manager: m });
        return saved;
      });
      return { row, secret };
    },

    /** Admins see every token; others their own. */
    async list(actor: Actor, page: PageRequest): Promise<Page<ApiTokenRow>> {
      const qb = tokens.createQueryBuilder('t').orderBy('t.createdAt', 'DESC').skip(offset(page)).take(page.limit);
      if (!hasRole(actor.role, 'admin')) qb.where('t.userId = :uid', { uid: actor.id });
      const [items, total] = await qb.getManyAndCount();
      return { items, total, ...page };
    },

    async revoke(actor: Actor, id: string): Promise<ApiTokenRow> {
      const token = await tokens.findOneBy({ id });
      if (!token || (token.userId !== actor.id && !hasRole(actor.role, 'admin'))) throw new NotFoundError('API token', id);
      if (!token.revokedAt) {
        token.revokedAt = new Date();
        await db.transaction(async (m) => {
          await m.save(ApiTokenEntity, token);
          await audit.record(actor, 'token.revoke', { type: 'token', id }, { name: token.name }, { manager: m });
        });
      }
      return token;
    },

    /** Resolves a presented secret to its user, or null when unknown, revoked or expired. */
    async authenticate(secret: string): Promise<{ token: ApiTokenRow; user: UserRow } | null> {
      const token = await tokens.findOneBy({ tokenHash: hashToken(secret) });
      if (!token || token.revokedAt || (token.expiresAt && token.expiresAt < new Date())) return null;
      const user = await db.getRepository(UserEntity).findOneBy({ id: token.userId });
      if (!user) return null;
      // Record use at most once a minute, not on every request.
      if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
        await tokens.update({ id: token.id }, { lastUsedAt: new Date() });
      }
      return { token, user };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
