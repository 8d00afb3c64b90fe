import { Anchor, Badge, Button, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useNodeNames } from '../api/node-names.js';
import { useProviders } from '../api/provider-queries.js';
import { hasRole } from '../api/session-store.js';
import { useServerRoles } from '../api/server-role-queries.js';
import { ErrorNotice } from '../components/error-notice.js';
import { useSession } from '../session-context.js';

/** A role's first nodes by name, linked; the rest counted. */
function RoleNodes({ ids }: { ids: string[] }) {
  const shown = ids.slice(0, 5);
  const names = useNodeNames(shown);
  if (ids.length === 0) return <Text size="sm" c="dimmed">none</Text>;
  return (
    <Group gap={6}>
      {shown.map((id) => <Anchor key={id} component={Link} to={`/nodes/${id}`} size="sm">{names.get(id)}</Anchor>)}
      {ids.length > shown.length && <Text size="sm">and {ids.length - shown.length} more</Text>}
    </Group>
  );
}

/** Server roles: which machine type and run list each is, and which nodes run it. */
export function ServerRolesPage() {
  const operator = hasRole(useSession(), 'operator');
  const roles = useServerRoles();
  const providers = useProviders();
  const providerName = (id: string) => providers.data?.items.find((p) => p.id === id)?.name ?? id;
  const items = roles.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Server roles</Title>
        {operator && <Button component={Link} to="/configuration/roles/new">New server role</Button>}
      </Group>
      <ErrorNotice error={roles.error ?? providers.error} />
      {roles.data && items.length === 0 && (
        <Text>No server roles yet. A role is a kind of machine: a provider's machine type plus a run list from the Chef kitchen. {operator && <>Upload a <Anchor component={Link} to="/configuration/kitchen" underline="always">kitchen</Anchor>, then create one.</>}</Text>
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label="Server roles" striped>
            <Table.Thead><Table.Tr><Table.Th>Role</Table.Th><Table.Th>Provider and machine type</Table.Th><Table.Th>Run list</Table.Th><Table.Th>Mode</Table.Th><Table.Th>Nodes</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td><Anchor component={Link} to={`/configuration/roles/${r.id}`}>{r.name}</Anchor></Table.Td>
                  <Table.Td><Text size="sm">{providerName(r.providerId)}</Text><Text size="xs" c="dimmed">{r.locationId} / {r.sizeId} / {r.imageId}</Text></Table.Td>
                  <Table.Td>{r.runList.map((i) => <Code key={i} mr={4}>{i}</Code>)}</Table.Td>
                  <Table.Td><Badge variant="outline">{r.configMode}</Badge></Table.Td>
                  <Table.Td><RoleNodes ids={r.nodeIds} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
