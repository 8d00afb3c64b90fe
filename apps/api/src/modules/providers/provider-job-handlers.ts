import type { BalancerRefresh } from '../balancers/balancer-refresh.js';
import { InvalidCredentialsError } from '@overmind/provider';
import type { DataSource } from 'typeorm';
import { ProviderEntity } from '../../db/entities/index.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobContext, JobHandler } from '../jobs/job-runner.js';
import type { NodeSyncService } from '../nodes/node-sync-service.js';
import type { CatalogService } from './catalog-service.js';
import type { ProviderService } from './provider-service.js';

export function createProviderJobHandlers(deps: {
  db: DataSource;
  providers: Pick<ProviderService, 'get' | 'driverFor'>;
  catalog: Pick<CatalogService, 'refresh'>;
  sync: NodeSyncService;
  events: Pick<EventBus, 'publish'>;
  /** Member states of the provider's balancers, read with each sync. */
  refreshBalancers?: BalancerRefresh;
}) {
  const repo = deps.db.getRepository(ProviderEntity);

  async function markError(ctx: JobContext, error: string): Promise<void> {
    await repo.update({ id: ctx.job.targetId }, { status: 'error', statusMessage: error, lastSyncStatus: ctx.job.type === 'provider.sync' ? 'failed' : undefined });
    await deps.events.publish({ type: 'provider', id: ctx.job.targetId, status: 'error', lastSyncAt: null });
  }

  const sync: JobHandler = {
    async run(ctx) {
      const startedAt = new Date();
      const provider = await deps.providers.get(ctx.job.targetId);
      const driver = await deps.providers.driverFor(provider);
      try {
        if (!driver.listNodes) return { skipped: 'provider cannot list nodes' };
        const listed = await driver.listNodes({ signal: ctx.signal, log: ctx.log });
        ctx.log(`provider lists ${listed.length} nodes`);
        const summary = await deps.sync.sync(provider.id, listed, startedAt);
        ctx.log(`imported ${summary.imported}, updated ${summary.updated}, decommissioned ${summary.decommissioned}`);
        if (deps.refreshBalancers) {
          const changed = await deps.refreshBalancers(ctx, provider.id);
          if (changed > 0) ctx.log(`balancers: ${changed} state change(s)`);
        }
        await repo.update({ id: provider.id }, { lastSyncAt: new Date(), lastSyncStatus: 'ok', status: 'ok', statusMessage: null });
        await deps.events.publish({ type: 'provider', id: provider.id, status: 'ok', lastSyncAt: new Date().toISOString(), summary: { ...summary } });
        return { ...summary };
      } catch (err) {
        if (err instanceof InvalidCredentialsError) await markError(ctx, err.message);
        throw err;
      } finally {
        await driver.close?.().catch(() => {});
      }
    },
    onFailure: markError,
  };

  const refresh: JobHandler = {
    async run(ctx) {
      const provider = await deps.providers.get(ctx.job.targetId);
      const driver = await deps.providers.driverFor(provider);
      try {
        const counts = await deps.catalog.refresh(provider.id, driver, ctx.signal);
        ctx.log(`catalog: ${counts.image} images, ${counts.size} sizes, ${counts.location} locations`);
        return counts;
      } finally {
        await driver.close?.().catch(() => {});
      }
    },
    onFailure: markError,
  };

  return { 'provider.sync': sync, 'provider.refresh': refresh } satisfies Record<string, JobHandler>;
}
