import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { ConstellationGuarantee } from '@overmind/sdk';
import { Link } from 'react-router';
import { useConstellationGuarantee, useResetGuarantee } from '../api/constellation-queries.js';
import { hasRole } from '../api/session-store.js';
import { useSession } from '../session-context.js';
import { ErrorNotice } from './error-notice.js';

type Tier = ConstellationGuarantee['tiers'][number];

const STATUS_COLOR: Record<Tier['members'][number]['status'], string> = { healthy: 'green', unhealthy: 'red', remediating: 'orange', busy: 'gray' };
const OUTCOME_COLOR: Record<string, string> = { recovered: 'green', replaced: 'green', ineffective: 'yellow', failed: 'red' };
const when = (at: string | null) => (at ? new Date(at).toLocaleString() : '—');

function TierGuarantee({ constellationId, tier }: { constellationId: string; tier: Tier }) {
  const session = useSession();
  const reset = useResetGuarantee(constellationId);
  const p = tier.policy;
  return (
    <Stack gap="xs">
      <Group gap="sm">
        <Title order={3}>{tier.tier}</Title>
        <Badge color={tier.breaker === 'open' ? 'red' : 'green'}>{tier.breaker === 'open' ? 'breaker tripped' : 'guarded'}</Badge>
        <Text size="sm" c="dimmed">
          Ladder {p.remediation.join(' → ')}; grace {p.gracePeriodSeconds} s; at most {p.maxUnavailable} at once; {tier.recentFailures} of {p.breakerFailures} failures in {p.breakerWindowSeconds} s
        </Text>
      </Group>
      {tier.breaker === 'open' && (
        <Alert color="red" title="Remediation stopped" role="alert">
          <Text size="sm">{tier.trippedReason} (since {when(tier.trippedAt)}).</Text>
          {hasRole(session, 'operator') && (
            <Button mt="xs" color="red" loading={reset.isPending} onClick={() => reset.mutate(tier.tier)}>Reset breaker</Button>
          )}
          <ErrorNotice error={reset.error} />
        </Alert>
      )}
      <Table aria-label={`Guarantee ${tier.tier}`}>
        <Table.Thead>
          <Table.Tr><Table.Th>Key</Table.Th><Table.Th>Status</Table.Th><Table.Th>Why</Table.Th><Table.Th>Since</Table.Th><Table.Th>Step</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tier.members.map((m) => (
            <Table.Tr key={m.nodeId}>
              <Table.Td><Link to={`/nodes/${m.nodeId}`}>{m.key}</Link></Table.Td>
              <Table.Td><Badge color={STATUS_COLOR[m.status]}>{m.status}</Badge></Table.Td>
              <Table.Td>{m.reason ?? '—'}</Table.Td>
              <Table.Td>{when(m.unhealthySince)}</Table.Td>
              <Table.Td>
                {m.inFlight ? <>{m.inFlight.step}{m.inFlight.jobId && <> (<Link to={`/jobs/${m.inFlight.jobId}`}>job</Link>)</>}</>
                  : m.nextStep ? `next: ${m.nextStep}${m.nextAttemptAt ? ` after ${when(m.nextAttemptAt)}` : ''}` : '—'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {tier.attempts.length > 0 && (
        <Table aria-label={`Steps ${tier.tier}`}>
          <Table.Thead>
            <Table.Tr><Table.Th>Started</Table.Th><Table.Th>Member</Table.Th><Table.Th>Step</Table.Th><Table.Th>Outcome</Table.Th><Table.Th>Detail</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tier.attempts.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{when(a.startedAt)}</Table.Td>
                <Table.Td>{a.key}</Table.Td>
                <Table.Td>{a.jobId ? <Link to={`/jobs/${a.jobId}`}>{a.step}</Link> : a.step}</Table.Td>
                <Table.Td>{a.outcome ? <Badge color={OUTCOME_COLOR[a.outcome]}>{a.outcome}</Badge> : 'in progress'}</Table.Td>
                <Table.Td>{a.detail ?? a.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** The service guarantee of the tiers with a health policy: members' health, steps, the circuit breaker. */
export function ConstellationGuaranteeSection({ constellationId }: { constellationId: string }) {
  const guarantee = useConstellationGuarantee(constellationId);
  if (guarantee.error) return <ErrorNotice error={guarantee.error} />;
  const tiers = guarantee.data?.tiers ?? [];
  if (tiers.length === 0) return null;
  return (
    <Stack gap="md" mt="md">
      <Title order={2}>Service guarantee</Title>
      {tiers.map((t) => <TierGuarantee key={t.tier} constellationId={constellationId} tier={t} />)}
    </Stack>
  );
}
