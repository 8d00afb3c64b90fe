import { Type } from 'typebox';
import { DateTime, Nullable, NullableDateTime, Uuid } from '../../lib/schemas.js';

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\r\\n]+$', description: 'What the rule watches, shown with its alerts' });
const Tag = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s,]+$' });

/** The series the readings store (see docs/monitoring.md), one name each. */
export const METRIC_PATTERN = '^(cpu\\.(total|user|system|iowait|steal)|load\\.(1|5|15)|memory\\.used_pct|swap\\.used_pct|fs\\.[^\\s]+\\.used_pct|net\\.[^\\s/]+\\.(rx|tx)_bps)$';

export const AlertScope = Type.Union(
  [
    Type.Object({ kind: Type.Literal('all') }, { additionalProperties: false, title: 'AlertScopeAll' }),
    Type.Object({ kind: Type.Literal('role'), serverRoleId: Uuid }, { additionalProperties: false, title: 'AlertScopeRole' }),
    Type.Object({ kind: Type.Literal('tag'), tag: Tag }, { additionalProperties: false, title: 'AlertScopeTag' }),
    Type.Object({ kind: Type.Literal('node'), nodeId: Uuid }, { additionalProperties: false, title: 'AlertScopeNode' }),
  ],
  { description: 'Which nodes it watches: all, the nodes of a server role, the nodes with a tag, or one node' },
);

export const ALERT_CHECK_STATES = ['warning', 'unknown', 'critical'] as const;

export const AlertCondition = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('check'),
        state: Type.Enum(ALERT_CHECK_STATES, { description: 'Fires at this state or worse (critical over unknown over warning): `warning` is warning-or-worse' }),
        checkId: Type.Optional(Nullable(Uuid)),
      },
      { additionalProperties: false, title: 'AlertConditionCheck', description: 'A check (or, without checkId, any check on the node) in this state or worse' },
    ),
    Type.Object(
      {
        kind: Type.Literal('reading'),
        metric: Type.String({ maxLength: 300, pattern: METRIC_PATTERN, description: 'A reading series: cpu.total, cpu.iowait, load.1, memory.used_pct, swap.used_pct, fs./var.used_pct, net.eth0.rx_bps...' }),
        op: Type.Union([Type.Literal('above'), Type.Literal('below')]),
        threshold: Type.Number({ minimum: -1e15, maximum: 1e15 }),
      },
      { additionalProperties: false, title: 'AlertConditionReading', description: 'A reading above or below a threshold' },
    ),
  ],
);

const Duration = Type.Integer({ minimum: 0, maximum: 3600, description: 'Seconds the condition must hold before the alert fires (0: at once)' });
const WebhookUrl = Type.String({ maxLength: 2048, format: 'uri', pattern: '^https?://', description: 'Receives a JSON POST on firing and resolving' });
const WebhookSecret = Type.String({ minLength: 16, maxLength: 256, description: 'Signs each body (HMAC-SHA256, header X-Overmind-Signature); write-only' });
const Emails = Type.Array(Type.String({ format: 'email', maxLength: 254 }), { maxItems: 20, description: 'Recipients of firing and resolving, by SMTP (needs OVERMIND_SMTP_HOST)' });

export const AlertRuleBody = Type.Object(
  {
    name: Name,
    enabled: Type.Optional(Type.Boolean({ default: true })),
    condition: AlertCondition,
    durationSeconds: Type.Optional(Duration),
    scope: AlertScope,
    webhook: Type.Optional(Nullable(Type.Object({ url: WebhookUrl, secret: WebhookSecret }, { additionalProperties: false }))),
    emails: Type.Optional(Emails),
  },
  { additionalProperties: false },
);

export const AlertRulePatch = Type.Object(
  {
    name: Type.Optional(Name),
    enabled: Type.Optional(Type.Boolean()),
    condition: Type.Optional(AlertCondition),
    durationSeconds: Type.Optional(Duration),
    scope: Type.Optional(AlertScope),
    webhook: Type.Optional(Nullable(Type.Object(
      { url: WebhookUrl, secret: Type.Optional(WebhookSecret) },
      { additionalProperties: false, description: 'A new url needs the secret again; the same url keeps the stored secret unless one is given' },
    ))),
    emails: Type.Optional(Emails),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const AlertRuleSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    enabled: Type.Boolean(),
    condition: AlertCondition,
    durationSeconds: Type.Integer(),
    scope: AlertScope,
    webhook: Nullable(Type.Object({ url: Type.String(), secretSet: Type.Boolean() }, { title: 'AlertWebhookView' })),
    emails: Type.Array(Type.String()),
    createdBy: Nullable(Uuid),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { title: 'AlertRule' },
);

export const ALERT_STATES = ['firing', 'resolved'] as const;

export const AlertSchema = Type.Object(
  {
    id: Uuid,
    ruleId: Nullable(Uuid),
    ruleName: Type.String(),
    nodeId: Uuid,
    nodeName: Type.String(),
    state: Type.Enum(ALERT_STATES),
    summary: Type.String({ description: 'What fired: the reading and threshold, or the check and its output' }),
    value: Nullable(Type.Number()),
    firedAt: DateTime,
    resolvedAt: NullableDateTime,
    acknowledgedBy: Nullable(Uuid),
    acknowledgedAt: NullableDateTime,
  },
  { title: 'Alert' },
);
