import type { Role } from '@overmind/sdk';
import { Suspense } from 'react';
import { Navigate, Outlet } from 'react-router';
import { hasRole } from '../api/session-store.js';
import { useSession } from '../session-context.js';

/** Routes for a role: others go back to the dashboard. Children may be lazy, hence the Suspense. */
export function RequireRole({ role }: { role: Role }) {
  if (!hasRole(useSession(), role)) return <Navigate to="/" replace />;
  return <Suspense fallback={<p aria-busy="true">Loading…</p>}><Outlet /></Suspense>;
}
