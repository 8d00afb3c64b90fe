import type { Role, User } from '@overmind/sdk';

/** The login token and user, kept for the browser tab (sessionStorage) and observable by React. */
export interface Session {
  token: string;
  user: Pick<User, 'id' | 'username' | 'role'>;
}

const KEY = 'overmind.session';
const listeners = new Set<() => void>();
let cached: Session | null | undefined;

function read(): Session | null {
  if (cached !== undefined) return cached;
  try {
    cached = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
  } catch {
    cached = null;
  }
  return cached;
}

export const sessionStore = {
  get: read,
  token: () => read()?.token,
  set(session: Session | null) {
    cached = session;
    if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
    else sessionStorage.removeItem(KEY);
    for (const l of listeners) l();
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

const RANK: Record<Role, number> = { observer: 0, operator: 1, admin: 2 };
/** Whether the signed-in user's role reaches `role`. */
export function hasRole(session: Session | null, role: Role): boolean {
  return !!session && RANK[session.user.role] >= RANK[role];
}
