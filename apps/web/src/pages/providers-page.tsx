import { Table, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useProviders, useProviderTypes } from '../api/provider-queries.js';
import { hasRole } from '../api/session-store.js';
import { ErrorNotice } from '../components/error-notice.js';
import { useSession } from '../session-context.js';
import { ProviderForm } from './provider-form.js';
import { TableScroll } from '../components/table-scroll.js';
import { RelativeTime } from '../components/relative-time.js';

export function ProvidersPage() {
  const session = useSession();
  const providers = useProviders();
  const types = useProviderTypes();
  return (
    <section>
      <Title order={1} size="h2" mb="sm">Providers</Title>
      <ErrorNotice error={providers.error ?? types.error} />
      <TableScroll>
        <Table captionSide="top">
          <Table.Thead><Table.Tr><Table.Th scope="col">Name</Table.Th><Table.Th scope="col" className="col-secondary">Type</Table.Th><Table.Th scope="col">Status</Table.Th><Table.Th scope="col">Nodes</Table.Th><Table.Th scope="col">Last sync</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {providers.data?.items.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td><Link to={`/providers/${p.id}`}>{p.name}</Link></Table.Td>
                <Table.Td className="col-secondary">{types.data?.items.find((t) => t.kind === p.type)?.displayName ?? p.type}</Table.Td>
                <Table.Td><span className={`badge badge-${p.status}`} title={p.statusMessage ?? undefined}>{p.status}</span></Table.Td>
                <Table.Td>{p.nodeCount ?? '—'}</Table.Td>
                <Table.Td>{p.lastSyncAt ? <RelativeTime at={p.lastSyncAt} /> : 'never'}</Table.Td>
              </Table.Tr>
            ))}
            {providers.data?.items.length === 0 && <Table.Tr><Table.Td colSpan={5}>No providers yet{hasRole(session, 'operator') ? ': add one with the form below, and its machines are imported on its first sync.' : '.'}</Table.Td></Table.Tr>}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {hasRole(session, 'operator') && types.data && <ProviderForm types={types.data.items} />}
    </section>
  );
}
