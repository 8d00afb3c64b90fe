import type { UserRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { ForbiddenError } from '../../lib/errors.js';
import { needsRehash, verifyPassword } from '../../lib/password.js';
import type { AuditService } from '../audit/audit-service.js';
import type { UserService } from '../users/user-service.js';
import type { LoginThrottle } from './login-throttle.js';

// Verifying against a real hash (of a password nobody knows, made with the current parameters) when
// the user does not exist keeps timing from revealing usernames.
export const DUMMY_HASH = 'scrypt$131072$8$1$Ed6WhVpXm-UQ9phOABce-g$L-k-1EmC_hmjkKp-bNthb6HC4rF-RBuJ5fXsWyCmrI4';

/**
 * Every check of a password, at login or to confirm an action from a session, goes through here:
 * counted against the login limits first, so a session cannot guess its user's password faster
 * than a login could.
 */
export function createPasswordCheck(deps: {
  users: Pick<UserService, 'findByUsername' | 'upgradePasswordHash'>;
  throttle: Pick<LoginThrottle, 'reserve'>;
  audit: Pick<AuditService, 'record'>;
}) {
  /** The user this password belongs to, or null. Throws 429 when the address used up its attempts. */
  async function check(username: string, password: string, ip: string): Promise<UserRow | null> {
    const reservation = await deps.throttle.reserve(username, ip);
    const user = await deps.users.findByUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) return null;
    await reservation.release();
    // The password is at hand only now: a hash made with weaker parameters is replaced.
    if (needsRehash(user.passwordHash)) await deps.users.upgradePasswordHash(user, password);
    return user;
  }

  return {
    check,

    /** Asks a signed-in user for their password again before `purpose`; 403 when it is wrong. */
    async confirm(actor: Actor, password: string, purpose: string): Promise<void> {
      const user = actor.id ? await check(actor.username, password, actor.ip ?? 'unknown') : null;
      if (!user || user.id !== actor.id) {
        await deps.audit.record(actor, 'auth.confirm-password', { type: 'user', id: actor.id }, { purpose }, { outcome: 'failure' });
        // Not 401: the session is fine, and a 401 would sign the console out.
        throw new ForbiddenError('Password is wrong');
      }
    },
  };
}

export type PasswordCheck = ReturnType<typeof createPasswordCheck>;
