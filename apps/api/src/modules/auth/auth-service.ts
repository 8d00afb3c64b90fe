import type { Role, UserRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { UnauthorizedError } from '../../lib/errors.js';
import type { AuditService } from '../audit/audit-service.js';
import type { UserService } from '../users/user-service.js';
import type { PasswordCheck } from './password-check.js';

export interface JwtClaims {
  sub: string;
  /** Password change time (epoch ms) the token was issued under; a reset invalidates the token. */
  pwd: number;
}

export function createAuthService(deps: {
  passwords: Pick<PasswordCheck, 'check' | 'confirm'>;
  users: Pick<UserService, 'update'>;
  audit: Pick<AuditService, 'record'>;
  sign: (claims: JwtClaims) => string;
  tokenTtlSeconds: number;
}) {
  return {
    async login(
      input: { username: string; password: string },
      from: { ip: string; requestId: string },
    ): Promise<{ token: string; expiresAt: Date; user: UserRow }> {
      const user = await deps.passwords.check(input.username, input.password, from.ip);
      const actor: Actor = {
        id: user?.id ?? null,
        username: input.username,
        role: (user?.role ?? 'observer') as Role,
        ip: from.ip,
        requestId: from.requestId,
      };
      if (!user) {
        await deps.audit.record(actor, 'auth.login', null, {}, { outcome: 'failure' });
        throw new UnauthorizedError('Wrong username or password');
      }
      await deps.audit.record(actor, 'auth.login', { type: 'user', id: user.id });
      const token = deps.sign({ sub: user.id, pwd: user.passwordChangedAt.getTime() });
      return { token, expiresAt: new Date(Date.now() + deps.tokenTtlSeconds * 1000), user };
    },

    /** Sessions end and API tokens are revoked, as with a reset by an admin. */
    async changeOwnPassword(actor: Actor, input: { currentPassword: string; newPassword: string }): Promise<void> {
      await deps.passwords.confirm(actor, input.currentPassword, 'password change');
      await deps.users.update(actor, actor.id!, { password: input.newPassword });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
