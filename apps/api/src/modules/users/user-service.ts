import type { DataSource } from 'typeorm';
import { UserEntity, type Role, type UserRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import { likePattern, offset, type Page, type PageRequest } from '../../lib/pagination.js';
import { generatePassword, hashPassword } from '../../lib/password.js';
import type { AuditService } from '../audit/audit-service.js';
import { revokeTokensOf } from '../tokens/token-service.js';

export interface PublicUser {
  id: string;
  username: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
}

export function toPublicUser(u: UserRow): PublicUser {
  return { id: u.id, username: u.username, role: u.role, createdAt: u.createdAt, updatedAt: u.updatedAt };
}

export interface UserFilter extends PageRequest {
  search?: string;
  role?: Role;
  order: 'asc' | 'desc';
}

export function createUserService(db: DataSource, audit: Pick<AuditService, 'record'>) {
  const users = db.getRepository(UserEntity);

  async function get(id: string): Promise<UserRow> {
    const user = await users.findOneBy({ id });
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  /** Refuses to remove the last admin, inside the caller's transaction with the admins locked. */
  async function assertAnotherAdmin(manager: DataSource['manager'], excludingId: string): Promise<void> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM users WHERE role = 'admin' AND id <> $1 FOR UPDATE`,
      [excludingId],
    );
    if (rows.length === 0) throw new ConflictError('This is the last admin: make another user admin first');
  }

  return {
    get,

    async findByUsername(username: string): Promise<UserRow | null> {
      return users.createQueryBuilder('u').where('lower(u.username) = lower(:username)', { username }).getOne();
    },

    async list(filter: UserFilter): Promise<Page<UserRow>> {
      const qb = users.createQueryBuilder('u');
      if (filter.search) qb.andWhere('u.username ILIKE :s', { s: likePattern(filter.search) });
      if (filter.role) qb.andWhere('u.role = :role', { role: filter.role });
      qb.orderBy('lower(u.username)', filter.order === 'asc' ? 'ASC' : 'DESC')
        .skip(offset(filter))
        .take(filter.limit);
      const [items, total] = await qb.getManyAndCount();
      return { items, total, page: filter.page, limit: filter.limit };
    },

    async create(actor: Actor, input: { username: string; password: string; role: Role }): Promise<UserRow> {
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (m) => {
        const exists: unknown[] = await m.query('SELECT 1 FROM users WHERE lower(username) = lower($1)', [input.username]);
        if (exists.length) throw new ConflictError(`Username "${input.username}" is taken`);
        const user = await m.save(UserEntity, m.create(UserEntity, { username: input.username, passwordHash, role: input.role }));
        await audit.record(actor, 'user.create', { type: 'user', id: user.id }, { username: user.username, role: user.role }, { manager: m });
        return user;
      });
    },

    /**
     * A new password ends the user's sessions (their tokens carry the old change time) and revokes
     * their API tokens. A role change does neither: sessions and tokens act with the current role.
     */
    async update(actor: Actor, id: string, input: { role?: Role; password?: string }): Promise<UserRow> {
      const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
      return db.transaction(async (m) => {
        const user = await m.findOne(UserEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!user) throw new NotFoundError('User', id);
        if (input.role && input.role !== 'admin' && user.role === 'admin') await assertAnotherAdmin(m, id);
        if (input.role) user.role = input.role;
        let tokensRevoked: number | undefined;
        if (passwordHash) {
          user.passwordHash = passwordHash;
          user.passwordChangedAt = new Date();
          tokensRevoked = await revokeTokensOf(m, id);
        }
        await m.save(UserEntity, user);
        await audit.record(actor, 'user.update', { type: 'user', id }, {
          role: input.role,
          passwordChanged: passwordHash !== undefined,
          tokensRevoked,
        }, { manager: m });
        return user;
      });
    },

    /**
     * Replaces a hash made with weaker parameters by one made now, keeping the password (and so the
     * user's sessions). Does nothing when the password changed meanwhile.
     */
    async upgradePasswordHash(user: Pick<UserRow, 'id' | 'passwordHash'>, password: string): Promise<void> {
      const next = await hashPassword(password);
      await db.query('UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3', [next, user.id, user.passwordHash]);
    },

    /** Deleting a user deletes their API tokens (foreign key) and ends their sessions. */
    async remove(actor: Actor, id: string): Promise<void> {
      await db.transaction(async (m) => {
        const user = await m.findOne(UserEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!user) throw new NotFoundError('User', id);
        if (user.role === 'admin') await assertAnotherAdmin(m, id);
        await m.delete(UserEntity, { id });
        await audit.record(actor, 'user.delete', { type: 'user', id }, { username: user.username }, { manager: m });
      });
    },

    /**
     * First start: creates `admin` when there are no users. The password comes from the
     * configuration, or is generated and returned so the caller can print it once.
     */
    async ensureInitialAdmin(actor: Actor, configured: string | undefined): Promise<{ created: boolean; password?: string }> {
      if ((await users.count()) > 0) return { created: false };
      const password = configured ?? generatePassword();
      try {
        await this.create(actor, { username: 'admin', password, role: 'admin' });
      } catch (err) {
        if (err instanceof ConflictError) return { created: false }; // another process won the race
        throw err;
      }
      return configured ? { created: true } : { created: true, password };
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
