import type { AlertRule } from '@overmind/sdk';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAlertRules, useDeleteAlertRule } from '../api/alert-queries.js';
import { hasRole } from '../api/session-store.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Pager } from '../components/pager.js';
import { useSession } from '../session-context.js';
import { AlertRuleForm } from './alert-rule-form.js';
import { TableScroll } from '../components/table-scroll.js';

export function describeCondition(rule: AlertRule): string {
  const c = rule.condition;
  const what = c.kind === 'check'
    ? `${c.checkId ? 'the check' : 'any check'} ${c.state === 'warning' ? 'warning or worse' : c.state === 'unknown' ? 'unknown or critical' : 'critical'}`
    : `${c.metric} ${c.op} ${c.threshold}`;
  return rule.durationSeconds > 0 ? `${what} for ${rule.durationSeconds} s` : what;
}

function describeScope(rule: AlertRule): string {
  const s = rule.scope;
  return s.kind === 'all' ? 'all nodes' : s.kind === 'tag' ? `tag ${s.tag}` : s.kind === 'role' ? `role ${s.serverRoleId.slice(0, 8)}` : `node ${s.nodeId.slice(0, 8)}`;
}

/** `/alerts/rules`: the rules, and for operators the form to add, edit and delete them. */
export function AlertRulesPage() {
  const operator = hasRole(useSession(), 'operator');
  const [page, setPage] = useState(1);
  const rules = useAlertRules(page);
  const remove = useDeleteAlertRule();
  const [editing, setEditing] = useState<AlertRule | 'new' | null>(null);
  const [done, setDone] = useState('');
  const finish = (message: string) => {
    setEditing(null);
    setDone(message);
  };
  return (
    <section>
      <h1>Alert rules</h1>
      <p className="muted"><Link to="/alerts">Back to alerts</Link></p>
      {done && <p role="status">{done}</p>}
      <ErrorNotice error={rules.error ?? remove.error} />
      {operator && editing === null && <button type="button" className="primary" onClick={() => { setDone(''); setEditing('new'); }}>New rule</button>}
      {editing !== null && <AlertRuleForm key={editing === 'new' ? 'new' : editing.id} rule={editing === 'new' ? null : editing} onDone={finish} />}
      <TableScroll aria-busy={rules.isFetching}>
        {rules.data && (
          <table aria-label="Alert rules">
            <thead><tr><th scope="col">Name</th><th scope="col">Fires on</th><th scope="col">Nodes</th><th scope="col">Notifies</th>{operator && <th scope="col"><span className="visually-hidden">Actions</span></th>}</tr></thead>
            <tbody>
              {rules.data.items.map((r) => (
                <tr key={r.id} data-rule-id={r.id}>
                  <td>{r.name}{r.enabled ? '' : ' (disabled)'}</td>
                  <td>{describeCondition(r)}</td>
                  <td>{describeScope(r)}</td>
                  <td>{[r.webhook ? 'webhook' : '', r.emails.length ? `${r.emails.length} e-mail` : ''].filter(Boolean).join(', ') || '—'}</td>
                  {operator && (
                    <td>
                      <button type="button" onClick={() => { setDone(''); setEditing(r); }}>Edit</button>{' '}
                      <ConfirmButton label="Delete" danger question={`Delete ${r.name}? Its firing alerts resolve.`} onConfirm={() => remove.mutate(r.id, { onSuccess: () => finish(`Deleted rule ${r.name}.`) })} />
                    </td>
                  )}
                </tr>
              ))}
              {rules.data.items.length === 0 && (
                <tr><td colSpan={operator ? 5 : 4}>
                  No rules yet. A rule watches a check's state or a reading on the nodes of a role, a tag or one node, and
                  fires an alert (and its notifications) when its condition has held for its duration.
                </td></tr>
              )}
            </tbody>
          </table>
        )}
      </TableScroll>
      {rules.data && rules.data.total > rules.data.limit && <Pager page={rules.data.page} limit={rules.data.limit} total={rules.data.total} onPage={setPage} />}
    </section>
  );
}
