import { Select, Stack, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useConstellationBalancers, useProviderBalancers } from '../api/balancer-queries.js';
import { useConstellations } from '../api/constellation-queries.js';
import { useProviders } from '../api/provider-queries.js';
import { BalancerTable } from '../components/balancer-table.js';
import { ErrorNotice } from '../components/error-notice.js';

/** Load balancers by provider or by constellation (`?provider=` / `?constellation=`), members with their health. */
export function BalancersPage() {
  const [params, setParams] = useSearchParams();
  const providerId = params.get('provider');
  const constellationId = params.get('constellation');
  const providers = useProviders();
  const constellations = useConstellations();
  const ofProvider = useProviderBalancers(providerId);
  const ofConstellation = useConstellationBalancers(constellationId);
  const pick = (key: 'provider' | 'constellation') => (value: string | null) => setParams(value ? { [key]: value } : {});
  return (
    <Stack>
      <Title order={1}>Balancers</Title>
      <Text c="dimmed" maw="48rem">
        A constellation tier with a <code>balancer</code> gets one: the provider's own load balancer, or HAProxy on a node
        of the tier's choosing where the provider has none. Pick a provider or a constellation to see its balancers and
        each member's health.
      </Text>
      <ErrorNotice error={providers.error ?? constellations.error ?? ofProvider.error ?? ofConstellation.error} />
      {(
        [
          ['provider', 'Provider', providerId, (providers.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))],
          ['constellation', 'Constellation', constellationId, (constellations.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))],
        ] as const
      ).map(([key, label, value, data]) => (
        <Select key={key} label={label} placeholder={`Pick a ${key}`} data={data} value={value} onChange={pick(key)} clearable searchable maw={420} />
      ))}
      {providerId && ofProvider.data && <BalancerTable balancers={ofProvider.data.items} label="Balancers of the provider" />}
      {constellationId && ofConstellation.data && <BalancerTable balancers={ofConstellation.data.items} label="Balancers of the constellation" />}
    </Stack>
  );
}
