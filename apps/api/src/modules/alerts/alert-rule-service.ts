/**
 * Alert rules: a check state or a reading threshold, held for a duration, over a scope of nodes, with
 * where to tell (a signed webhook, e-mail). Every change is audited. The webhook secret is sealed at
 * rest and never shown; like provider credentials, it never follows an edited address.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../lib/actor.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../../lib/errors.js';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { AuditService } from '../audit/audit-service.js';
import { conditionColumns, ruleView, scopeColumns, type AlertCondition, type AlertRuleRow, type AlertRuleView, type AlertScope } from './alert-rule-view.js';
import { EVALUATION_LOCK_KEY } from './alert-evaluator.js';
import type { AlertTransitions } from './alert-transitions.js';

export interface AlertRuleInput {
  name: string;
  enabled?: boolean;
  condition: AlertCondition;
  durationSeconds?: number;
  scope: AlertScope;
  webhook?: { url: string; secret: string } | null;
  emails?: string[];
}

export interface AlertRulePatch {
  name?: string;
  enabled?: boolean;
  condition?: AlertCondition;
  durationSeconds?: number;
  scope?: AlertScope;
  webhook?: { url: string; secret?: string } | null;
  emails?: string[];
}

const COLUMNS = ['name', 'enabled', 'kind', 'check_severity', 'check_id', 'metric', 'op', 'threshold', 'duration_seconds', 'scope_kind', 'scope_role_id', 'scope_tag', 'scope_node_id', 'webhook_url', 'webhook_secret_enc', 'emails'] as const;
type Stored = Pick<AlertRuleRow, (typeof COLUMNS)[number]>;

export function createAlertRuleService(deps: {
  db: DataSource;
  secrets: Pick<SecretBox, 'seal'>;
  audit: Pick<AuditService, 'record'>;
  transitions: Pick<AlertTransitions, 'resolve'>;
  /** Whether SMTP is configured: rules may only e-mail when it is. */
  smtp: boolean;
}) {
  const { db, secrets, audit } = deps;

  async function load(id: string, m: Pick<EntityManager, 'query'>, lock = false): Promise<AlertRuleRow> {
    const [row] = await m.query(`SELECT * FROM alert_rules WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!row) throw new NotFoundError('Alert rule', id);
    return row;
  }

  /** The scope's role or node, and the condition's check, must exist. */
  async function assertRefs(m: EntityManager, fields: Stored): Promise<void> {
    if (fields.scope_role_id) {
      const [role] = await m.query('SELECT id FROM server_roles WHERE id = $1', [fields.scope_role_id]);
      if (!role) throw new NotFoundError('Server role', fields.scope_role_id);
    }
    if (fields.scope_node_id) {
      const [node] = await m.query('SELECT name, destroyed_at, decommissioned_at FROM nodes WHERE id = $1', [fields.scope_node_id]);
      if (!node) throw new NotFoundError('Node', fields.scope_node_id);
      if (node.destroyed_at || node.decommissioned_at) throw new ConflictError(`Node ${node.name} is gone; there is nothing to watch`);
    }
    if (fields.check_id) {
      const [check] = await m.query('SELECT id FROM checks WHERE id = $1', [fields.check_id]);
      if (!check) throw new NotFoundError('Check', fields.check_id);
    }
  }

  function assertEmails(emails: string[]): void {
    if (emails.length > 0 && !deps.smtp) {
      const message = 'need SMTP: the server has no OVERMIND_SMTP_HOST configured';
      throw new UnprocessableError(`body.emails ${message}`, { errors: [{ field: 'body.emails', message }] });
    }
  }

  /** A login in the URL would be sent with every notification (and fetch refuses such URLs): the secret signs instead. */
  function assertWebhookUrl(url: string | undefined): void {
    if (url === undefined) return;
    const parsed = URL.canParse(url) ? new URL(url) : null;
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || !parsed.hostname) {
      const message = 'must be an absolute http:// or https:// URL with a host';
      throw new UnprocessableError(`body.webhook.url ${message}`, { errors: [{ field: 'body.webhook.url', message }] });
    }
    if (parsed.username || parsed.password) {
      const message = 'must not carry a user or password; the receiver checks the X-Overmind-Signature instead';
      throw new UnprocessableError(`body.webhook.url ${message}`, { errors: [{ field: 'body.webhook.url', message }] });
    }
  }

  async function write(m: EntityManager, fields: Stored, id: string | null, createdBy: string | null): Promise<AlertRuleRow> {
    const values = COLUMNS.map((c) => fields[c]);
    if (id === null) {
      const [row] = await m.query(
        `INSERT INTO alert_rules (${COLUMNS.join(', ')}, created_by) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}, $${COLUMNS.length + 1}) RETURNING *`,
        [...values, createdBy],
      );
      return row;
    }
    const [row] = await m.query(
      // As a SELECT: TypeORM answers a bare UPDATE with [rows, count].
      `WITH x AS (UPDATE alert_rules SET ${COLUMNS.map((c, i) => `${c} = $${i + 1}`).join(', ')}, updated_at = now() WHERE id = $${COLUMNS.length + 1} RETURNING *) SELECT * FROM x`,
      [...values, id],
    );
    return row;
  }

  return {
    async list(filter: PageRequest): Promise<Page<AlertRuleView>> {
      const [rows, [{ total }]] = await Promise.all([
        db.query('SELECT * FROM alert_rules ORDER BY lower(name), id LIMIT $1 OFFSET $2', [filter.limit, offset(filter)]),
        db.query('SELECT count(*)::int AS total FROM alert_rules'),
      ]);
      return { items: (rows as AlertRuleRow[]).map(ruleView), total, page: filter.page, limit: filter.limit };
    },

    async get(id: string): Promise<AlertRuleView> {
      return ruleView(await load(id, db));
    },

    async create(actor: Actor, input: AlertRuleInput): Promise<AlertRuleView> {
      const emails = input.emails ?? [];
      assertEmails(emails);
      assertWebhookUrl(input.webhook?.url);
      const fields: Stored = {
        name: input.name,
        enabled: input.enabled ?? true,
        ...conditionColumns(input.condition),
        duration_seconds: input.durationSeconds ?? 0,
        ...scopeColumns(input.scope),
        webhook_url: input.webhook?.url ?? null,
        webhook_secret_enc: input.webhook ? secrets.seal(input.webhook.secret) : null,
        emails,
      };
      return db.transaction(async (m) => {
        await assertRefs(m, fields);
        const row = await write(m, fields, null, actor.id);
        await audit.record(actor, 'alert-rule.create', { type: 'alert-rule', id: row.id }, { name: row.name, condition: input.condition, scope: input.scope, webhook: row.webhook_url !== null, emails: emails.length }, { manager: m });
        return ruleView(row);
      });
    },

    async update(actor: Actor, id: string, patch: AlertRulePatch): Promise<AlertRuleView> {
      return db.transaction(async (m) => {
        const row = await load(id, m, true);
        const fields: Stored = { ...row };
        if (patch.name !== undefined) fields.name = patch.name;
        if (patch.enabled !== undefined) fields.enabled = patch.enabled;
        if (patch.condition) Object.assign(fields, conditionColumns(patch.condition));
        if (patch.durationSeconds !== undefined) fields.duration_seconds = patch.durationSeconds;
        if (patch.scope) Object.assign(fields, scopeColumns(patch.scope));
        if (patch.emails) fields.emails = patch.emails;
        if (patch.webhook === null) {
          fields.webhook_url = null;
          fields.webhook_secret_enc = null;
        } else if (patch.webhook) {
          assertWebhookUrl(patch.webhook.url);
          // Whoever points the webhook elsewhere must know its secret (as with provider credentials).
          if (patch.webhook.secret === undefined && patch.webhook.url !== row.webhook_url) {
            const message = 'is required when webhook.url changes';
            throw new UnprocessableError(`Changing webhook.url needs the webhook secret in the same request: body.webhook.secret ${message}`, { errors: [{ field: 'body.webhook.secret', message }] });
          }
          fields.webhook_url = patch.webhook.url;
          if (patch.webhook.secret !== undefined) fields.webhook_secret_enc = secrets.seal(patch.webhook.secret);
        }
        if (patch.emails) assertEmails(fields.emails);
        await assertRefs(m, fields);
        const saved = await write(m, fields, id, null);
        await audit.record(actor, 'alert-rule.update', { type: 'alert-rule', id }, { fields: Object.keys(patch) }, { manager: m });
        return ruleView(saved);
      });
    },

    /** Deletes the rule; its firing alerts resolve first (and say so), the alerts stay as history. */
    async remove(actor: Actor, id: string): Promise<void> {
      await db.transaction(async (m) => {
        // Not beside an evaluation, which could fire this rule again as it goes.
        await m.query(`SELECT pg_advisory_xact_lock(${EVALUATION_LOCK_KEY})`);
        const row = await load(id, m, true);
        const open: { id: string }[] = await m.query(`SELECT id FROM alerts WHERE rule_id = $1 AND state = 'firing'`, [id]);
        await deps.transitions.resolve(m, row, open.map((o) => o.id));
        await m.query('DELETE FROM alert_rules WHERE id = $1', [id]);
        await audit.record(actor, 'alert-rule.delete', { type: 'alert-rule', id }, { name: row.name, resolved: open.length }, { manager: m });
      });
    },
  };
}

export type AlertRuleService = ReturnType<typeof createAlertRuleService>;
