import type { AlertRule, CreateAlertRuleBody } from '@overmind/sdk';
import { useState, type FormEvent } from 'react';
import { useCreateAlertRule, useUpdateAlertRule } from '../api/alert-queries.js';
import { ErrorNotice } from '../components/error-notice.js';
import { FormField } from '../components/form-field.js';
import { fieldMessages } from '../components/schema-fields.js';

type Condition = CreateAlertRuleBody['condition'];
type Scope = CreateAlertRuleBody['scope'];

interface Values {
  name: string;
  kind: 'check' | 'reading';
  state: 'warning' | 'unknown' | 'critical';
  checkId: string;
  metric: string;
  op: 'above' | 'below';
  threshold: string;
  durationSeconds: string;
  scopeKind: Scope['kind'];
  scopeValue: string;
  webhookUrl: string;
  webhookSecret: string;
  emails: string;
}

function initial(rule: AlertRule | null): Values {
  const c = rule?.condition;
  const s = rule?.scope;
  return {
    name: rule?.name ?? '',
    kind: c?.kind ?? 'check',
    state: c?.kind === 'check' ? c.state : 'critical',
    checkId: c?.kind === 'check' ? (c.checkId ?? '') : '',
    metric: c?.kind === 'reading' ? c.metric : 'cpu.total',
    op: c?.kind === 'reading' ? c.op : 'above',
    threshold: c?.kind === 'reading' ? String(c.threshold) : '90',
    durationSeconds: String(rule?.durationSeconds ?? 0),
    scopeKind: s?.kind ?? 'all',
    scopeValue: s?.kind === 'role' ? s.serverRoleId : s?.kind === 'tag' ? s.tag : s?.kind === 'node' ? s.nodeId : '',
    webhookUrl: rule?.webhook?.url ?? '',
    webhookSecret: '',
    emails: rule?.emails.join(', ') ?? '',
  };
}

function condition(v: Values): Condition {
  return v.kind === 'check'
    ? { kind: 'check', state: v.state, checkId: v.checkId.trim() || null }
    : { kind: 'reading', metric: v.metric.trim(), op: v.op, threshold: Number(v.threshold) };
}

function scope(v: Values): Scope {
  const value = v.scopeValue.trim();
  return v.scopeKind === 'role' ? { kind: 'role', serverRoleId: value } : v.scopeKind === 'tag' ? { kind: 'tag', tag: value } : v.scopeKind === 'node' ? { kind: 'node', nodeId: value } : { kind: 'all' };
}

const SCOPE_LABEL: Record<Scope['kind'], string> = { all: '', role: 'Server role id', tag: 'Tag', node: 'Node id' };

/**
 * Creates a rule, or edits `rule`. The webhook secret is write-only: editing leaves it as it is
 * unless a new one is typed, and a new webhook address needs it typed again (the API says so).
 */
export function AlertRuleForm({ rule, onDone }: { rule: AlertRule | null; onDone: (message: string) => void }) {
  const create = useCreateAlertRule();
  const update = useUpdateAlertRule();
  const mutation = rule ? update : create;
  const [v, setV] = useState<Values>(() => initial(rule));
  const set = <K extends keyof Values>(key: K) => (e: { target: { value: string } }) => setV((old) => ({ ...old, [key]: e.target.value as Values[K] }));
  const errors = fieldMessages(mutation.error, 'body');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const url = v.webhookUrl.trim();
    const secret = v.webhookSecret;
    const emails = v.emails.split(/[,\s]+/).filter(Boolean);
    const common = { name: v.name.trim(), condition: condition(v), durationSeconds: Number(v.durationSeconds), scope: scope(v), emails };
    if (rule) {
      const webhook = url ? { url, ...(secret ? { secret } : {}) } : null;
      update.mutate({ id: rule.id, body: { ...common, webhook } }, { onSuccess: (saved) => onDone(`Saved rule ${saved.name}.`) });
    } else {
      create.mutate({ ...common, webhook: url ? { url, secret } : null }, { onSuccess: (saved) => onDone(`Created rule ${saved.name}.`) });
    }
  };
  const id = (name: string) => `alert-rule-${name}`;
  return (
    <form className="card form" onSubmit={submit} aria-label={rule ? `Edit rule ${rule.name}` : 'Create an alert rule'}>
      <h2>{rule ? `Edit ${rule.name}` : 'New rule'}</h2>
      <FormField id={id('name')} label="Name" errors={errors.name}>
        <input required maxLength={200} value={v.name} onChange={set('name')} />
      </FormField>
      <FormField id={id('kind')} label="Fires on" errors={errors.condition}>
        <select value={v.kind} onChange={set('kind')}>
          <option value="check">a check state</option>
          <option value="reading">a reading over or under a threshold</option>
        </select>
      </FormField>
      {v.kind === 'check' ? (
        <>
          <FormField id={id('state')} label="State, or worse">
            <select value={v.state} onChange={set('state')}>
              <option value="warning">warning or worse</option>
              <option value="unknown">unknown or critical</option>
              <option value="critical">critical</option>
            </select>
          </FormField>
          <FormField id={id('check')} label="Check id" help="Empty: any check on the node">
            <input value={v.checkId} onChange={set('checkId')} maxLength={36} />
          </FormField>
        </>
      ) : (
        <>
          <FormField id={id('metric')} label="Reading" help="cpu.total, load.1, memory.used_pct, swap.used_pct, fs./var.used_pct, net.eth0.rx_bps...">
            <input required maxLength={300} value={v.metric} onChange={set('metric')} />
          </FormField>
          <FormField id={id('op')} label="When it is">
            <select value={v.op} onChange={set('op')}>
              <option value="above">above</option>
              <option value="below">below</option>
            </select>
          </FormField>
          <FormField id={id('threshold')} label="Threshold">
            <input required type="number" step="any" value={v.threshold} onChange={set('threshold')} />
          </FormField>
        </>
      )}
      <FormField id={id('duration')} label="For (seconds)" errors={errors.durationSeconds} help="How long it must hold before the alert fires (0 to 3600)">
        <input required type="number" min={0} max={3600} value={v.durationSeconds} onChange={set('durationSeconds')} />
      </FormField>
      <FormField id={id('scope')} label="Nodes" errors={errors.scope}>
        <select value={v.scopeKind} onChange={set('scopeKind')}>
          <option value="all">all nodes</option>
          <option value="tag">with a tag</option>
          <option value="role">of a server role</option>
          <option value="node">one node</option>
        </select>
      </FormField>
      {v.scopeKind !== 'all' && (
        <FormField id={id('scope-value')} label={SCOPE_LABEL[v.scopeKind]}>
          <input required value={v.scopeValue} onChange={set('scopeValue')} maxLength={64} />
        </FormField>
      )}
      <FormField id={id('webhook')} label="Webhook URL" errors={errors.webhook} help="Gets a JSON POST on firing and resolving, signed in X-Overmind-Signature">
        <input type="url" maxLength={2048} value={v.webhookUrl} onChange={set('webhookUrl')} />
      </FormField>
      {v.webhookUrl.trim() && (
        <FormField id={id('secret')} label="Webhook secret" help={rule?.webhook ? 'Set: leave empty to keep it (a new URL needs it again)' : 'At least 16 characters; the receiver checks signatures with it'}>
          <input type="password" autoComplete="new-password" minLength={16} maxLength={256} required={!rule?.webhook} value={v.webhookSecret} onChange={set('webhookSecret')} />
        </FormField>
      )}
      <FormField id={id('emails')} label="E-mail to" errors={errors.emails} help="Comma-separated; needs SMTP on the server">
        <input value={v.emails} onChange={set('emails')} />
      </FormField>
      <ErrorNotice error={mutation.error} />
      <button type="submit" className="primary" disabled={mutation.isPending}>{rule ? 'Save rule' : 'Create rule'}</button>
    </form>
  );
}
