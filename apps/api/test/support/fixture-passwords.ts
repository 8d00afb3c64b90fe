import type { Role } from '../../src/db/entities/index.js';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

/** Passwords of the users every test app starts with. */
export const PASSWORDS: Record<Role, string> = {
  admin: ADMIN_PASSWORD,
  operator: 'operator-password-for-tests',
  observer: 'observer-password-for-tests',
};
