import type { Check, CheckScope, CreateCheckBody } from '@overmind/sdk';
import { useState, type FormEvent } from 'react';
import { useServerRoles } from '../api/server-role-queries.js';
import { ErrorNotice } from './error-notice.js';
import { FormField } from './form-field.js';
import { NodePicker } from './node-picker.js';
import { fieldMessages } from './schema-fields.js';

export interface CheckValues {
  name: string;
  command: string;
  /** One argument per line: arguments may hold spaces, never newlines here. */
  args: string;
  shell: boolean;
  interval: string;
  timeout: string;
  scopeKind: CheckScope['kind'];
  serverRoleId: string;
  tag: string;
  node: { id: string; name: string } | null;
}

export function valuesOf(check: Check | null, nodeName: (id: string) => string): CheckValues {
  const scope = check?.scope;
  return {
    name: check?.name ?? '',
    command: check?.command ?? '',
    args: check?.args.join('\n') ?? '',
    shell: check?.shell ?? false,
    interval: String(check?.intervalSeconds ?? 60),
    timeout: String(check?.timeoutSeconds ?? 10),
    scopeKind: scope?.kind ?? 'tag',
    serverRoleId: scope?.kind === 'role' ? scope.serverRoleId : '',
    tag: scope?.kind === 'tag' ? scope.tag : '',
    node: scope?.kind === 'node' ? { id: scope.nodeId, name: nodeName(scope.nodeId) } : null,
  };
}

/** The request body from the form: arguments one per non-empty line, as typed (no trimming inside them). */
export function bodyOf(values: CheckValues): CreateCheckBody {
  const scope: CheckScope =
    values.scopeKind === 'role' ? { kind: 'role', serverRoleId: values.serverRoleId }
      : values.scopeKind === 'node' ? { kind: 'node', nodeId: values.node?.id ?? '' }
        : { kind: 'tag', tag: values.tag.trim() };
  return {
    name: values.name.trim(),
    command: values.command.trim(),
    args: values.args.split('\n').map((a) => a.replace(/\r$/, '')).filter((a) => a !== ''),
    shell: values.shell,
    intervalSeconds: Number(values.interval),
    timeoutSeconds: Number(values.timeout),
    scope,
  };
}

/** Creates a check, or edits one (`check` given); problem+json field errors show at their inputs. */
export function CheckForm(props: { check: Check | null; initial: CheckValues; pending: boolean; error: unknown; onSubmit: (body: CreateCheckBody) => void; onCancel?: () => void }) {
  const [values, setValues] = useState(props.initial);
  const roles = useServerRoles();
  const set = <K extends keyof CheckValues>(key: K, value: CheckValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const errors = fieldMessages(props.error, 'body');
  const scopeErrors = fieldMessages(props.error, 'body.scope');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit(bodyOf(values));
  };
  const id = props.check ? `check-${props.check.id}` : 'new-check';
  return (
    <form className="card form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{props.check ? `Edit ${props.check.name}` : 'New check'}</h2>
      <FormField id={`${id}-name`} label="Name *" errors={errors.name}>
        <input required maxLength={200} value={values.name} onChange={(e) => set('name', e.target.value)} />
      </FormField>
      <FormField id={`${id}-command`} label="Command *" help="A plugin path, e.g. /usr/lib/nagios/plugins/check_disk, or a name on the agent's PATH." errors={errors.command}>
        <input required maxLength={4096} value={values.command} onChange={(e) => set('command', e.target.value)} />
      </FormField>
      <FormField id={`${id}-args`} label="Arguments" help="One per line, passed as they are (no shell). Every observer can read them: no passwords." errors={errors.args}>
        <textarea rows={3} value={values.args} onChange={(e) => set('args', e.target.value)} />
      </FormField>
      <label><input type="checkbox" checked={values.shell} onChange={(e) => set('shell', e.target.checked)} /> Run the command by /bin/sh (arguments become $1, $2…)</label>
      <div className="inline-form">
        <FormField id={`${id}-interval`} label="Interval (s) *" help="5 to 86400." errors={errors.intervalSeconds}>
          <input type="number" required min={5} max={86400} value={values.interval} onChange={(e) => set('interval', e.target.value)} />
        </FormField>
        <FormField id={`${id}-timeout`} label="Timeout (s) *" help="At most the interval." errors={errors.timeoutSeconds}>
          <input type="number" required min={1} max={3600} value={values.timeout} onChange={(e) => set('timeout', e.target.value)} />
        </FormField>
      </div>
      <fieldset>
        <legend>Runs on</legend>
        <FormField id={`${id}-scope`} label="Nodes" errors={scopeErrors.kind}>
          <select value={values.scopeKind} onChange={(e) => set('scopeKind', e.target.value as CheckScope['kind'])}>
            <option value="tag">with a tag</option>
            <option value="role">of a server role</option>
            <option value="node">one node</option>
          </select>
        </FormField>
        {values.scopeKind === 'tag' && (
          <FormField id={`${id}-tag`} label="Tag *" errors={scopeErrors.tag}>
            <input required maxLength={64} pattern="[^\s,]+" value={values.tag} onChange={(e) => set('tag', e.target.value)} />
          </FormField>
        )}
        {values.scopeKind === 'role' && (
          <FormField id={`${id}-role`} label="Server role *" errors={scopeErrors.serverRoleId}>
            <select required value={values.serverRoleId} onChange={(e) => set('serverRoleId', e.target.value)}>
              <option value="">— choose a role —</option>
              {roles.data?.items.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
            </select>
          </FormField>
        )}
        {values.scopeKind === 'node' && <NodePicker id={`${id}-node`} label="Node" required value={values.node} onChange={(n) => set('node', n)} />}
      </fieldset>
      <ErrorNotice error={props.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={props.pending}>{props.pending ? 'Saving…' : props.check ? 'Save changes' : 'Create check'}</button>
        {props.onCancel && <button type="button" onClick={props.onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
