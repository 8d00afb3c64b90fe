import type { ProviderRegistry } from '@overmind/provider';
import type PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';
import type { Config } from './config.js';
import type { SecretBox } from './lib/secret-box.js';
import { createAgentInstallService } from './modules/agents/agent-install-service.js';
import { createAgentService } from './modules/agents/agent-service.js';
import { createAgentTokenService } from './modules/agents/agent-token-service.js';
import { createRunService } from './modules/agents/run-service.js';
import { createAlertDelivery } from './modules/alerts/alert-delivery.js';
import { createAlertEvaluator } from './modules/alerts/alert-evaluator.js';
import { createAlertRuleService } from './modules/alerts/alert-rule-service.js';
import { createAlertService } from './modules/alerts/alert-service.js';
import { createAlertTransitions } from './modules/alerts/alert-transitions.js';
import { createAuditService } from './modules/audit/audit-service.js';
import { createAnsibleInventory } from './modules/inventory/ansible-inventory.js';
import { createCheckHistoryRetention } from './modules/checks/check-history-retention.js';
import { createCheckResultService } from './modules/checks/check-result-service.js';
import { createCheckService } from './modules/checks/check-service.js';
import { createBalancerService } from './modules/balancers/balancer-service.js';
import { createLoginThrottle } from './modules/auth/login-throttle.js';
import { createPasswordCheck } from './modules/auth/password-check.js';
import { createCmServices } from './modules/cm/cm-services.js';
import { createConstellationService } from './modules/constellations/constellation-service.js';
import { createGuaranteeService } from './modules/constellations/guarantee-service.js';
import type { EventBus } from './modules/events/event-bus.js';
import { createJobService } from './modules/jobs/job-service.js';
import { createMetricService } from './modules/metrics/metric-service.js';
import { createNodeCommandService } from './modules/nodes/node-command-service.js';
import { createNodeRegistrationService } from './modules/nodes/node-registration-service.js';
import { createNodeService } from './modules/nodes/node-service.js';
import { createNodeSyncService } from './modules/nodes/node-sync-service.js';
import { createIdempotencyService } from './modules/idempotency/idempotency-service.js';
import { createCatalogService } from './modules/providers/catalog-service.js';
import { createProviderService } from './modules/providers/provider-service.js';
import { createTokenService } from './modules/tokens/token-service.js';
import { createUserService } from './modules/users/user-service.js';

export interface CoreDeps {
  config: Config;
  db: DataSource;
  boss: PgBoss;
  events: EventBus;
  secrets: SecretBox;
  /** Keys the fingerprints of idempotent requests (derived from the master key). */
  fingerprintKey: Buffer;
  registry: ProviderRegistry;
  log: { error(obj: unknown, msg: string): void; warn(obj: unknown, msg: string): void; info(obj: unknown, msg: string): void };
}

/** The composition root: every service, wired to exactly what it needs. */
export function createServices(core: CoreDeps) {
  const { db, boss, events, config } = core;
  const audit = createAuditService(db);
  const users = createUserService(db, audit);
  const passwords = createPasswordCheck({ users, throttle: createLoginThrottle(db, config.loginLimits), audit });
  const tokens = createTokenService({ db, audit, passwords, lifetimeDays: config.apiTokenDays });
  const runs = createRunService({ db, secrets: core.secrets, events, log: core.log });
  const jobs = createJobService({ db, boss, events, audit, retries: config.jobRetries, runs });
  const catalog = createCatalogService(db, audit);
  const providers = createProviderService({
    db,
    registry: core.registry,
    secrets: core.secrets,
    audit,
    jobs,
    defaultSyncIntervalSeconds: config.defaultSyncIntervalSeconds,
  });
  const nodes = createNodeService({ db, providers, catalog, jobs, audit, events });
  const sync = createNodeSyncService(db, events);
  const registrations = createNodeRegistrationService({ db, providers, secrets: core.secrets, jobs, audit, events });
  const commands = createNodeCommandService({ db, secrets: core.secrets, providers, jobs, audit });
  const cm = createCmServices({ kitchenDir: config.kitchenDir, kitchenLimits: config.kitchenLimits, sshWaitSeconds: config.sshWaitSeconds, db, secrets: core.secrets, events, audit, jobs, catalog, providers, nodes });
  const agentTokens = createAgentTokenService({ db, audit });
  const agents = createAgentService({ db, audit, events, tokens: agentTokens });
  const agentInstalls = createAgentInstallService({ db, jobs, audit, access: cm.access });
  const checks = createCheckService({ db, audit, events });
  const checkResults = createCheckResultService({ db, events, staleSeconds: config.checks.staleSeconds });
  const checkHistory = createCheckHistoryRetention({ db, retentionDays: config.checks.historyDays });
  const idempotency = createIdempotencyService({ db, secrets: core.secrets, fingerprintKey: core.fingerprintKey });
  const metrics = createMetricService({ db, settings: config.metrics, log: core.log });
  const balancers = createBalancerService({ db, providers, jobs, audit });
  const constellations = createConstellationService({ db, audit, jobs, catalog, providers, kitchen: cm.kitchen, balancers });
  const guarantee = createGuaranteeService({ db, audit, events });
  const inventory = createAnsibleInventory(db);
  const smtp = config.alerts.smtp !== null;
  const alertTransitions = createAlertTransitions({ boss, events, audit, smtp });
  const alertRules = createAlertRuleService({ db, secrets: core.secrets, audit, transitions: alertTransitions, smtp });
  const alerts = createAlertService({ db, audit, events });
  // A reading older than three readings intervals (at least a minute) no longer makes an alert fire.
  const alertEvaluator = createAlertEvaluator({ db, transitions: alertTransitions, readingFreshSeconds: Math.max(60, 3 * config.metrics.readingsIntervalSeconds) });
  // Used by workers; the SMTP connection is opened on the first e-mail.
  const alertDelivery = createAlertDelivery({ secrets: core.secrets, smtp: config.alerts.smtp });
  return { balancers, constellations, guarantee, alertRules, alerts, alertEvaluator, alertDelivery, audit, users, passwords, tokens, runs, agentTokens, agents, agentInstalls, checks, checkResults, checkHistory, jobs, catalog, providers, nodes, sync, registrations, commands, cm, idempotency, metrics, inventory };
}

export type Services = ReturnType<typeof createServices>;
