import { Button, Group, JsonInput, MultiSelect, NumberInput, SegmentedControl, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { OvermindApiError, type CreateServerRoleBody, type NodeConfigMode, type ServerRole } from '@overmind/sdk';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useCatalog } from '../api/catalog-queries.js';
import { useKitchen } from '../api/kitchen-queries.js';
import { useProviders } from '../api/provider-queries.js';
import { useSaveServerRole, useServerRole } from '../api/server-role-queries.js';
import { favouritesFirst, priceLabel, sizeSpecs, smallestFirst } from '../components/catalog-labels.js';
import { ErrorNotice } from '../components/error-notice.js';
import { messagesByPath } from '../components/registration-values.js';
import { SecretAttributesField, secretPatch, secretRows } from '../components/secret-attributes-field.js';

const json = (v: unknown) => JSON.stringify(v, null, 2);

/** A JSON object typed in an editor, or the reason it is not one. */
export function parseObject(text: string): { value?: Record<string, unknown>; error?: string } {
  if (!text.trim()) return { value: {} };
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { value: value as Record<string, unknown> } : { error: 'Must be a JSON object: { "key": value }' };
  } catch (err) {
    return { error: `Not valid JSON: ${(err as Error).message}` };
  }
}

function RoleForm({ role }: { role?: ServerRole }) {
  const navigate = useNavigate();
  const save = useSaveServerRole(role?.id);
  const providers = useProviders();
  const kitchen = useKitchen();
  const [form, setForm] = useState({
    name: role?.name ?? '', providerId: role?.providerId ?? '', locationId: role?.locationId ?? '', sizeId: role?.sizeId ?? '', imageId: role?.imageId ?? '',
    runList: role?.runList ?? [], environment: role?.environment ?? '', configMode: (role?.configMode ?? 'push') as NodeConfigMode,
    convergeIntervalSeconds: role?.convergeIntervalSeconds ?? ('' as number | ''),
    attributes: role ? json(role.attributes) : '{}', cmSettings: role ? json(role.cm.settings) : '{}',
    sshUsername: role?.ssh.username ?? 'root', sshPort: role?.ssh.port ?? 22, privateKey: '', publicKey: role?.ssh.publicKey ?? '',
  });
  const [secrets, setSecrets] = useState(() => secretRows(role?.secretAttributeKeys ?? []));
  const [imageSearch, setImageSearch] = useState('');
  const set = <K extends keyof typeof form>(key: K) => (value: (typeof form)[K]) => setForm((f) => ({ ...f, [key]: value }));
  const provider = form.providerId || undefined;
  const locations = useCatalog(provider, 'locations');
  const sizes = useCatalog(provider, 'sizes');
  const images = useCatalog(provider, 'images', { search: imageSearch });
  const attributes = parseObject(form.attributes);
  const cmSettings = parseObject(form.cmSettings);
  const errors = messagesByPath(save.error instanceof OvermindApiError ? save.error.errors : [], 'body');
  const err = (path: string) => errors[path]?.join('; ');
  // The run list offers the kitchen's roles and recipes, and keeps what the role has even if the kitchen no longer does.
  const runListOptions = [...new Set([...(kitchen.data?.roles ?? []).map((r) => `role[${r.name}]`), ...(kitchen.data?.recipes ?? []).map((r) => `recipe[${r.name}]`), ...form.runList])];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (attributes.error || cmSettings.error) return;
    const ssh = form.privateKey.trim()
      ? { ssh: { username: form.sshUsername, port: Number(form.sshPort) || 22, privateKey: form.privateKey, ...(form.publicKey.trim() ? { publicKey: form.publicKey.trim() } : {}) } }
      : {};
    const secretChanges = secretPatch(secrets);
    const body = {
      ...(Object.keys(secretChanges).length ? { secretAttributes: secretChanges } : {}),
      name: form.name.trim(), locationId: form.locationId, sizeId: form.sizeId, imageId: form.imageId, runList: form.runList,
      attributes: attributes.value, environment: form.environment || null, cm: { kind: 'chef-solo' as const, settings: cmSettings.value ?? {} },
      configMode: form.configMode, convergeIntervalSeconds: form.convergeIntervalSeconds === '' ? null : Number(form.convergeIntervalSeconds), ...ssh,
    };
    save.mutate(role ? body : ({ ...body, providerId: form.providerId } as CreateServerRoleBody), { onSuccess: (saved) => void navigate(`/configuration/roles/${saved.id}`) });
  };
  const catalogPlaceholder = (loading: boolean, what: string) => (!provider ? 'choose a provider first' : loading ? 'loading…' : `choose ${what}`);
  return (
    <form onSubmit={submit} aria-label={role ? 'Edit server role' : 'New server role'}>
      <Stack gap="sm" maw={760}>
        <TextInput label="Name" required description="Also the prefix of the nodes made from it (name-1, name-2…)" value={form.name} onChange={(e) => set('name')(e.currentTarget.value)} error={err('name')} />
        <Select label="Provider" required disabled={!!role} data={(providers.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))} value={form.providerId || null}
          onChange={(v) => setForm((f) => ({ ...f, providerId: v ?? '', locationId: '', sizeId: '', imageId: '' }))} error={err('providerId')} description={role ? 'A role keeps its provider' : undefined} />
        <Group grow align="start">
          <Select label="Location" required searchable disabled={!provider} placeholder={catalogPlaceholder(locations.isLoading, 'a location')}
            data={(locations.data?.items ?? []).map((l) => ({ value: l.id, label: l.name }))} value={form.locationId || null} onChange={(v) => set('locationId')(v ?? '')} error={err('locationId')} />
          <Select label="Size" required searchable disabled={!provider} placeholder={catalogPlaceholder(sizes.isLoading, 'a size')}
            data={smallestFirst(sizes.data?.items ?? []).map((s) => ({ value: s.id, label: [s.name, sizeSpecs(s), priceLabel(s)].filter(Boolean).join(' — ') }))} value={form.sizeId || null} onChange={(v) => set('sizeId')(v ?? '')} error={err('sizeId')} />
        </Group>
        <Select label="Image" required searchable disabled={!provider} placeholder={catalogPlaceholder(images.isLoading, 'an image')} searchValue={imageSearch} onSearchChange={setImageSearch}
          data={favouritesFirst(images.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.favourite ? '★ ' : ''}${i.name}` }))} value={form.imageId || null} onChange={(v) => set('imageId')(v ?? '')} error={err('imageId')} />
        <MultiSelect label="Run list" description={kitchen.data?.uploaded ? 'In order; from the kitchen' : 'Upload a kitchen first: the run list is picked from it'} searchable
          data={runListOptions} value={form.runList} onChange={set('runList')} error={err('runList')} />
        <Select label="Environment" clearable data={(kitchen.data?.environments ?? []).map((e) => e.name)} value={form.environment || null} onChange={(v) => set('environment')(v ?? '')} error={err('environment')} />
        <JsonInput label="Attributes" description="Node attributes, a JSON object; every observer can read them (secrets go below)" rows={4} formatOnBlur
          value={form.attributes} onChange={set('attributes')} error={attributes.error ?? err('attributes')} />
        <SecretAttributesField rows={secrets} onChange={setSecrets} errorFor={(path) => (path ? err(`secretAttributes.${path}`) : undefined)} />
        <JsonInput label="Chef-solo settings" description='e.g. { "chefSoloCommand": "/opt/chef/bin/chef-solo", "sudo": true }' rows={2} formatOnBlur
          value={form.cmSettings} onChange={set('cmSettings')} error={cmSettings.error ?? err('cm')} />
        <div>
          <Text size="sm" fw={500} id="role-mode-label">Configuration</Text>
          <SegmentedControl aria-labelledby="role-mode-label" value={form.configMode} onChange={(v) => set('configMode')(v as NodeConfigMode)}
            data={[{ value: 'push', label: 'Push (over SSH)' }, { value: 'pull', label: 'Pull (each node\'s agent)' }]} />
        </div>
        {form.configMode === 'pull' && (
          <NumberInput label="Converge again every (seconds)" description="Empty: only when asked. At least 300." min={300} max={604_800} w={280}
            value={form.convergeIntervalSeconds} onChange={(v) => set('convergeIntervalSeconds')(v === '' ? '' : Number(v))} error={err('convergeIntervalSeconds')} />
        )}
        <Group grow align="start">
          <TextInput label="SSH user" required value={form.sshUsername} onChange={(e) => set('sshUsername')(e.currentTarget.value)} error={err('ssh.username')} />
          <NumberInput label="SSH port" min={1} max={65535} value={form.sshPort} onChange={(v) => set('sshPort')(Number(v) || 22)} />
        </Group>
        <Textarea label="SSH private key" required={!role} className="secret-text" rows={3} spellCheck={false} autoComplete="off"
          description={role?.ssh.hasPrivateKey ? 'Stored and never shown; leave empty to keep it' : 'Reaches the nodes made from this role; stored sealed, never shown'}
          value={form.privateKey} onChange={(e) => set('privateKey')(e.currentTarget.value)} error={err('ssh.privateKey') ?? err('ssh')} />
        <Textarea label="SSH public key" description="Installed on new nodes by their provider (optional)" rows={1} spellCheck={false}
          value={form.publicKey} onChange={(e) => set('publicKey')(e.currentTarget.value)} error={err('ssh.publicKey')} />
        <ErrorNotice error={save.error ?? providers.error ?? kitchen.error} />
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!!attributes.error || !!cmSettings.error}>{role ? 'Save role' : 'Create role'}</Button>
          <Button variant="default" component={Link} to={role ? `/configuration/roles/${role.id}` : '/configuration/roles'}>Cancel</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** `/configuration/roles/new` and `/configuration/roles/:id/edit`. Operators only. */
export function ServerRoleFormPage() {
  const { id } = useParams();
  const role = useServerRole(id);
  if (id && !role.data) return role.error ? <ErrorNotice error={role.error} /> : <p aria-busy="true">Loading…</p>;
  return (
    <Stack>
      <Title order={1}>{role.data ? `Edit ${role.data.name}` : 'New server role'}</Title>
      <RoleForm key={role.data?.id ?? 'new'} role={role.data} />
    </Stack>
  );
}
