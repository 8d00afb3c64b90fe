import type { Constellation } from '@overmind/sdk';
import { Button, Group, NumberInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useCloneConstellation, useDestroyConstellation, useUpdateConstellationSpec } from '../api/constellation-queries.js';
import { useProviders } from '../api/provider-queries.js';
import { ErrorNotice } from '../components/error-notice.js';

const countsOf = (c: Constellation) => Object.fromEntries(c.spec.tiers.map((t) => [t.name, t.count]));

function TierCounts({ counts, onChange }: { counts: Record<string, number>; onChange: (counts: Record<string, number>) => void }) {
  return (
    <Group>
      {Object.entries(counts).map(([tier, count]) => (
        <NumberInput key={tier} label={tier} min={0} max={1000} w={110} value={count} onChange={(v) => onChange({ ...counts, [tier]: typeof v === 'number' ? v : Number(v) || 0 })} />
      ))}
    </Group>
  );
}

/** New counts per tier: a new spec version, carried out by the next plan and apply. */
export function ScaleForm({ constellation }: { constellation: Constellation }) {
  const [counts, setCounts] = useState(() => countsOf(constellation));
  const update = useUpdateConstellationSpec(constellation.id);
  const changed = constellation.spec.tiers.some((t) => counts[t.name] !== t.count);
  return (
    <form
      aria-label="Scale"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate({ tiers: constellation.spec.tiers.map((t) => ({ ...t, count: counts[t.name] ?? t.count })) });
      }}
    >
      <Stack gap="xs">
        <Title order={2}>Scale</Title>
        <TierCounts counts={counts} onChange={setCounts} />
        <ErrorNotice error={update.error} />
        {update.data && <Text role="status">Version {update.data.latestVersion} saved: plan and apply to carry it out.</Text>}
        <Group><Button type="submit" disabled={!changed} loading={update.isPending}>Save new counts</Button></Group>
      </Stack>
    </form>
  );
}

/** A new constellation from this one's spec: another name, and optionally another provider, place, size, image or counts. */
export function CloneForm({ constellation }: { constellation: Constellation }) {
  const navigate = useNavigate();
  const providers = useProviders();
  const clone = useCloneConstellation(constellation.id);
  const [name, setName] = useState(`${constellation.name}-copy`.slice(0, 30));
  const [providerId, setProviderId] = useState<string | null>(null);
  const [machine, setMachine] = useState({ locationId: '', sizeId: '', imageId: '' });
  const [counts, setCounts] = useState(() => countsOf(constellation));
  const field = (key: keyof typeof machine, label: string) => (
    <TextInput label={label} value={machine[key]} onChange={(e) => setMachine({ ...machine, [key]: e.currentTarget.value })} maxLength={512} />
  );
  return (
    <form
      aria-label="Clone"
      onSubmit={(e) => {
        e.preventDefault();
        const m = Object.fromEntries(Object.entries({ providerId: providerId ?? '', ...machine }).filter(([, v]) => v !== ''));
        clone.mutate({ name, counts, ...(Object.keys(m).length > 0 ? { machine: m } : {}) }, { onSuccess: (c) => navigate(`/constellations/${c.id}`) });
      }}
    >
      <Stack gap="xs">
        <Title order={2}>Clone</Title>
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={30} />
        <Select label="Provider" placeholder="The same as each tier's" data={(providers.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))} value={providerId} onChange={setProviderId} clearable />
        <Group grow>{field('locationId', 'Location')}{field('sizeId', 'Size')}{field('imageId', 'Image')}</Group>
        <TierCounts counts={counts} onChange={setCounts} />
        <ErrorNotice error={clone.error} />
        <Group><Button type="submit" loading={clone.isPending} disabled={!name}>Clone</Button></Group>
      </Stack>
    </form>
  );
}

/** Destroys every member and balancer; the name typed out is the confirmation. */
export function DestroyForm({ constellation }: { constellation: Constellation }) {
  const navigate = useNavigate();
  const destroy = useDestroyConstellation(constellation.id);
  const [typed, setTyped] = useState('');
  return (
    <form
      aria-label="Destroy"
      onSubmit={(e) => {
        e.preventDefault();
        destroy.mutate(typed, { onSuccess: (job) => navigate(`/jobs/${job.id}`) });
      }}
    >
      <Stack gap="xs">
        <Title order={2}>Destroy</Title>
        <Text size="sm">Destroys every member and balancer of {constellation.name}. Type its name to confirm.</Text>
        <TextInput label="Name" placeholder={constellation.name} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} maxLength={30} />
        <ErrorNotice error={destroy.error} />
        <Group><Button type="submit" color="red" disabled={typed !== constellation.name} loading={destroy.isPending}>Destroy {constellation.name}</Button></Group>
      </Stack>
    </form>
  );
}
