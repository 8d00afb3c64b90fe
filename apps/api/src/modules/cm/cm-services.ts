import type { DataSource } from 'typeorm';
import type { KitchenLimits } from '../../config.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { AuditService } from '../audit/audit-service.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobService } from '../jobs/job-service.js';
import type { NodeService } from '../nodes/node-service.js';
import type { CatalogService } from '../providers/catalog-service.js';
import type { ProviderService } from '../providers/provider-service.js';
import { createCmRegistry } from './cm-registry.js';
import { createKitchenArchives } from './kitchen-archives.js';
import { createKitchenService } from './kitchen-service.js';
import { createNodeAccess } from './node-access.js';
import { createServerRoleService } from './server-role-service.js';
import { DEFAULT_SSH_WAIT } from './ssh-wait.js';

/** Configuration management: the kitchen, server roles, and what the configure jobs need. */
export function createCmServices(deps: {
  kitchenDir: string;
  kitchenLimits: KitchenLimits;
  db: DataSource;
  secrets: SecretBox;
  events: Pick<EventBus, 'publish'>;
  audit: Pick<AuditService, 'record'>;
  jobs: Pick<JobService, 'enqueue' | 'activeFor'>;
  catalog: Pick<CatalogService, 'unknownIds' | 'checkNetworks'>;
  providers: Pick<ProviderService, 'get' | 'plugin' | 'driverFor'>;
  nodes: Pick<NodeService, 'create'>;
  /** How long a configure job waits for a new node's SSH to answer. */
  sshWaitSeconds: number;
}) {
  const kitchen = createKitchenService({ kitchenDir: deps.kitchenDir, limits: deps.kitchenLimits, cm: createCmRegistry(), audit: deps.audit });
  const serverRoles = createServerRoleService({ ...deps, kitchen });
  const sshWait = { ...DEFAULT_SSH_WAIT, timeoutMs: deps.sshWaitSeconds * 1000 };
  const access = createNodeAccess({ db: deps.db, providers: deps.providers, serverRoles, sshWait });
  return { kitchen, archives: createKitchenArchives(deps.kitchenDir), serverRoles, sshWait, access };
}

export type CmServices = ReturnType<typeof createCmServices>;
