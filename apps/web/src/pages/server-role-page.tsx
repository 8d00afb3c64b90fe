import { Anchor, Badge, Button, Code, Group, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { Job } from '@overmind/sdk';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useNodeDetails } from '../api/node-names.js';
import { useProvider } from '../api/provider-queries.js';
import { hasRole } from '../api/session-store.js';
import { useApplyServerRole, useCreateNodesFromRole, useDeleteServerRole, useServerRole } from '../api/server-role-queries.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { ErrorNotice } from '../components/error-notice.js';
import { StateBadge } from '../components/state-badge.js';
import { useSession } from '../session-context.js';

/** Creates N nodes of the role; each job links to its new node. */
function CreateNodes({ roleId, roleName }: { roleId: string; roleName: string }) {
  const create = useCreateNodesFromRole(roleId);
  const [count, setCount] = useState<number | string>(1);
  const [prefix, setPrefix] = useState('');
  const [jobs, setJobs] = useState<Job[]>([]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ count: Number(count) || 1, ...(prefix.trim() ? { namePrefix: prefix.trim() } : {}) }, { onSuccess: (answer) => setJobs(answer.jobs) });
  };
  return (
    <Paper withBorder p="sm">
      <form onSubmit={submit} aria-label="Create nodes from this role">
        <Group align="end">
          <NumberInput label="Nodes to create" min={1} max={50} w={140} value={count} onChange={setCount} />
          <TextInput label="Name prefix" placeholder={roleName} value={prefix} onChange={(e) => setPrefix(e.currentTarget.value)} />
          <Button type="submit" loading={create.isPending}>Create</Button>
        </Group>
      </form>
      <ErrorNotice error={create.error} />
      {jobs.length > 0 && (
        <Text size="sm" mt="xs" role="status">
          {jobs.length} node{jobs.length === 1 ? '' : 's'} queued; each is created, then configured:{' '}
          {jobs.map((j, i) => <span key={j.id}>{i > 0 && ', '}<Anchor component={Link} to={`/nodes/${j.targetId}`}>node {i + 1}</Anchor> (<Anchor component={Link} to={`/jobs/${j.id}`}>job</Anchor>)</span>)}
        </Text>
      )}
    </Paper>
  );
}

/** The role's nodes with their state, addresses and configuration mode (live: node events update their details). */
function RoleNodesTable({ ids, roleMode }: { ids: string[]; roleMode: string }) {
  const nodes = useNodeDetails(ids);
  return (
    <Table aria-label="Nodes of this role" striped>
      <Table.Thead><Table.Tr><Table.Th>Node</Table.Th><Table.Th>State</Table.Th><Table.Th>Addresses</Table.Th><Table.Th>Mode</Table.Th></Table.Tr></Table.Thead>
      <Table.Tbody>
        {ids.map((nodeId) => {
          const n = nodes.get(nodeId);
          return (
            <Table.Tr key={nodeId}>
              <Table.Td><Anchor component={Link} to={`/nodes/${nodeId}`}>{n?.name ?? nodeId}</Anchor></Table.Td>
              <Table.Td>{n ? <StateBadge state={n.state} /> : '—'}</Table.Td>
              <Table.Td>{n ? [...n.publicIps, ...n.privateIps].join(', ') || '—' : '—'}</Table.Td>
              <Table.Td><Badge variant="outline">{n?.configMode ?? roleMode}</Badge></Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/** A server role: what it is, its nodes, and (operators) create nodes, re-apply it to all of them, edit, delete. */
export function ServerRolePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const operator = hasRole(useSession(), 'operator');
  const role = useServerRole(id);
  const provider = useProvider(role.data?.providerId);
  const apply = useApplyServerRole(id);
  const remove = useDeleteServerRole();
  const [concurrency, setConcurrency] = useState<number | string>(5);
  if (role.error) return <ErrorNotice error={role.error} />;
  if (!role.data) return <p aria-busy="true">Loading…</p>;
  const r = role.data;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{r.name}</Title>
        {operator && (
          <Group>
            <Button variant="default" component={Link} to={`/configuration/roles/${r.id}/edit`}>Edit</Button>
            <ConfirmButton label="Delete role" danger disabled={remove.isPending} question={<>Delete <strong>{r.name}</strong>? Its nodes stay.</>}
              onConfirm={() => remove.mutate(r.id, { onSuccess: () => void navigate('/configuration/roles') })} />
          </Group>
        )}
      </Group>
      <ErrorNotice error={remove.error} />
      <dl className="facts">
        <dt>Provider</dt><dd>{provider.data?.name ?? r.providerId}</dd>
        <dt>Location / size / image</dt><dd>{r.locationId} / {r.sizeId} / {r.imageId}</dd>
        <dt>Run list</dt><dd>{r.runList.map((i) => <Code key={i} mr={4}>{i}</Code>)}</dd>
        <dt>Environment</dt><dd>{r.environment ?? '—'}</dd>
        <dt>Configuration</dt><dd>{r.configMode === 'push' ? 'push (over SSH)' : `pull (each node's agent)${r.convergeIntervalSeconds ? `, again every ${r.convergeIntervalSeconds} s` : ''}`}</dd>
        <dt>SSH</dt><dd>user {r.ssh.username}, port {r.ssh.port}{r.ssh.hasPrivateKey ? ', key stored' : ''}</dd>
        <dt>Secret attributes</dt><dd>{r.secretAttributeKeys.join(', ') || '—'}</dd>
      </dl>
      <Title order={2} size="h4">Attributes</Title>
      <Code block>{JSON.stringify(r.attributes, null, 2)}</Code>
      {operator && <CreateNodes roleId={r.id} roleName={r.name} />}
      <Group justify="space-between" align="end">
        <Title order={2} size="h4">Nodes running this role ({r.nodeIds.length})</Title>
        {operator && r.nodeIds.length > 0 && (
          <Group align="end">
            <NumberInput label="At a time" min={1} max={50} w={100} value={concurrency} onChange={setConcurrency} />
            <Button onClick={() => apply.mutate(Number(concurrency) || 5, { onSuccess: (job) => void navigate(`/jobs/${job.id}`) })} loading={apply.isPending}>
              Re-apply to all {r.nodeIds.length}
            </Button>
          </Group>
        )}
      </Group>
      <ErrorNotice error={apply.error} />
      {r.nodeIds.length === 0
        ? <Text size="sm">No node runs it yet: create nodes above, or give an existing node this role on its page.</Text>
        : <RoleNodesTable ids={r.nodeIds} roleMode={r.configMode} />}
      <Text size="sm" c="dimmed">A single node is re-applied from its own page (Configure), with its converge log live on the job page.</Text>
    </Stack>
  );
}
