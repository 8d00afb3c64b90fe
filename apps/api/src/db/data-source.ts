import { DataSource } from 'typeorm';
import {
  AgentEntity,
  AgentRunEntity,
  AgentTokenEntity,
  BalancerEntity,
  BalancerMemberEntity,
  ApiTokenEntity,
  AuditEventEntity,
  CatalogItemEntity,
  CheckEntity,
  JobEntity,
  NodeEntity,
  ProviderEntity,
  ServerRoleEntity,
  ServerRoleNodeEntity,
  UserEntity,
} from './entities/index.js';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema.js';
import { ActiveNodeIndexes1764000000001 } from './migrations/1764000000001-active-node-indexes.js';
import { NodeRegistration1764000000002 } from './migrations/1764000000002-node-registration.js';
import { ServerRoles1764000000003 } from './migrations/1764000000003-server-roles.js';
import { NodeListJson1764000000004 } from './migrations/1764000000004-node-list-json.js';
import { AuthHardening1764000000005 } from './migrations/1764000000005-auth-hardening.js';
import { IdempotencyKeys1764000000006 } from './migrations/1764000000006-idempotency-keys.js';
import { ServerRoleSecretAttributes1764000000007 } from './migrations/1764000000007-server-role-secret-attributes.js';
import { PrincipalChangeNotify1764000000008 } from './migrations/1764000000008-principal-change-notify.js';
import { Agents1764000000009 } from './migrations/1764000000009-agents.js';
import { Metrics1764000000010 } from './migrations/1764000000010-metrics.js';
import { Checks1764000000011 } from './migrations/1764000000011-checks.js';
import { Alerts1764000000012 } from './migrations/1764000000012-alerts.js';
import { CheckHistoryRetention1764000000013 } from './migrations/1764000000013-check-history-retention.js';
import { Constellations1764000000014 } from './migrations/1764000000014-constellations.js';
import { Balancers1764000000015 } from './migrations/1764000000015-balancers.js';
import { LiveNodeCountsIndex1764000000017 } from './migrations/1764000000017-live-node-counts-index.js';
import { NodeAgentFacts1764000000018 } from './migrations/1764000000018-node-agent-facts.js';
import { CommandHistory1764000000020 } from './migrations/1764000000020-command-history.js';
import { ServiceGuarantee1764000000021 } from './migrations/1764000000021-service-guarantee.js';
import { ConstellationBalancers1764000000022 } from './migrations/1764000000022-constellation-balancers.js';
import { ProviderNetworks1764000000023 } from './migrations/1764000000023-provider-networks.js';

export const MIGRATIONS = [
  InitialSchema1764000000000,
  ActiveNodeIndexes1764000000001,
  NodeRegistration1764000000002,
  ServerRoles1764000000003,
  NodeListJson1764000000004,
  AuthHardening1764000000005,
  IdempotencyKeys1764000000006,
  ServerRoleSecretAttributes1764000000007,
  PrincipalChangeNotify1764000000008,
  Agents1764000000009,
  Metrics1764000000010,
  Checks1764000000011,
  Alerts1764000000012,
  CheckHistoryRetention1764000000013,
  Constellations1764000000014,
  Balancers1764000000015,
  LiveNodeCountsIndex1764000000017,
  NodeAgentFacts1764000000018,
  CommandHistory1764000000020,
  ServiceGuarantee1764000000021,
  ConstellationBalancers1764000000022,
  ProviderNetworks1764000000023,
];

export function createDataSource(url: string, options: { poolSize?: number } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [UserEntity, ApiTokenEntity, ProviderEntity, CatalogItemEntity, NodeEntity, JobEntity, AuditEventEntity, ServerRoleEntity, ServerRoleNodeEntity, AgentTokenEntity, AgentEntity, AgentRunEntity, CheckEntity, BalancerEntity, BalancerMemberEntity],
    migrations: MIGRATIONS,
    migrationsTableName: 'overmind_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: options.poolSize ?? 20, application_name: 'overmind' },
  });
}

/** Applies committed migrations; returns the names of those it ran. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  return ran.map((m) => m.name);
}
