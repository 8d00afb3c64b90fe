import type { Balancer } from '@overmind/sdk';
import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router';

/** Member states from the balancer's own health check: green only for what it called healthy. */
const MEMBER_COLOR: Record<string, string> = { healthy: 'green', unhealthy: 'red', error: 'red', draining: 'yellow', detaching: 'yellow', pending: 'blue', attaching: 'blue', unused: 'gray', unknown: 'gray' };

export function MemberState({ state }: { state: string }) {
  return <Badge color={MEMBER_COLOR[state] ?? 'gray'} data-state={state}>{state}</Badge>;
}

/** Balancers with their members; `keyOf` names a member by its constellation key where there is one. */
export function BalancerTable({ balancers, label, keyOf }: { balancers: Balancer[]; label: string; keyOf?: (nodeId: string) => string | undefined }) {
  if (balancers.length === 0) return <Text c="dimmed">No balancers.</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Listens</Table.Th>
            <Table.Th>Address</Table.Th>
            <Table.Th>Tier</Table.Th>
            <Table.Th>Members</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {balancers.map((b) => (
            <Table.Tr key={b.id}>
              <Table.Td>{b.name}{b.stateMessage && <Text size="xs" c="red">{b.stateMessage}</Text>}</Table.Td>
              <Table.Td><Badge data-state={b.state}>{b.state}</Badge></Table.Td>
              <Table.Td>{b.protocol} :{b.port} → :{b.memberPort}</Table.Td>
              <Table.Td>{b.address ?? '—'}{b.hostNodeId && <Text size="xs">HAProxy on <Anchor component={Link} to={`/nodes/${b.hostNodeId}`} underline="always">{b.hostNodeId.slice(0, 8)}</Anchor></Text>}</Table.Td>
              <Table.Td>{b.constellationId ? <Anchor component={Link} to={`/constellations/${b.constellationId}`}>{b.tier}</Anchor> : '—'}</Table.Td>
              <Table.Td>
                {b.members.length === 0 ? '—' : (
                  <Group gap={6}>
                    {b.members.map((m) => (
                      <Group key={m.nodeId} gap={4} wrap="nowrap" aria-label={`member ${keyOf?.(m.nodeId) ?? m.nodeId}`}>
                        <Anchor component={Link} to={`/nodes/${m.nodeId}`} size="sm">{keyOf?.(m.nodeId) ?? m.nodeId.slice(0, 8)}</Anchor>
                        <MemberState state={m.state} />
                      </Group>
                    ))}
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
