import { Link } from 'react-router';
import { useProviders, useProviderTypes } from '../api/provider-queries.js';
import { hasRole } from '../api/session-store.js';
import { ErrorNotice } from '../components/error-notice.js';
import { useSession } from '../session-context.js';
import { ProviderForm } from './provider-form.js';

export function ProvidersPage() {
  const session = useSession();
  const providers = useProviders();
  const types = useProviderTypes();
  return (
    <section>
      <h1>Providers</h1>
      <ErrorNotice error={providers.error ?? types.error} />
      <div className="table-scroll">
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Nodes</th><th scope="col">Last sync</th></tr></thead>
          <tbody>
            {providers.data?.items.map((p) => (
              <tr key={p.id}>
                <td><Link to={`/providers/${p.id}`}>{p.name}</Link></td>
                <td>{types.data?.items.find((t) => t.kind === p.type)?.displayName ?? p.type}</td>
                <td><span className={`badge badge-${p.status}`} title={p.statusMessage ?? undefined}>{p.status}</span></td>
                <td>{p.nodeCount ?? '—'}</td>
                <td>{p.lastSyncAt ? new Date(p.lastSyncAt).toLocaleString() : 'never'}</td>
              </tr>
            ))}
            {providers.data?.items.length === 0 && <tr><td colSpan={5}>No providers yet.</td></tr>}
          </tbody>
        </table>
      </div>
      {hasRole(session, 'operator') && types.data && <ProviderForm types={types.data.items} />}
    </section>
  );
}
