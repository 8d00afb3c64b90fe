/**
 * What firing and resolving send: one pg-boss job per channel (the rule's webhook, its e-mail
 * recipients), queued in the transaction that changed the alert, so a notification is sent exactly
 * when the change is stored. Each job carries what it sends (the body is fixed, so a retry sends the
 * same bytes) and the webhook secret sealed, as it was when the alert changed.
 */
import type PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { ALERT_NOTIFY_QUEUE, inTransaction } from '../jobs/job-queue.js';
import type { AlertRuleRow } from './alert-rule-view.js';

export interface AlertView {
  id: string;
  ruleId: string | null;
  ruleName: string;
  nodeId: string;
  nodeName: string;
  state: 'firing' | 'resolved';
  summary: string;
  value: number | null;
  firedAt: Date;
  resolvedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
}

export type AlertNotification =
  | { channel: 'webhook'; url: string; secretEnc: string; body: string; event: string }
  | { channel: 'email'; to: string[]; subject: string; text: string };

/** The webhook's JSON: what changed, never anything stored as a secret. */
export function webhookBody(alert: AlertView): string {
  const { acknowledgedBy: _by, ...shown } = alert;
  return JSON.stringify({ event: `alert.${alert.state}`, alert: shown });
}

export function emailMessage(alert: AlertView): { subject: string; text: string } {
  const verb = alert.state === 'firing' ? 'FIRING' : 'RESOLVED';
  const subject = `[Overmind] ${verb}: ${alert.ruleName} on ${alert.nodeName}`.replace(/[\r\n]+/g, ' ').slice(0, 250);
  const lines = [
    `${alert.ruleName} is ${alert.state} on ${alert.nodeName}.`,
    '',
    alert.summary,
    '',
    `Fired:    ${new Date(alert.firedAt).toISOString()}`,
    ...(alert.resolvedAt ? [`Resolved: ${new Date(alert.resolvedAt).toISOString()}`] : []),
    `Alert:    ${alert.id}`,
    `Node:     ${alert.nodeId}`,
  ];
  return { subject, text: lines.join('\n') };
}

export function notificationsFor(rule: Pick<AlertRuleRow, 'webhook_url' | 'webhook_secret_enc' | 'emails'>, alert: AlertView, smtp: boolean): AlertNotification[] {
  const out: AlertNotification[] = [];
  if (rule.webhook_url && rule.webhook_secret_enc) {
    out.push({ channel: 'webhook', url: rule.webhook_url, secretEnc: rule.webhook_secret_enc, body: webhookBody(alert), event: `alert.${alert.state}` });
  }
  if (smtp && rule.emails.length > 0) out.push({ channel: 'email', to: rule.emails, ...emailMessage(alert) });
  return out;
}

export async function queueNotifications(boss: Pick<PgBoss, 'send'>, m: EntityManager, notifications: AlertNotification[]): Promise<void> {
  for (const n of notifications) await boss.send(ALERT_NOTIFY_QUEUE, n as unknown as object, { db: inTransaction(m) });
}
