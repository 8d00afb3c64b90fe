import { useState } from 'react';
import { AUDIT_LIMIT, useAuditEvents } from '../../api/admin-queries.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Pager } from '../../components/pager.js';
import { TableScroll } from '../../components/table-scroll.js';
import { RelativeTime } from '../../components/relative-time.js';

export function AuditPage() {
  const [page, setPage] = useState(1);
  const events = useAuditEvents(page);
  return (
    <section>
      <h1>Audit log</h1>
      <ErrorNotice error={events.error} />
      <TableScroll>
        <table aria-label="Audit log" aria-busy={events.isFetching}>
          <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Outcome</th><th scope="col">From</th><th scope="col">Request id</th></tr></thead>
          <tbody>
            {events.data?.items.map((e) => (
              <tr key={e.id}>
                <td><RelativeTime at={e.at} /></td><td>{e.actorName ?? e.actorId ?? '—'}</td><td>{e.action}</td>
                <td>{e.targetType ? `${e.targetType} ` : ''}{e.targetId ?? ''}</td><td>{String(e.outcome ?? '')}</td><td>{e.ip ?? ''}</td><td><code>{e.requestId ?? ''}</code></td>
              </tr>
            ))}
            {events.data?.items.length === 0 && <tr><td colSpan={7}>Nothing recorded yet.</td></tr>}
          </tbody>
        </table>
      </TableScroll>
      {events.data && <Pager page={events.data.page} limit={AUDIT_LIMIT} total={events.data.total} onPage={setPage} />}
    </section>
  );
}
