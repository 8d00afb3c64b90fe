import { Link } from 'react-router';
import { useConstellations } from '../api/constellation-queries.js';
import { hasRole } from '../api/session-store.js';
import { ErrorNotice } from '../components/error-notice.js';
import { useSession } from '../session-context.js';
import { ConstellationImportForm } from './constellation-import-form.js';
import { TableScroll } from '../components/table-scroll.js';
import { RelativeTime } from '../components/relative-time.js';

export function ConstellationsPage() {
  const session = useSession();
  const list = useConstellations();
  return (
    <section>
      <h1>Constellations</h1>
      <ErrorNotice error={list.error} />
      <TableScroll>
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Version</th><th scope="col">Applied</th><th scope="col">Updated</th></tr></thead>
          <tbody>
            {list.data?.items.map((c) => (
              <tr key={c.id}>
                <td><Link to={`/constellations/${c.id}`}>{c.name}</Link></td>
                <td>{c.latestVersion}</td>
                <td>{c.appliedVersion ?? 'never'}</td>
                <td><RelativeTime at={c.updatedAt} /></td>
              </tr>
            ))}
            {list.data?.items.length === 0 && (
              <tr><td colSpan={4}>No constellations yet.{hasRole(session, 'operator') && ' Import one below: a YAML or JSON document of its tiers, each a server role or machine type and a count.'}</td></tr>
            )}
          </tbody>
        </table>
      </TableScroll>
      {hasRole(session, 'operator') && <ConstellationImportForm />}
    </section>
  );
}
