import { Anchor, Breadcrumbs, Text } from '@mantine/core';
import { useQuery, type QueryKey } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router';
import { agentKeys } from '../../api/agent-queries.js';
import { constellationKeys } from '../../api/constellation-queries.js';
import { jobKeys } from '../../api/job-queries.js';
import { nodeKeys } from '../../api/node-queries.js';
import { providerKeys } from '../../api/provider-queries.js';
import { serverRoleKeys } from '../../api/server-role-queries.js';
import { entryFor } from './nav-sections.js';

// Detail pages whose record the breadcrumb names, read from the cache the page itself fills (no request of its own).
const DETAILS: Record<string, { key: (id: string) => QueryKey; name: (record: Record<string, unknown>) => unknown }> = {
  '/nodes': { key: nodeKeys.detail, name: (r) => r.name },
  '/providers': { key: providerKeys.detail, name: (r) => r.name },
  '/jobs': { key: jobKeys.detail, name: (r) => r.type },
  '/constellations': { key: constellationKeys.detail, name: (r) => r.name },
  '/agents': { key: agentKeys.detail, name: (r) => r.hostname ?? r.name },
  '/configuration/roles': { key: serverRoleKeys.detail, name: (r) => r.name },
};

function useDetailName(base: string | undefined, id: string | undefined): string | undefined {
  const detail = base ? DETAILS[base] : undefined;
  const { data } = useQuery({ queryKey: detail && id ? detail.key(id) : ['no-detail'], enabled: false });
  if (!detail || !id || !data || typeof data !== 'object') return undefined;
  const name = detail.name(data as Record<string, unknown>);
  return typeof name === 'string' ? name : undefined;
}

/** Section › page › record, from the path; the last crumb is the current page (not a link). */
export function PageBreadcrumbs() {
  const { pathname } = useLocation();
  const found = entryFor(pathname);
  const rest = found && pathname !== found.entry.to ? pathname.slice(found.entry.to.length + 1).split('/')[0] : undefined;
  const name = useDetailName(found?.entry.to, rest);
  if (!found) return null;
  const { section, entry } = found;
  const crumbs = [];
  if (section.label !== entry.label) crumbs.push(<Text key="section" size="sm" c="dimmed">{section.label}</Text>);
  crumbs.push(
    rest
      ? <Anchor key="entry" component={Link} to={entry.to} size="sm">{entry.label}</Anchor>
      : <Text key="entry" size="sm" aria-current="page">{entry.label}</Text>,
  );
  if (rest) crumbs.push(<Text key="record" size="sm" aria-current="page" truncate maw="20rem">{name ?? rest}</Text>);
  return (
    <nav aria-label="Breadcrumb">
      <Breadcrumbs separatorMargin={6}>{crumbs}</Breadcrumbs>
    </nav>
  );
}
