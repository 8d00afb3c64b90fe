import { Alert, Badge, Button, Checkbox, Code, Group, Modal, Select, Stack, Table, Text, Title } from '@mantine/core';
import type { Job, Node } from '@overmind/sdk';
import { useState } from 'react';
import { Link } from 'react-router';
import { hostKeyChange, useAcceptHostKey, useServerJob, type BootDevice } from '../api/dedicated-queries.js';
import { isFinished, useJob, useJobs } from '../api/job-queries.js';
import { ErrorNotice } from './error-notice.js';

interface Sensor { name: string; value: number | null; unit: string | null; status: 'ok' | 'warning' | 'critical' | 'unknown' }
const STATUS_COLOR = { ok: 'green', warning: 'yellow', critical: 'red', unknown: 'gray' } as const;

/** A job started from this section, followed until it ends (job events refetch it). */
function JobStatus({ job, done }: { job: Job | undefined; done: (job: Job) => string }) {
  if (!job) return null;
  if (!isFinished(job.state)) return <Text size="sm" role="status">{job.type} {job.state}… <Link to={`/jobs/${job.id}`}>log</Link></Text>;
  if (job.state !== 'succeeded') return <Text size="sm" c="red" role="status">{job.type} {job.state}: {job.error ?? ''} <Link to={`/jobs/${job.id}`}>log</Link></Text>;
  return <Text size="sm" role="status">{done(job)}</Text>;
}

function Sensors({ job }: { job: Job }) {
  const sensors = (job.result?.sensors ?? []) as Sensor[];
  if (sensors.length === 0) return <Text size="sm">The BMC reported no sensors.</Text>;
  return (
    <Table aria-label="Sensors" striped maw={640}>
      <Table.Thead><Table.Tr><Table.Th>Sensor</Table.Th><Table.Th>Reading</Table.Th><Table.Th>Status</Table.Th></Table.Tr></Table.Thead>
      <Table.Tbody>
        {sensors.map((s) => (
          <Table.Tr key={s.name}>
            <Table.Td>{s.name}</Table.Td>
            <Table.Td>{s.value === null ? '—' : `${s.value}${s.unit ? ` ${s.unit}` : ''}`}</Table.Td>
            <Table.Td><Badge color={STATUS_COLOR[s.status] ?? 'gray'}>{s.status}</Badge></Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Pinned vs presented fingerprint, and the re-pin after the operator says they checked it. */
function HostKeyChange({ nodeId, pinned, presented, operator }: { nodeId: string; pinned: string; presented: string; operator: boolean }) {
  const accept = useAcceptHostKey(nodeId);
  const [open, setOpen] = useState(false);
  const [checked, setChecked] = useState(false);
  return (
    <div role="region" aria-label="Host key change">
    <Alert color="red" title="The server presented another SSH host key">
      <Stack gap="xs">
        <Text size="sm">Nothing was sent to it: every SSH job stops until the change is checked. A reinstall changes the key; an unexpected change may mean someone is intercepting the connection.</Text>
        <Table aria-label="Host keys" maw={720}>
          <Table.Tbody>
            <Table.Tr><Table.Th>Pinned</Table.Th><Table.Td><Code data-fingerprint="pinned">{pinned}</Code></Table.Td></Table.Tr>
            <Table.Tr><Table.Th>Presented</Table.Th><Table.Td><Code data-fingerprint="presented">{presented}</Code></Table.Td></Table.Tr>
          </Table.Tbody>
        </Table>
        {operator && <Group><Button color="red" variant="outline" onClick={() => setOpen(true)}>Accept the new key…</Button></Group>}
        <ErrorNotice error={accept.error} />
      </Stack>
      <Modal opened={open} onClose={() => setOpen(false)} title="Pin the presented host key">
        <Stack>
          <Text size="sm">On the server's own console (not over SSH), <Code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</Code> must print <Code>{presented}</Code>.</Text>
          <Checkbox label="I checked the fingerprint on the server's console" checked={checked} onChange={(e) => setChecked(e.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>Cancel</Button>
            <Button color="red" disabled={!checked} loading={accept.isPending}
              onClick={() => accept.mutate(presented, { onSuccess: () => setOpen(false) })}>Pin {presented.slice(0, 16)}…</Button>
          </Group>
        </Stack>
      </Modal>
    </Alert>
    </div>
  );
}

/**
 * A registered server (dedicated provider): its SSH host key (with the change flow when a job found
 * another), its BMC's sensors and next boot device, and gathering facts again. Observers see, operators act.
 */
export function NodeServerSection({ node, operator }: { node: Pick<Node, 'id' | 'extra' | 'destroyedAt' | 'decommissionedAt'>; operator: boolean }) {
  const jobs = useJobs({ target: node.id, limit: 20 });
  const work = useServerJob(node.id);
  const [started, setStarted] = useState<Record<string, string>>({});
  const sensorsJob = useJob(started.sensors ?? '');
  const bootJob = useJob(started.boot ?? '');
  const factsJob = useJob(started.facts ?? '');
  const [device, setDevice] = useState<BootDevice>('pxe');
  const pinned = typeof node.extra.hostKeyFingerprint === 'string' ? node.extra.hostKeyFingerprint : null;
  const bmc = node.extra.bmc as { type: string; endpoint: string } | null | undefined;
  // The newest failed job that names a changed key, unless that key is pinned since.
  const change = (jobs.data?.items ?? []).filter((j) => j.state === 'failed').map((j) => hostKeyChange(j.error)).find(Boolean);
  const live = node.destroyedAt === null && node.decommissionedAt === null;
  const start = (slot: string, job: Parameters<typeof work.mutate>[0]) => work.mutate(job, { onSuccess: (j) => setStarted((s) => ({ ...s, [slot]: j.id })) });
  return (
    <section aria-labelledby="node-server-title">
      <Title order={2} id="node-server-title">Server</Title>
      <Stack gap="sm">
        <Text size="sm">SSH host key: {pinned ? <Code data-fingerprint="current">{pinned}</Code> : 'not pinned yet (pinned on the first connection)'}</Text>
        {change && change.presented !== pinned && <HostKeyChange nodeId={node.id} pinned={pinned ?? change.pinned} presented={change.presented} operator={operator && live} />}
        {operator && live && (
          <Group>
            <Button variant="default" onClick={() => start('facts', { kind: 'facts' })} disabled={work.isPending}>Gather facts again</Button>
            <JobStatus job={started.facts ? factsJob.data : undefined} done={() => 'Facts gathered.'} />
          </Group>
        )}
        <Text size="sm">BMC: {bmc ? `${bmc.type === 'ipmi' ? 'IPMI' : 'Redfish'} at ${bmc.endpoint}` : 'none registered (power actions and sensors need one)'}</Text>
        {bmc && operator && live && (
          <>
            <Group align="end">
              <Button variant="default" onClick={() => start('sensors', { kind: 'sensors' })} disabled={work.isPending}>Read sensors</Button>
              <Select label="Next boot device" w={160} data={[{ value: 'pxe', label: 'Network (PXE)' }, { value: 'disk', label: 'Disk' }, { value: 'bios', label: 'BIOS setup' }]}
                value={device} onChange={(v) => v && setDevice(v as BootDevice)} allowDeselect={false} />
              <Button variant="default" onClick={() => start('boot', { kind: 'boot-device', device })} disabled={work.isPending}>Set boot device</Button>
            </Group>
            <JobStatus job={started.boot ? bootJob.data : undefined} done={() => 'The next boot uses the chosen device.'} />
            <JobStatus job={started.sensors ? sensorsJob.data : undefined} done={() => 'Sensors read just now:'} />
            {sensorsJob.data?.state === 'succeeded' && started.sensors && <Sensors job={sensorsJob.data} />}
          </>
        )}
        <ErrorNotice error={work.error ?? jobs.error} />
      </Stack>
    </section>
  );
}
