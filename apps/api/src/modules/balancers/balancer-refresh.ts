/**
 * Brings a provider's balancers and their members' states up to what each balancer says now (its
 * own health check where the driver can tell). Runs with the provider's sync; a balancer that cannot
 * be read is logged and left as it was, never failing the sync.
 */
import { In, IsNull, Not, type DataSource } from 'typeorm';
import { BalancerEntity, BalancerMemberEntity } from '../../db/entities/index.js';
import type { JobContext } from '../jobs/job-runner.js';
import { opCtx, type BalancerDrivers } from './balancer-drivers.js';

export function createBalancerRefresh(deps: { db: DataSource; drivers: BalancerDrivers }) {
  const balancers = deps.db.getRepository(BalancerEntity);
  const members = deps.db.getRepository(BalancerMemberEntity);
  return async function refreshBalancers(ctx: JobContext, providerId: string): Promise<number> {
    const rows = await balancers.find({ where: { providerId, destroyedAt: IsNull(), providerBalancerId: Not(IsNull()), state: Not(In(['creating', 'destroying'])) } });
    let changed = 0;
    for (const b of rows) {
      try {
        const seen = await deps.drivers.withDriver(ctx, b, (lb) => lb.getBalancer(b.providerBalancerId!, opCtx(ctx)));
        if (!seen) {
          await balancers.update({ id: b.id }, { state: 'error', stateMessage: 'the provider no longer has it' });
          changed++;
          continue;
        }
        if (seen.state !== b.state || seen.address !== b.address) {
          await balancers.update({ id: b.id }, { state: seen.state, address: seen.address });
          changed++;
        }
        // Members a job is working on are that job's to update.
        for (const m of await members.findBy({ balancerId: b.id, memberId: Not(IsNull()), state: Not(In(['attaching', 'detaching'])) })) {
          const found = seen.members.find((x) => x.id === m.memberId);
          const state = found?.state ?? 'error';
          if (state === m.state) continue;
          await members.update({ balancerId: b.id, nodeId: m.nodeId }, { state, stateMessage: found ? null : 'no longer in the balancer' });
          changed++;
        }
      } catch (err) {
        ctx.log(`balancer ${b.name}: its state could not be read: ${(err as Error).message}`, 'warn');
      }
    }
    return changed;
  };
}

export type BalancerRefresh = ReturnType<typeof createBalancerRefresh>;
