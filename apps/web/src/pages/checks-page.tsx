import type { Check, CreateCheckBody } from '@overmind/sdk';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useChecks, useCreateCheck, useDeleteCheck, useUpdateCheck } from '../api/check-queries.js';
import { nodeKeys } from '../api/node-queries.js';
import { useServerRoles } from '../api/server-role-queries.js';
import { hasRole } from '../api/session-store.js';
import { CheckForm, valuesOf } from '../components/check-form.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { ErrorNotice } from '../components/error-notice.js';
import { NodeLink } from '../components/node-link.js';
import { Pager } from '../components/pager.js';
import { useSession } from '../session-context.js';
import { TableScroll } from '../components/table-scroll.js';

function ScopeText({ scope }: { scope: Check['scope'] }) {
  const roles = useServerRoles();
  if (scope.kind === 'tag') return <>nodes tagged <Link to={`/nodes?tag=${encodeURIComponent(scope.tag)}`}><span className="tag">{scope.tag}</span></Link></>;
  if (scope.kind === 'role') return <>role {roles.data?.items.find((r) => r.id === scope.serverRoleId)?.name ?? scope.serverRoleId.slice(0, 8)}</>;
  return <>node <NodeLink id={scope.nodeId} /></>;
}

/** The node's name for the edit form's node picker, when the cache has it. */
function useNodeName() {
  const client = useQueryClient();
  return (id: string) => client.getQueryData<{ name: string }>(nodeKeys.detail(id))?.name ?? `node ${id.slice(0, 8)}`;
}

/** Check definitions: the plugin commands agents run on the nodes of a role, a tag or one node. */
export function ChecksPage() {
  const operator = hasRole(useSession(), 'operator');
  const [page, setPage] = useState(1);
  const checks = useChecks(page);
  const create = useCreateCheck();
  const update = useUpdateCheck();
  const remove = useDeleteCheck();
  const nodeName = useNodeName();
  const [editing, setEditing] = useState<Check | null>(null);
  // A new form (empty again) after each created check.
  const [created, setCreated] = useState(0);
  const [status, setStatus] = useState('');
  const onCreate = (body: CreateCheckBody) =>
    create.mutate(body, { onSuccess: (check) => { setStatus(`Created ${check.name}.`); setCreated((n) => n + 1); } });
  const onUpdate = (body: CreateCheckBody) =>
    editing && update.mutate({ id: editing.id, body }, { onSuccess: (check) => { setStatus(`Saved ${check.name}.`); setEditing(null); } });
  return (
    <section>
      <h1>Checks</h1>
      <p className="muted">Nagios-compatible plugins the nodes' agents run; a node's health is the worst state of its checks.</p>
      <ErrorNotice error={checks.error ?? remove.error} />
      {status && <p role="status">{status}</p>}
      <TableScroll>
        <table aria-busy={checks.isFetching}>
          <thead><tr><th scope="col">Name</th><th scope="col">Command</th><th scope="col">Every</th><th scope="col">Runs on</th>{operator && <th scope="col">Actions</th>}</tr></thead>
          <tbody>
            {checks.data?.items.map((c) => (
              <tr key={c.id} data-check-id={c.id}>
                <td>{c.name}</td>
                <td className="long-value"><code>{[c.shell ? 'sh -c' : '', c.command, ...c.args.map((a) => (/[\s'"]/.test(a) || a === '' ? JSON.stringify(a) : a))].filter(Boolean).join(' ')}</code></td>
                <td>{c.intervalSeconds} s <span className="muted">(timeout {c.timeoutSeconds} s)</span></td>
                <td><ScopeText scope={c.scope} /></td>
                {operator && (
                  <td className="actions">
                    <button type="button" onClick={() => { update.reset(); setEditing(c); }}>Edit</button>
                    <ConfirmButton label="Delete" danger question={`Delete ${c.name}? Its history stays.`} disabled={remove.isPending}
                      onConfirm={() => remove.mutate(c, { onSuccess: () => setStatus(`Deleted ${c.name}.`) })} />
                  </td>
                )}
              </tr>
            ))}
            {checks.data?.items.length === 0 && <tr><td colSpan={operator ? 5 : 4}>No checks yet.</td></tr>}
          </tbody>
        </table>
      </TableScroll>
      {checks.data && checks.data.total > checks.data.limit && <Pager page={checks.data.page} limit={checks.data.limit} total={checks.data.total} onPage={setPage} />}
      {operator && editing && (
        <CheckForm key={editing.id} check={editing} initial={valuesOf(editing, nodeName)} pending={update.isPending} error={update.error} onSubmit={onUpdate} onCancel={() => setEditing(null)} />
      )}
      {operator && !editing && <CheckForm key={`new-${created}`} check={null} initial={valuesOf(null, nodeName)} pending={create.isPending} error={create.error} onSubmit={onCreate} />}
    </section>
  );
}
