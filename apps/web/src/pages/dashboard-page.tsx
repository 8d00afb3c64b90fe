import type { NodeState } from '@overmind/sdk';
import { Anchor, Card, Group, Progress, SimpleGrid, Table, Text, Title, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import { useJobs } from '../api/job-queries.js';
import { useNodeSummary } from '../api/node-queries.js';
import { useProviders } from '../api/provider-queries.js';
import { BusiestNodes } from '../components/busiest-nodes.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { JobsPerHourChart } from '../components/jobs-per-hour-chart.js';
import { RelativeTime } from '../components/relative-time.js';
import { StateBadge, stateColor } from '../components/state-badge.js';
import { TableScroll } from '../components/table-scroll.js';
import { JobTable } from './job-table.js';

const STATES: NodeState[] = ['running', 'pending', 'starting', 'configuring', 'rebooting', 'stopping', 'stopped', 'error', 'unknown'];

function Stat({ label, value, to }: { label: string; value: number | undefined; to: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>{label}</Text>
      <Anchor component={Link} to={to} fz={28} fw={700} underline="hover">{value ?? '…'}</Anchor>
    </Card>
  );
}

/** Bars of nodes per state, as wide as their share (a chart of the same counts the table lists). */
function StateBars({ byState, total }: { byState: Record<string, number>; total: number }) {
  if (total === 0) return null;
  return (
    <Progress.Root size={18} aria-hidden="true" mb="xs">
      {STATES.filter((s) => byState[s]).map((s) => (
        <Tooltip key={s} label={`${s}: ${byState[s]}`}>
          <Progress.Section value={(100 * byState[s]!) / total} color={stateColor(s)} />
        </Tooltip>
      ))}
    </Progress.Root>
  );
}

/** The overview at `/`: where the nodes are, in what state, how providers sync, what jobs did. */
export function DashboardPage() {
  const providers = useProviders();
  const list = providers.data?.items ?? [];
  const summary = useNodeSummary();
  const byProvider = new Map(summary.data?.byProvider.map((p) => [p.providerId, p.total]));
  const most = Math.max(1, ...byProvider.values());
  const recent = useJobs({ limit: 10 });
  const failed = useJobs({ limit: 10, state: 'failed' });
  const s = summary.data;
  return (
    <section>
      <Title order={1} size="h2" mb="md">Dashboard</Title>
      <ErrorNotice error={providers.error ?? summary.error ?? recent.error ?? failed.error} />
      {providers.data && list.length === 0 && (
        <EmptyState title="Nothing to watch yet" action={{ label: 'Add a provider', to: '/providers' }}>
          Overmind manages nodes through providers: add one (a cloud account, a hypervisor, or dedicated servers), and its nodes appear here.
        </EmptyState>
      )}
      <SimpleGrid cols={{ base: 2, sm: 4 }} mb="md">
        <Stat label="Nodes" value={s?.total} to="/nodes" />
        <Stat label="Running" value={s?.byState.running} to="/nodes?state=running" />
        <Stat label="In error" value={s?.byState.error} to="/nodes?state=error" />
        <Stat label="Failed jobs" value={failed.data?.total} to="/jobs?state=failed" />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
        <Card withBorder>
          <StateBars byState={s?.byState ?? {}} total={s?.total ?? 0} />
          <TableScroll>
            <Table captionSide="top" aria-labelledby="by-state-title" verticalSpacing={4}>
              <caption id="by-state-title">Nodes by state</caption>
              <Table.Tbody>
                {STATES.map((st) => (
                  <Table.Tr key={st} data-state={st}>
                    <Table.Td><StateBadge state={st} /></Table.Td>
                    <Table.Td ta="right"><Link to={`/nodes?state=${st}`}>{s?.byState[st] ?? '…'}</Link></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableScroll>
        </Card>
        <Card withBorder>
          <TableScroll>
            <Table captionSide="top" aria-labelledby="providers-title">
              <caption id="providers-title">Providers</caption>
              <Table.Thead><Table.Tr><Table.Th scope="col">Provider</Table.Th><Table.Th scope="col">Nodes</Table.Th><Table.Th scope="col">Sync</Table.Th><Table.Th scope="col">Last sync</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {list.map((p) => {
                  const count = byProvider.get(p.id) ?? 0;
                  return (
                    <Table.Tr key={p.id}>
                      <Table.Td><Link to={`/providers/${p.id}`}>{p.name}</Link></Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Link to={`/nodes?providerId=${p.id}`}>{summary.data ? count : '…'}</Link>
                          <Progress value={(100 * count) / most} w={80} size="sm" aria-hidden="true" className="col-secondary" />
                        </Group>
                      </Table.Td>
                      <Table.Td><span className={`badge badge-${p.status}`} title={p.statusMessage ?? undefined}>{p.status}</span></Table.Td>
                      <Table.Td>{p.lastSyncAt ? <RelativeTime at={p.lastSyncAt} /> : 'never'}</Table.Td>
                    </Table.Tr>
                  );
                })}
                {providers.data && list.length === 0 && <Table.Tr><Table.Td colSpan={4}>No providers yet: <Link to="/providers">add one</Link>.</Table.Td></Table.Tr>}
              </Table.Tbody>
            </Table>
          </TableScroll>
        </Card>
      </SimpleGrid>
      <Card withBorder mb="md"><JobsPerHourChart /></Card>
      <BusiestNodes />
      {failed.data && <JobTable jobs={failed.data.items} caption="Failed jobs" />}
      {recent.data && <JobTable jobs={recent.data.items} caption="Recent jobs" />}
    </section>
  );
}
