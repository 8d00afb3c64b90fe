/** Alert rules as stored (snake_case rows) and as the API shows them: the webhook secret never leaves. */

export type AlertScope = { kind: 'all' } | { kind: 'role'; serverRoleId: string } | { kind: 'tag'; tag: string } | { kind: 'node'; nodeId: string };
export type AlertCheckState = 'warning' | 'unknown' | 'critical';
export type AlertCondition =
  | { kind: 'check'; state: AlertCheckState; checkId?: string | null }
  | { kind: 'reading'; metric: string; op: 'above' | 'below'; threshold: number };

export interface AlertRuleRow {
  id: string;
  name: string;
  enabled: boolean;
  kind: 'check' | 'reading';
  check_severity: number | null;
  check_id: string | null;
  metric: string | null;
  op: 'above' | 'below' | null;
  threshold: number | null;
  duration_seconds: number;
  scope_kind: AlertScope['kind'];
  scope_role_id: string | null;
  scope_tag: string | null;
  scope_node_id: string | null;
  webhook_url: string | null;
  webhook_secret_enc: string | null;
  emails: string[];
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Checkmk's order of check states: critical over unknown over warning over ok. */
export const SEVERITY: Record<AlertCheckState, number> = { warning: 1, unknown: 2, critical: 3 };
const BY_SEVERITY: AlertCheckState[] = ['warning', 'warning', 'unknown', 'critical'];

export interface AlertRuleView {
  id: string;
  name: string;
  enabled: boolean;
  condition: AlertCondition;
  durationSeconds: number;
  scope: AlertScope;
  webhook: { url: string; secretSet: boolean } | null;
  emails: string[];
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function ruleView(r: AlertRuleRow): AlertRuleView {
  const condition: AlertCondition = r.kind === 'check'
    ? { kind: 'check', state: BY_SEVERITY[r.check_severity!]!, checkId: r.check_id }
    : { kind: 'reading', metric: r.metric!, op: r.op!, threshold: r.threshold! };
  const scope: AlertScope = r.scope_kind === 'role' ? { kind: 'role', serverRoleId: r.scope_role_id! }
    : r.scope_kind === 'tag' ? { kind: 'tag', tag: r.scope_tag! }
      : r.scope_kind === 'node' ? { kind: 'node', nodeId: r.scope_node_id! }
        : { kind: 'all' };
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    condition,
    durationSeconds: r.duration_seconds,
    scope,
    webhook: r.webhook_url ? { url: r.webhook_url, secretSet: r.webhook_secret_enc !== null } : null,
    emails: r.emails,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The columns a condition and a scope are stored in. */
export function conditionColumns(c: AlertCondition): Pick<AlertRuleRow, 'kind' | 'check_severity' | 'check_id' | 'metric' | 'op' | 'threshold'> {
  return c.kind === 'check'
    ? { kind: 'check', check_severity: SEVERITY[c.state], check_id: c.checkId ?? null, metric: null, op: null, threshold: null }
    : { kind: 'reading', check_severity: null, check_id: null, metric: c.metric, op: c.op, threshold: c.threshold };
}

export function scopeColumns(s: AlertScope): Pick<AlertRuleRow, 'scope_kind' | 'scope_role_id' | 'scope_tag' | 'scope_node_id'> {
  return {
    scope_kind: s.kind,
    scope_role_id: s.kind === 'role' ? s.serverRoleId : null,
    scope_tag: s.kind === 'tag' ? s.tag : null,
    scope_node_id: s.kind === 'node' ? s.nodeId : null,
  };
}
