import { Button, Checkbox, Group, Select, Stack, Tabs, TagsInput, TextInput, Title } from '@mantine/core';
import { OvermindApiError, type ProviderType } from '@overmind/sdk';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useRegisterNode } from '../api/dedicated-queries.js';
import { useProviders, useProviderTypes } from '../api/provider-queries.js';
import { BulkRegistration } from '../components/bulk-registration.js';
import { ErrorNotice } from '../components/error-notice.js';
import { HostKeyPinningNote, RegistrationFields } from '../components/registration-fields.js';
import { messagesByPath, valueOf, type FormState, type NestedSchema } from '../components/registration-values.js';
import { useUrlFilters } from '../components/use-url-filters.js';

/** Provider types that register existing servers, with the schema their registration follows. */
export const registeringTypes = (types: ProviderType[] | undefined) =>
  (types ?? []).filter((t) => t.capabilities.includes('registerNode') && t.registrationSchema);

function SingleRegistration({ providerId, schema }: { providerId: string; schema: NestedSchema }) {
  const navigate = useNavigate();
  const register = useRegisterNode(providerId);
  const [name, setName] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [installAgent, setInstallAgent] = useState(false);
  const [state, setState] = useState<FormState>({});
  const apiErrors = register.error instanceof OvermindApiError ? register.error.errors : [];
  const messages = messagesByPath(apiErrors, 'body.registration');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = { name: name.trim(), registration: valueOf(schema, state) ?? {}, ...(tags.length ? { tags } : {}), ...(installAgent ? { installAgent: true } : {}) };
    register.mutate({ body }, { onSuccess: (job) => void navigate(`/nodes/${job.targetId}`) });
  };
  return (
    <form onSubmit={submit} aria-label="Register a server">
      <Stack gap="sm" maw={640}>
        <TextInput id="reg-name" label="Name" required maxLength={63} autoComplete="off" value={name} onChange={(e) => setName(e.currentTarget.value)}
          error={messagesByPath(apiErrors, 'body')['name']?.join('; ')} description="Letters, digits, dot, dash, underscore" />
        <TagsInput label="Tags" value={tags} onChange={setTags} placeholder="rack-a, web" />
        <RegistrationFields schema={schema} state={state} onChange={setState} path="" messages={messages} />
        <HostKeyPinningNote />
        <Checkbox label="Install the Overmind agent once it is registered" checked={installAgent} onChange={(e) => setInstallAgent(e.currentTarget.checked)} />
        <ErrorNotice error={register.error} />
        <Group><Button type="submit" loading={register.isPending}>Register server</Button></Group>
      </Stack>
    </form>
  );
}

/** Registers existing servers with a provider that manages them (dedicated): one through a form generated from its schema, or a list. */
export function ServerRegisterPage() {
  const [params, update] = useUrlFilters();
  const providers = useProviders();
  const types = useProviderTypes();
  const registering = registeringTypes(types.data?.items);
  const candidates = (providers.data?.items ?? []).filter((p) => registering.some((t) => t.kind === p.type));
  const providerId = params.get('provider') ?? (candidates.length === 1 ? candidates[0]!.id : null);
  const provider = candidates.find((p) => p.id === providerId);
  const schema = registering.find((t) => t.kind === provider?.type)?.registrationSchema as NestedSchema | undefined;
  const tab = params.get('tab') === 'bulk' ? 'bulk' : 'one';
  const set = (key: string, value: string | null) => update({ [key]: value ?? '' });
  return (
    <Stack>
      <Title order={1}>Register servers</Title>
      <ErrorNotice error={providers.error ?? types.error} />
      {providers.data && types.data && candidates.length === 0 && (
        <p>
          No provider registers existing servers yet: first <Link to="/providers">add a provider</Link> of
          type <strong>{registering.map((t) => t.displayName).join(' or ') || 'Dedicated servers'}</strong>.
        </p>
      )}
      {candidates.length > 0 && (
        <Select label="Provider" required maw={420} data={candidates.map((p) => ({ value: p.id, label: p.name }))} value={providerId} onChange={(v) => set('provider', v)}
          placeholder="choose a provider" allowDeselect={false} />
      )}
      {provider && schema && (
        <Tabs value={tab} onChange={(v) => set('tab', v === 'bulk' ? 'bulk' : null)} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="one">One server</Tabs.Tab>
            <Tabs.Tab value="bulk">A list or CSV</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="one" pt="md"><SingleRegistration key={provider.id} providerId={provider.id} schema={schema} /></Tabs.Panel>
          <Tabs.Panel value="bulk" pt="md"><BulkRegistration key={provider.id} providerId={provider.id} /></Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}
