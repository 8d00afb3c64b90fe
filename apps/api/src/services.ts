import type { ProviderRegistry } from '@overmind/provider';
import type PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';
import type { Config } from './config.js';
import type { SecretBox } from './lib/secret-box.js';
import { createAuditService } from './modules/audit/audit-service.js';
import { createLoginThrottle } from './modules/auth/login-throttle.js';
import { createPasswordCheck } from './modules/auth/password-check.js';
import { createCmServices } from './modules/cm/cm-services.js';
import type { EventBus } from './modules/events/event-bus.js';
import { createJobService } from './modules/jobs/job-service.js';
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
}

/** The composition root: every service, wired to exactly what it needs. */
export function createServices(core: CoreDeps) {
  const { db, boss, events, config } = core;
  const audit = createAuditService(db);
  const users = createUserService(db, audit);
  const passwords = createPasswordCheck({ users, throttle: createLoginThrottle(db, config.loginLimits), audit });
  const tokens = createTokenService({ db, audit, passwords, lifetimeDays: config.apiTokenDays });
  const jobs = createJobService({ db, boss, events, audit, retries: config.jobRetries });
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
  const idempotency = createIdempotencyService({ db, secrets: core.secrets, fingerprintKey: core.fingerprintKey });
  return { audit, users, passwords, tokens, jobs, catalog, providers, nodes, sync, registrations, commands, cm, idempotency };
}

export type Services = ReturnType<typeof createServices>;
