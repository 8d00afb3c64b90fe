/**
 * The balancer driver of a balancer row: its provider's own, or HAProxy on its host node reached
 * over the API's SSH access to it. Shared by the balancer jobs and the refresh of member states.
 */
import { createHaproxyBalancers, type HaproxySettings } from '@overmind/lb-haproxy';
import type { LoadBalancerDriver, OperationContext } from '@overmind/provider';
import type { DataSource } from 'typeorm';
import { NodeEntity, type BalancerRow } from '../../db/entities/index.js';
import type { NodeAccess } from '../cm/node-access.js';
import type { JobContext } from '../jobs/job-runner.js';
import type { ProviderService } from '../providers/provider-service.js';

export const opCtx = (ctx: JobContext): OperationContext => ({ signal: ctx.signal, log: (line) => ctx.log(line) });

export function createBalancerDrivers(deps: {
  db: DataSource;
  providers: Pick<ProviderService, 'get' | 'driverFor'>;
  access: Pick<NodeAccess, 'withSession'>;
  /** How HAProxy runs on balancer hosts (config `haproxy`). */
  haproxy?: Omit<HaproxySettings, 'address'>;
}) {
  const nodes = deps.db.getRepository(NodeEntity);
  return {
    async withDriver<T>(ctx: JobContext, b: BalancerRow, fn: (lb: LoadBalancerDriver) => Promise<T>): Promise<T> {
      if (b.hostNodeId) {
        const host = await nodes.findOneBy({ id: b.hostNodeId });
        if (!host) throw new Error(`The HAProxy host of balancer ${b.name} is gone`);
        const lb = createHaproxyBalancers(
          { withSession: (f) => deps.access.withSession(host, ctx, (session) => f(session)) },
          { ...deps.haproxy, address: host.publicIps[0] ?? host.privateIps[0] ?? null },
        );
        return fn(lb);
      }
      const driver = await deps.providers.driverFor(await deps.providers.get(b.providerId));
      try {
        if (!driver.balancers) throw new Error(`The provider of balancer ${b.name} has no load balancers`);
        return await fn(driver.balancers);
      } finally {
        await driver.close?.().catch(() => {});
      }
    },
  };
}

export type BalancerDrivers = ReturnType<typeof createBalancerDrivers>;
