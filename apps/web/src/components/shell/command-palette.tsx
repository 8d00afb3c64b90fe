import { Badge, Group, Modal, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Spotlight } from '@mantine/spotlight';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { overmind } from '../../api/overmind-client.js';
import { hasRole, type Session } from '../../api/session-store.js';
import { NAV_SECTIONS } from './nav-sections.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIMIT = 6;

interface Hit {
  id: string;
  label: string;
  description?: string;
  badge?: string;
  to: string;
}

/** Nodes (name or address), providers (name) and jobs (an id, or a type such as `node.reboot`) matching the query. */
async function searchAll(query: string): Promise<{ group: string; hits: Hit[] }[]> {
  const type = query.includes('.') ? query : undefined;
  const [nodes, providers, jobs] = await Promise.all([
    overmind.listNodes({ search: query, limit: LIMIT }),
    overmind.listProviders({ search: query, limit: LIMIT }),
    UUID.test(query)
      ? overmind.getJob(query).then((job) => [job], () => [])
      : type
        ? overmind.listJobs({ type: type as never, limit: LIMIT }).then((page) => page.items, () => [])
        : Promise.resolve([]),
  ]);
  return [
    { group: 'Nodes', hits: nodes.items.map((n) => ({ id: n.id, label: n.name, description: n.publicIps[0] ?? n.privateIps[0], badge: n.state, to: `/nodes/${n.id}` })) },
    { group: 'Providers', hits: providers.items.map((p) => ({ id: p.id, label: p.name, description: p.type, badge: p.status, to: `/providers/${p.id}` })) },
    { group: 'Jobs', hits: jobs.map((j) => ({ id: j.id, label: j.type, description: new Date(j.createdAt).toLocaleString(), badge: j.state, to: `/jobs/${j.id}` })) },
  ];
}

/**
 * The global search and command palette (ctrl/cmd+K or `/`): pages to go to, and nodes, providers and jobs found
 * by the API as one types.
 */
export function CommandPalette({ session }: { session: Session }) {
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 200);
  const found = useQuery({ queryKey: ['command-palette', debounced], queryFn: () => searchAll(debounced), enabled: debounced.length >= 2, staleTime: 5_000 });

  const q = query.trim().toLowerCase();
  const pages = NAV_SECTIONS.flatMap((s) => s.entries.filter((e) => (!e.role || hasRole(session, e.role)) && (!q || `${s.label} ${e.label}`.toLowerCase().includes(q))).map((e) => ({ ...e, section: s.label })));

  const action = (key: string, to: string, label: ReactNode, description?: string, badge?: string) => (
    <Spotlight.Action key={key} onClick={() => navigate(to)}>
      <Group wrap="nowrap" w="100%" gap="sm">
        <div style={{ flex: 1, minWidth: 0 }}>
          <Text size="sm" truncate>{label}</Text>
          {description && <Text size="xs" c="dimmed" truncate>{description}</Text>}
        </div>
        {badge && <Badge size="sm" variant="outline" color="gray">{badge}</Badge>}
      </Group>
    </Spotlight.Action>
  );

  const groups = debounced.length >= 2 && debounced === query.trim() ? (found.data ?? []) : [];
  const results = groups.filter((g) => g.hits.length > 0);
  const searching = debounced.length >= 2 && (found.isFetching || debounced !== query.trim());
  return (
    <Spotlight.Root query={query} onQueryChange={setQuery} shortcut={['mod + K', '/']} scrollable maxHeight="70vh">
      {/* Names the dialog for screen readers (Spotlight has no visible title). */}
      <Modal.Title className="visually-hidden">Search</Modal.Title>
      <Spotlight.Search placeholder="Search nodes, providers, jobs, pages…" aria-label="Search nodes, providers, jobs and pages" />
      <Spotlight.ActionsList aria-label="Results">
        {results.map((g) => (
          <Spotlight.ActionsGroup key={g.group} label={g.group}>
            {g.hits.map((h) => action(`${g.group}:${h.id}`, h.to, h.label, h.description, h.badge))}
          </Spotlight.ActionsGroup>
        ))}
        {pages.length > 0 && (
          <Spotlight.ActionsGroup label="Go to">
            {pages.map((p) => action(`page:${p.to}`, p.to, p.label, p.section))}
          </Spotlight.ActionsGroup>
        )}
        {searching && <Spotlight.Empty>Searching…</Spotlight.Empty>}
        {!searching && results.length === 0 && pages.length === 0 && (
          <Spotlight.Empty>Nothing matches “{query}”. Nodes match by name or address, providers by name, jobs by id or type (node.reboot).</Spotlight.Empty>
        )}
      </Spotlight.ActionsList>
    </Spotlight.Root>
  );
}
