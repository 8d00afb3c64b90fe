import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ApiTokenEntity, UserEntity, type ApiTokenRow, type UserRow } from '../../db/entities/index.js';
import { hasRole, type Actor } from '../../lib/actor.js';
import { BadRequestError, NotFoundError } from '../../lib/errors.js';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';
import type { AuditService } from '../audit/audit-service.js';
import type { PasswordCheck } from '../auth/password-check.js';

export const TOKEN_PREFIX = 'om_';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * Revokes every token of a user in the caller's transaction (a password change or reset: whoever
 * knew the old password may have made some). Returns how many were still live.
 */
export async function revokeTokensOf(manager: EntityManager, userId: string): Promise<number> {
  const result = await manager
    .createQueryBuilder()
    .update(ApiTokenEntity)
    .set({ revokedAt: () => 'now()' })
    .where('user_id = :userId AND revoked_at IS NULL AND expires_at > now()', { userId })
    .execute();
  return result.affected ?? 0;
}

export function createTokenService(deps: {
  db: DataSource;
  audit: Pick<AuditService, 'record'>;
  passwords: Pick<PasswordCheck, 'confirm'>;
  /** Lifetime in days of a token made without one, and the most one may ask for. */
  lifetimeDays: { default: number; max: number };
}) {
  const { db, audit } = deps;
  const tokens = db.getRepository(ApiTokenEntity);

  return {
    /**
     * Creates a token for the caller once they have given their password again (a stolen session
     * alone cannot mint a credential that outlives it). The secret is returned once; only its hash
     * is stored.
     */
    async create(actor: Actor, input: { name: string; password: string; expiresInDays?: number }): Promise<{ row: ApiTokenRow; secret: string }> {
      if (!actor.id) throw new Error('API tokens belong to a user');
      const days = input.expiresInDays ?? deps.lifetimeDays.default;
      if (days > deps.lifetimeDays.max) {
        throw new BadRequestError(`expiresInDays must be at most ${deps.lifetimeDays.max} on this server`, {
          errors: [{ field: 'body.expiresInDays', message: `must be <= ${deps.lifetimeDays.max}` }],
        });
      }
      await deps.passwords.confirm(actor, input.password, 'token.create');
      const secret = `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
      const expiresAt = new Date(Date.now() + days * 86400_000);
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
        await audit.record(actor, 'token.create', { type: 'token', id: saved.id }, { name: input.name, expiresAt }, { manager: m });
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
      if (!token || token.revokedAt || token.expiresAt <= new Date()) return null;
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
