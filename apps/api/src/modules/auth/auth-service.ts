import type { Role, UserRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { TooManyRequestsError, UnauthorizedError } from '../../lib/errors.js';
import { verifyPassword } from '../../lib/password.js';
import type { AuditService } from '../audit/audit-service.js';
import type { UserService } from '../users/user-service.js';

export interface JwtClaims {
  sub: string;
  /** Password change time (epoch ms) the token was issued under; a reset invalidates the token. */
  pwd: number;
}

export interface LoginLimits {
  windowSeconds: number;
  /** Failures allowed for one username from one address within the window. */
  perUserAndAddress: number;
  /** Failures allowed from one address within the window, over all usernames. */
  perAddress: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { windowSeconds: 300, perUserAndAddress: 5, perAddress: 30 };

// Verifying against a real hash when the user does not exist keeps timing from revealing usernames.
const DUMMY_HASH = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA$ZmFrZWZha2VmYWtlZmFrZWZha2VmYWtlZmFrZWZha2U';

export function createAuthService(deps: {
  users: Pick<UserService, 'findByUsername'>;
  audit: Pick<AuditService, 'record' | 'recentLoginFailures'>;
  sign: (claims: JwtClaims) => string;
  tokenTtlSeconds: number;
  limits?: LoginLimits;
}) {
  const limits = deps.limits ?? DEFAULT_LOGIN_LIMITS;

  return {
    async login(
      input: { username: string; password: string },
      from: { ip: string; requestId: string },
    ): Promise<{ token: string; expiresAt: Date; user: UserRow }> {
      const since = new Date(Date.now() - limits.windowSeconds * 1000);
      const failures = await deps.audit.recentLoginFailures(input.username, from.ip, since);
      if (failures.pair >= limits.perUserAndAddress || failures.ip >= limits.perAddress) {
        throw new TooManyRequestsError(
          `Too many failed logins from this address; try again in ${Math.ceil(limits.windowSeconds / 60)} minutes`,
          limits.windowSeconds,
        );
      }
      const user = await deps.users.findByUsername(input.username);
      const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
      const actor: Actor = {
        id: user?.id ?? null,
        username: input.username,
        role: (user?.role ?? 'observer') as Role,
        ip: from.ip,
        requestId: from.requestId,
      };
      if (!user || !ok) {
        await deps.audit.record(actor, 'auth.login', null, {}, { outcome: 'failure' });
        throw new UnauthorizedError('Wrong username or password');
      }
      await deps.audit.record(actor, 'auth.login', { type: 'user', id: user.id });
      const token = deps.sign({ sub: user.id, pwd: user.passwordChangedAt.getTime() });
      return { token, expiresAt: new Date(Date.now() + deps.tokenTtlSeconds * 1000), user };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
