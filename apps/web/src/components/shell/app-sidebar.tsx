import { NavLink as MantineNavLink, Stack, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { hasRole, type Session } from '../../api/session-store.js';
import { entryFor, NAV_SECTIONS } from './nav-sections.js';

/**
 * The sections and their pages; the current page is marked (aria-current) and highlighted. The list scrolls
 * natively when the window is short: a drawn scrollbar (Mantine's ScrollArea) measured the whole page's layout
 * in an effect after every page render, 80 ms when the node list's rows came in.
 */
export function AppSidebar({ session, onNavigate }: { session: Session; onNavigate: () => void }) {
  const current = entryFor(useLocation().pathname)?.entry.to;
  return (
    <nav aria-label="Main" className="sidebar-nav">
      <Stack gap="sm" pb="md">
        {NAV_SECTIONS.map((section) => {
          const entries = section.entries.filter((e) => !e.role || hasRole(session, e.role));
          if (entries.length === 0) return null;
          return (
            <div key={section.label}>
              <Text component="h2" size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" mb={4} mt={0}>{section.label}</Text>
              {entries.map((entry) => (
                <MantineNavLink
                  key={entry.to}
                  component={Link}
                  to={entry.to}
                  label={entry.label}
                  // One entry marked: the page's own, else its parent's (a node's page marks Nodes; Create a node, only itself).
                  active={current === entry.to}
                  aria-current={current === entry.to ? 'page' : undefined}
                  onClick={onNavigate}
                  styles={{ root: { borderRadius: 'var(--mantine-radius-sm)' } }}
                />
              ))}
            </div>
          );
        })}
      </Stack>
    </nav>
  );
}
