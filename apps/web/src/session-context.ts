import { useSyncExternalStore } from 'react';
import { sessionStore, type Session } from './api/session-store.js';

/** The signed-in session (null when signed out); re-renders on login, logout and 401. */
export function useSession(): Session | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
}
