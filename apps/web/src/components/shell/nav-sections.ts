import type { Role } from '@overmind/sdk';

export interface NavEntry {
  label: string;
  to: string;
  /** The least role that sees the entry (everyone signed in when absent). */
  role?: Role;
}
export interface NavSection {
  label: string;
  entries: NavEntry[];
}

/**
 * The sidebar, by section. The command palette offers the same entries as "go to" actions and the breadcrumbs
 * name a page by its entry, so a new page is added here once.
 */
export const NAV_SECTIONS: NavSection[] = [
  { label: 'Overview', entries: [{ label: 'Dashboard', to: '/' }] },
  {
    label: 'Nodes',
    entries: [
      { label: 'Nodes', to: '/nodes' },
      { label: 'Create a node', to: '/nodes/new', role: 'operator' },
      { label: 'Register servers', to: '/servers/register', role: 'operator' },
      { label: 'Run a command', to: '/commands', role: 'operator' },
      { label: 'Agents', to: '/agents' },
    ],
  },
  { label: 'Providers', entries: [{ label: 'Providers', to: '/providers' }] },
  {
    label: 'Configuration',
    entries: [
      { label: 'Server roles', to: '/configuration/roles' },
      { label: 'Kitchen', to: '/configuration/kitchen' },
    ],
  },
  { label: 'Constellations', entries: [{ label: 'Constellations', to: '/constellations' }, { label: 'Balancers', to: '/balancers' }] },
  { label: 'Jobs', entries: [{ label: 'Jobs', to: '/jobs' }] },
  { label: 'Monitoring', entries: [{ label: 'Alerts', to: '/alerts' }, { label: 'Alert rules', to: '/alerts/rules' }, { label: 'Checks', to: '/checks' }] },
  {
    label: 'Admin',
    entries: [
      { label: 'Users', to: '/admin/users', role: 'admin' },
      { label: 'API tokens', to: '/admin/tokens', role: 'admin' },
      { label: 'Audit log', to: '/admin/audit', role: 'admin' },
    ],
  },
];

/** The entry a path belongs to: the longest `to` that is the path or one of its parents. */
export function entryFor(pathname: string): { section: NavSection; entry: NavEntry } | undefined {
  let best: { section: NavSection; entry: NavEntry } | undefined;
  for (const section of NAV_SECTIONS) {
    for (const entry of section.entries) {
      const matches = entry.to === '/' ? pathname === '/' : pathname === entry.to || pathname.startsWith(`${entry.to}/`);
      if (matches && (!best || entry.to.length > best.entry.to.length)) best = { section, entry };
    }
  }
  return best;
}
