import { newIdempotencyKey } from '@overmind/sdk';
import { useRef, useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { useCatalog } from '../api/catalog-queries.js';
import { batchNames, MAX_CREATE_COUNT, useCreateNodes } from '../api/node-bulk-queries.js';
import { useProviders } from '../api/provider-queries.js';
import { hasRole } from '../api/session-store.js';
import { favouritesFirst, priceLabel, sizeSpecs, smallestFirst } from '../components/catalog-labels.js';
import { ErrorNotice } from '../components/error-notice.js';
import { FormField } from '../components/form-field.js';
import { NetworkFields, networkBody, NO_NETWORK_CHOICE, type NetworkChoice } from '../components/network-fields.js';
import { fieldMessages } from '../components/schema-fields.js';
import { useSession } from '../session-context.js';

const EMPTY = { providerId: '', locationId: '', sizeId: '', imageId: '', name: '', count: '1', sshPublicKey: '' };

/** Creates one to ten nodes: provider first, then what that provider offers. Operators only. */
export function NodeCreatePage() {
  const session = useSession();
  const navigate = useNavigate();
  const [form, setForm] = useState(EMPTY);
  const [imageSearch, setImageSearch] = useState('');
  const [network, setNetwork] = useState<NetworkChoice>(NO_NETWORK_CHOICE);
  const providers = useProviders();
  const provider = form.providerId || undefined;
  const locations = useCatalog(provider, 'locations');
  const sizes = useCatalog(provider, 'sizes');
  const images = useCatalog(provider, 'images', { search: imageSearch });
  const networks = useCatalog(provider, 'networks');
  const create = useCreateNodes();
  // One idempotency key per batch as submitted: submitting the same values again (a double click, a
  // retry after an error) reuses it, so no node is made twice; changed values get a new key.
  const batch = useRef<{ values: string; key: string; sending: boolean } | null>(null);
  if (!hasRole(session, 'operator')) return <Navigate to="/nodes" replace />;

  const errors = fieldMessages(create.error, 'body');
  const set = (key: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const count = Math.min(MAX_CREATE_COUNT, Math.max(1, Number(form.count) || 1));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // A second click that came before the button showed as disabled is dropped here (the key would
    // make it harmless, but its answer would wait for the first batch to finish).
    if (batch.current?.sending) return;
    const { count: _count, sshPublicKey, ...fields } = form;
    const body = { ...fields, ...(sshPublicKey.trim() ? { sshPublicKey: sshPublicKey.trim() } : {}), ...networkBody(network) };
    const values = JSON.stringify([body, count]);
    if (batch.current?.values !== values) batch.current = { values, key: newIdempotencyKey(), sending: false };
    const current = batch.current;
    current.sending = true;
    create.mutate(
      { body, count, idempotencyKey: current.key },
      { onSuccess: () => void navigate('/nodes'), onSettled: () => void (current.sending = false) },
    );
  };
  const placeholder = (loading: boolean, what: string) => <option value="">{!provider ? 'choose a provider first' : loading ? 'loading…' : `choose ${what}`}</option>;

  return (
    <section>
      <h1>Create nodes</h1>
      <form className="card form" onSubmit={submit} aria-label="Create nodes">
        <FormField id="node-provider" label="Provider *" errors={errors.providerId}>
          <select required value={form.providerId} onChange={(e) => { setForm({ ...EMPTY, name: form.name, count: form.count, sshPublicKey: form.sshPublicKey, providerId: e.target.value }); setNetwork(NO_NETWORK_CHOICE); create.reset(); }}>
            <option value="">choose a provider</option>
            {providers.data?.items.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </FormField>
        <FormField id="node-location" label="Location *" errors={errors.locationId}>
          <select required disabled={!provider} value={form.locationId} onChange={set('locationId')}>
            {placeholder(locations.isLoading, 'a location')}
            {locations.data?.items.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
          </select>
        </FormField>
        <FormField id="node-size" label="Size *" errors={errors.sizeId}>
          <select required disabled={!provider} value={form.sizeId} onChange={set('sizeId')}>
            {placeholder(sizes.isLoading, 'a size')}
            {smallestFirst(sizes.data?.items ?? []).map((s) => <option key={s.id} value={s.id}>{[s.name, sizeSpecs(s), priceLabel(s)].filter(Boolean).join(' — ')}</option>)}
          </select>
        </FormField>
        <FormField id="node-image-search" label="Search images" help="Favourites (★) come first.">
          <input type="search" disabled={!provider} value={imageSearch} onChange={(e) => setImageSearch(e.target.value)} />
        </FormField>
        <FormField id="node-image" label="Image *" errors={errors.imageId}>
          <select required disabled={!provider} value={form.imageId} onChange={set('imageId')}>
            {placeholder(images.isLoading, 'an image')}
            {favouritesFirst(images.data?.items ?? []).map((i) => <option key={i.id} value={i.id}>{i.favourite ? '★ ' : ''}{i.name}</option>)}
          </select>
        </FormField>
        <NetworkFields networks={networks.data?.items ?? []} value={network} onChange={setNetwork} errors={errors.networkIds} />
        <FormField id="node-name" label="Name *" errors={errors.name} help={count > 1 ? `Creates ${batchNames(form.name || 'name', count).join(', ')}` : 'Letters, digits, dot, dash, underscore'}>
          <input required maxLength={63} autoComplete="off" value={form.name} onChange={set('name')} />
        </FormField>
        <FormField id="node-count" label="Count" help={`1 to ${MAX_CREATE_COUNT}; one request per node`}>
          <input type="number" min={1} max={MAX_CREATE_COUNT} step={1} value={form.count} onChange={set('count')} />
        </FormField>
        <FormField id="node-ssh-key" label="SSH public key" errors={errors.sshPublicKey} help="Optional; ssh-ed25519 AAAA…">
          <textarea rows={3} spellCheck={false} value={form.sshPublicKey} onChange={set('sshPublicKey')} />
        </FormField>
        <ErrorNotice error={providers.error ?? locations.error ?? sizes.error ?? images.error ?? networks.error ?? create.error} />
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : count > 1 ? `Create ${count} nodes` : 'Create node'}
        </button>
      </form>
    </section>
  );
}
