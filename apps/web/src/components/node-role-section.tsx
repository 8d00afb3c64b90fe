import type { Node, NodeConfigMode } from '@overmind/sdk';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { effectiveConfigMode, roleOf, useAssignNodeRole, useConfigureNode, useServerRoles, useUnassignNodeRole } from '../api/server-role-queries.js';
import { ConfirmButton } from './confirm-button.js';
import { ErrorNotice } from './error-notice.js';
import { FormField } from './form-field.js';
import { fieldMessages } from './schema-fields.js';

const MODES: Record<NodeConfigMode, string> = { push: 'push (over SSH)', pull: 'pull (through its agent)' };

/** Assign a role (any node may have one, not only those a role created) and choose push, pull or the role's mode. */
function RoleForm({ node, roleId, onSaved }: { node: Pick<Node, 'id' | 'configMode'>; roleId: string | undefined; onSaved: (message: string) => void }) {
  const roles = useServerRoles();
  const assign = useAssignNodeRole(node.id);
  const [serverRoleId, setRoleId] = useState(roleId ?? '');
  const [mode, setMode] = useState<NodeConfigMode | ''>(node.configMode ?? '');
  const errors = fieldMessages(assign.error, 'body');
  const chosen = roles.data?.items.find((r) => r.id === serverRoleId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSaved('');
    // Not `mutate`'s onSuccess: the saved node re-keys this form, and an unmounted mutation's callbacks never run.
    assign.mutateAsync({ serverRoleId, configMode: mode || null })
      .then(() => onSaved(`Saved: role ${chosen?.name ?? ''}, ${mode ? `${mode} mode` : "the role's mode"}. Configure applies it.`), () => {});
  };
  if (roles.data?.items.length === 0) {
    return <p className="muted">There are no server roles yet: <Link to="/configuration/roles/new">create one</Link> (a machine type and a run list from the kitchen), then assign it here.</p>;
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Server role and configuration mode">
      <FormField id="node-role" label="Server role" errors={errors.serverRoleId}>
        <select required value={serverRoleId} onChange={(e) => setRoleId(e.target.value)}>
          <option value="">— choose a role —</option>
          {roles.data?.items.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
        </select>
      </FormField>
      <FormField id="node-config-mode" label="Configuration mode" errors={errors.configMode}>
        <select value={mode} onChange={(e) => setMode(e.target.value as NodeConfigMode | '')}>
          <option value="">follow the role{chosen ? ` (${chosen.configMode})` : ''}</option>
          {(Object.keys(MODES) as NodeConfigMode[]).map((m) => <option key={m} value={m}>{MODES[m]}</option>)}
        </select>
      </FormField>
      <button type="submit" disabled={assign.isPending || !serverRoleId}>{roleId ? 'Save role' : 'Assign role'}</button>
      <ErrorNotice error={assign.error} />
    </form>
  );
}

/**
 * The node's server role and how it is configured (its own mode, else the role's), with, for
 * operators, assign/remove and Configure: the job page it opens streams the converge live, whether
 * it runs over SSH or through the agent.
 */
export function NodeRoleSection({ node, operator }: { node: Pick<Node, 'id' | 'name' | 'configMode' | 'agent' | 'destroyedAt' | 'decommissionedAt'>; operator: boolean }) {
  const roles = useServerRoles();
  const role = roleOf(roles.data?.items, node.id);
  const unassign = useUnassignNodeRole(node.id);
  const configure = useConfigureNode(node.id);
  const navigate = useNavigate();
  const [notice, setNotice] = useState('');
  const mode = effectiveConfigMode(node, role);
  const gone = node.destroyedAt !== null || node.decommissionedAt !== null;
  return (
    <section aria-labelledby="node-config-title">
      <h2 id="node-config-title">Configuration</h2>
      <dl className="facts">
        <dt>Server role</dt><dd>{roles.data ? (role?.name ?? 'none') : '…'}</dd>
        <dt>Mode</dt>
        <dd data-config-mode={mode}>{MODES[mode]}{node.configMode ? ', set on this node' : role ? ", the role's" : ''}</dd>
      </dl>
      {role && mode === 'pull' && node.agent?.state !== 'connected' && (
        <p className="field-error">{node.agent ? 'Its agent is not connected' : 'It has no agent'}: a configure waits for the agent until its deadline.</p>
      )}
      {operator && !gone && (
        <>
          {/* Keyed by the role, so the form starts again from what the server now says. */}
          <RoleForm key={`${role?.id ?? 'none'}:${node.configMode ?? ''}`} node={node} roleId={role?.id} onSaved={setNotice} />
          <div className="actions">
            {role && (
              <button type="button" className="primary" disabled={configure.isPending}
                onClick={() => configure.mutate(undefined, { onSuccess: (job) => void navigate(`/jobs/${job.id}`) })}>
                {configure.isPending ? 'Queuing…' : 'Configure'}
              </button>
            )}
            {role && (
              <ConfirmButton label="Remove role" danger disabled={unassign.isPending}
                question={<>Take <strong>{node.name}</strong> out of role <strong>{role.name}</strong>? Nothing changes on the node.</>}
                onConfirm={() => unassign.mutate(undefined, { onSuccess: () => setNotice(`Removed from role ${role.name}.`) })} />
            )}
          </div>
          {notice && <p role="status">{notice}</p>}
          <ErrorNotice error={configure.error ?? unassign.error} />
        </>
      )}
      <ErrorNotice error={roles.error} />
    </section>
  );
}
