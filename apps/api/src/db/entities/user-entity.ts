import { EntitySchema } from 'typeorm';

export const ROLES = ['admin', 'operator', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export interface UserRow {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
  passwordChangedAt: Date;
}

export const UserEntity = new EntitySchema<UserRow>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    username: { type: 'text' },
    passwordHash: { type: 'text', name: 'password_hash' },
    role: { type: 'text' },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true },
    passwordChangedAt: { type: 'timestamptz', name: 'password_changed_at', default: () => 'now()' },
  },
});

export interface ApiTokenRow {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  prefix: string;
  createdAt: Date;
  /** Every token expires (a default lifetime when none is asked for). */
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export const ApiTokenEntity = new EntitySchema<ApiTokenRow>({
  name: 'ApiToken',
  tableName: 'api_tokens',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    userId: { type: 'uuid', name: 'user_id' },
    name: { type: 'text' },
    tokenHash: { type: 'text', name: 'token_hash' },
    prefix: { type: 'text' },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    expiresAt: { type: 'timestamptz', name: 'expires_at' },
    lastUsedAt: { type: 'timestamptz', name: 'last_used_at', nullable: true },
    revokedAt: { type: 'timestamptz', name: 'revoked_at', nullable: true },
  },
});
