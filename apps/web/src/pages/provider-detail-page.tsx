import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useDeleteProvider, useProvider, useProviderJob, useProviderTypes } from '../api/provider-queries.js';
import { hasRole } from '../api/session-store.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { ErrorNotice } from '../components/error-notice.js';
import { useSession } from '../session-context.js';
import { ProviderCatalog } from './provider-catalog.js';
import { ProviderEditForm } from './provider-edit-form.js';
import { RelativeTime } from '../components/relative-time.js';

/** `editing` is undefined while the provider's type (its schemas) has not loaded: no Edit button yet. */
function ProviderActions({ id, name, nodeCount, editing, onEdit }: { id: string; name: string; nodeCount: number | null | undefined; editing?: boolean; onEdit: () => void }) {
  const navigate = useNavigate();
  const sync = useProviderJob('sync');
  const refresh = useProviderJob('refresh');
  const remove = useDeleteProvider();
  const queued = sync.data ?? refresh.data;
  const nodes = nodeCount == null ? 'Its nodes' : `Its ${nodeCount} node${nodeCount === 1 ? '' : 's'}`;
  return (
    <div className="actions">
      {editing !== undefined && <button type="button" aria-expanded={editing} aria-controls="edit-provider" onClick={onEdit}>Edit</button>}
      <button type="button" disabled={sync.isPending} onClick={() => { refresh.reset(); sync.mutate(id); }}>Sync now</button>
      <button type="button" disabled={refresh.isPending} onClick={() => { sync.reset(); refresh.mutate(id); }}>Refresh catalog</button>
      <ConfirmButton label="Delete" danger disabled={remove.isPending}
        question={<>Delete <strong>{name}</strong>? {nodes} are left running and marked decommissioned.</>}
        onConfirm={() => remove.mutate(id, { onSuccess: () => void navigate('/providers') })} />
      {queued && <span role="status">Job <Link to={`/jobs/${queued.id}`}>{queued.type}</Link> queued.</span>}
      <ErrorNotice error={sync.error ?? refresh.error ?? remove.error} />
    </div>
  );
}

export function ProviderDetailPage() {
  const { id = '' } = useParams();
  const operator = hasRole(useSession(), 'operator');
  const provider = useProvider(id);
  const type = useProviderTypes().data?.items.find((t) => t.kind === provider.data?.type);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState('');
  if (provider.error) return <ErrorNotice error={provider.error} />;
  if (!provider.data) return <p aria-busy="true">Loading…</p>;
  const p = provider.data;
  return (
    <section>
      <h1>{p.name} <span className={`badge badge-${p.status}`}>{p.status}</span></h1>
      <dl className="facts">
        <dt>Type</dt><dd>{type?.displayName ?? p.type}</dd>
        <dt>Status</dt><dd>{p.statusMessage ?? p.status}</dd>
        <dt>Nodes</dt><dd><Link to={`/nodes?providerId=${p.id}`}>{p.nodeCount ?? 'list'}</Link></dd>
        <dt>Sync interval</dt><dd>every {p.syncIntervalSeconds} s</dd>
        <dt>Last sync</dt><dd>{p.lastSyncAt ? <RelativeTime at={p.lastSyncAt} /> : 'never'}</dd>
      </dl>
      {operator && <ProviderActions id={p.id} name={p.name} nodeCount={p.nodeCount} editing={type && editing} onEdit={() => { setSaved(''); setEditing(!editing); }} />}
      {saved && <p role="status">{saved}</p>}
      {operator && editing && type && (
        <ProviderEditForm provider={p} type={type} onCancel={() => setEditing(false)} onSaved={(message) => { setSaved(message); setEditing(false); }} />
      )}
      <ProviderCatalog providerId={p.id} canEdit={operator} />
    </section>
  );
}
