import { useQueryClient } from '@tanstack/react-query';
import { Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { useLiveUpdates } from '../api/live-updates.js';
import { hasRole, sessionStore } from '../api/session-store.js';
import type { LoginState } from '../pages/login-page.js';
import { useSession } from '../session-context.js';

/** The signed-in frame: navigation, user, live updates. Signed out (or after a 401) it sends to /login. */
export function Layout() {
  const session = useSession();
  const location = useLocation();
  const client = useQueryClient();
  useLiveUpdates(session?.token);
  if (!session) {
    const state: LoginState = { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={state} />;
  }
  const logout = () => {
    sessionStore.set(null);
    client.clear();
  };
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="topbar">
        <strong className="brand">Overmind</strong>
        <nav aria-label="Main">
          <NavLink to="/" end>Dashboard</NavLink>
          <NavLink to="/nodes">Nodes</NavLink>
          <NavLink to="/providers">Providers</NavLink>
          <NavLink to="/jobs">Jobs</NavLink>
          {hasRole(session, 'admin') && (
            <>
              <NavLink to="/admin/users">Users</NavLink>
              <NavLink to="/admin/tokens">Tokens</NavLink>
              <NavLink to="/admin/audit">Audit log</NavLink>
            </>
          )}
        </nav>
        <span className="user">{session.user.username} ({session.user.role})</span>
        <button type="button" onClick={logout}>Log out</button>
      </header>
      {/* Focusable so the skip link moves keyboard focus here, not only the scroll position. */}
      <main id="main" tabIndex={-1}><Outlet /></main>
    </>
  );
}
