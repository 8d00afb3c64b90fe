import { AppShell, Burger, Button, Group, Kbd, Menu, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { spotlight } from '@mantine/spotlight';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { ErrorBoundary } from 'react-error-boundary';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useLiveUpdates } from '../api/live-updates.js';
import { sessionStore } from '../api/session-store.js';
import type { LoginState } from '../pages/login-page.js';
import { useSession } from '../session-context.js';
import { AppSidebar } from './shell/app-sidebar.js';
import { ColorSchemeToggle } from './shell/color-scheme-toggle.js';
import { useJobToasts } from './shell/job-toasts.js';
import { PageBreadcrumbs } from './shell/page-breadcrumbs.js';
import { PageErrorBoundary } from './shell/page-error-boundary.js';

// The palette (Spotlight, its modal and search) loads right after the first page, outside the initial JavaScript.
const CommandPalette = lazy(() => import('./shell/command-palette.js').then((m) => ({ default: m.CommandPalette })));

/**
 * The signed-in frame: header (search, theme, user), sidebar by section (a burger menu on a phone), breadcrumbs,
 * live updates and job toasts. Signed out (or after a 401) it sends to /login.
 */
export function Layout() {
  const session = useSession();
  const location = useLocation();
  const client = useQueryClient();
  const [navOpen, nav] = useDisclosure(false);
  useLiveUpdates(session?.token);
  useJobToasts();
  if (!session) {
    const state: LoginState = { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={state} />;
  }
  const logout = () => {
    sessionStore.set(null);
    client.clear();
  };
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="md">
      <a className="skip" href="#main">Skip to content</a>
      <AppShell.Header>
        <Group h="100%" px="md" gap="sm" wrap="nowrap">
          <Burger opened={navOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label={navOpen ? 'Close navigation' : 'Open navigation'} aria-expanded={navOpen} />
          <Text fw={700} size="lg" className="brand">Overmind</Text>
          <UnstyledButton onClick={() => spotlight.open()} className="search-trigger" aria-keyshortcuts="Control+K Meta+K /" ml="auto">
            <Text span size="sm" c="dimmed">Search…</Text>
            <Group gap={2} visibleFrom="sm"><Kbd size="xs">Ctrl</Kbd><Kbd size="xs">K</Kbd></Group>
          </UnstyledButton>
          <ColorSchemeToggle />
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button variant="subtle" color="gray" className="user-menu">
                <span className="visually-hidden">User menu for </span>
                <Text span size="sm" truncate maw="10rem">{session.user.username}</Text>
                <Text span size="xs" c="dimmed" ml={6} visibleFrom="sm">{session.user.role}</Text>
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{session.user.username} ({session.user.role})</Menu.Label>
              <Menu.Item onClick={logout}>Log out</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <AppSidebar session={session} onNavigate={nav.close} />
      </AppShell.Navbar>
      {/* Focusable so the skip link moves keyboard focus here, not only the scroll position. */}
      <AppShell.Main id="main" tabIndex={-1}>
        <PageBreadcrumbs />
        <PageErrorBoundary>
          <Suspense fallback={<p aria-busy="true">Loading…</p>}>
            <Outlet />
          </Suspense>
        </PageErrorBoundary>
      </AppShell.Main>
      {/* Without its code (a dropped connection) the header's search does nothing; the page still works. */}
      <ErrorBoundary fallback={null}>
        <Suspense fallback={null}><CommandPalette session={session} /></Suspense>
      </ErrorBoundary>
    </AppShell>
  );
}
