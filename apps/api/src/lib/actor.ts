import type { Role } from '../db/entities/index.js';

/** Who is doing something, and from where: carried from the request into services for auditing. */
export interface Actor {
  id: string | null;
  username: string;
  role: Role;
  ip: string | null;
  requestId: string | null;
}

/** The actor for work started by Overmind itself (schedules, CLI). */
export function systemActor(username = 'system'): Actor {
  return { id: null, username, role: 'admin', ip: null, requestId: null };
}

const RANK: Record<Role, number> = { observer: 0, operator: 1, admin: 2 };

export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}
