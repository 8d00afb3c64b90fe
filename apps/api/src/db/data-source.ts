import { DataSource } from 'typeorm';
import {
  ApiTokenEntity,
  AuditEventEntity,
  CatalogItemEntity,
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
];

export function createDataSource(url: string, options: { poolSize?: number } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [UserEntity, ApiTokenEntity, ProviderEntity, CatalogItemEntity, NodeEntity, JobEntity, AuditEventEntity, ServerRoleEntity, ServerRoleNodeEntity],
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
