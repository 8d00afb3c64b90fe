/**
 * A constellation tier's balancer: what the tier's `balancer` asks the balancer service for, the
 * balancers as the plan sees them, and the apply's two ends of a tier's balancer life (made before
 * the tier's members need it, destroyed once the tier, or its balancer, left the spec).
 */
import { isDeepStrictEqual } from 'node:util';
import { describeHealthCheck, type BalancerAlgorithm, type HealthCheck } from '@overmind/provider';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../lib/actor.js';
import type { BalancerService, BalancerWithMembers, CreateBalancerInput } from '../balancers/balancer-service.js';
import type { CurrentBalancer, Machine } from './constellation-plan.js';
import type { TierSpec } from './constellation-spec.js';

export type TierBalancers = Pick<BalancerService, 'ofConstellation' | 'create' | 'attach' | 'detach' | 'destroy' | 'setHealthCheck'>;

type Membership = NonNullable<TierSpec['balancer']>;

const ALGORITHMS: Record<NonNullable<Membership['algorithm']>, BalancerAlgorithm> = { 'round-robin': 'round_robin', 'least-connections': 'least_connections' };

/** The spec's health check in the contract's terms: `http` when it names a path, else `tcp`. */
export function healthCheckOf(b: Membership): HealthCheck | undefined {
  const h = b.healthCheck;
  if (!h) return undefined;
  return {
    protocol: h.path ? 'http' : 'tcp',
    ...(h.path ? { path: h.path } : {}),
    intervalSeconds: h.intervalSeconds ?? 10,
    timeoutSeconds: h.timeoutSeconds ?? 5,
    healthyThreshold: h.healthyThreshold ?? 3,
    unhealthyThreshold: h.unhealthyThreshold ?? 3,
  };
}

/**
 * How a balancer's health check changes, in words; none when the spec leaves it as it is. A spec
 * without one keeps what the balancer has (the provider's default, or one set outside the spec).
 */
export function healthCheckChange(now: HealthCheck | null, wanted: HealthCheck | null): string[] {
  if (!wanted || (now && isDeepStrictEqual(now, wanted))) return [];
  return [`health check ${now ? describeHealthCheck(now) : 'the default'} → ${describeHealthCheck(wanted)}`];
}

export function balancerInput(constellationId: string, tier: TierSpec, machine: Machine): CreateBalancerInput {
  const b = tier.balancer!;
  const healthCheck = healthCheckOf(b);
  return {
    name: b.name,
    port: b.port,
    protocol: b.protocol,
    memberPort: b.memberPort ?? b.port,
    algorithm: ALGORITHMS[b.algorithm ?? 'round-robin'],
    ...(healthCheck ? { healthCheck } : {}),
    locationId: machine.locationId,
    ...(b.hostNodeId ? { hostNodeId: b.hostNodeId } : {}),
    owner: { constellationId, tier: tier.name },
  };
}

/**
 * What a new spec would change of a tier balancer that is made, beyond its health check:
 * none of it can change in place. One sentence per balancer, empty when nothing does.
 */
export function fixedSettingChanges(live: BalancerWithMembers[], tiers: TierSpec[]): string[] {
  const problems: string[] = [];
  for (const b of live) {
    const wanted = tiers.find((t) => t.name === b.tier)?.balancer;
    // One on its way out, or never made at its provider (the next apply makes it again with the new settings).
    if (!wanted || b.state === 'destroying' || (b.state === 'error' && !b.providerBalancerId)) continue;
    const asked = { name: wanted.name, port: wanted.port, protocol: wanted.protocol, memberPort: wanted.memberPort ?? wanted.port, algorithm: ALGORITHMS[wanted.algorithm ?? 'round-robin'], hostNodeId: wanted.hostNodeId ?? null };
    const diff = (Object.keys(asked) as (keyof typeof asked)[]).filter((k) => asked[k] !== b[k]).map((k) => `${k} ${b[k] ?? 'none'} → ${asked[k] ?? 'none'}`);
    if (diff.length > 0) problems.push(`tier ${b.tier}'s balancer ${b.name}: ${diff.join(', ')}`);
  }
  return problems;
}

/** Nodes a balancer has or is taking in (not those on their way out, nor failed attaches). */
export const rotation = (b: BalancerWithMembers): string[] => b.members.filter((m) => m.state !== 'detaching' && m.state !== 'error').map((m) => m.nodeId);

export function currentBalancers(list: BalancerWithMembers[]): CurrentBalancer[] {
  return list.map((b) => ({ id: b.id, tier: b.tier!, name: b.name, port: b.port, protocol: b.protocol, made: !(b.state === 'error' && !b.providerBalancerId), nodeIds: rotation(b), healthCheck: b.healthCheck }));
}

/**
 * Makes the balancer of every tier that asks for one and has none (a create that failed is made
 * again). Idempotent: each run of the apply calls it.
 */
export async function ensureTierBalancers(
  deps: { db: DataSource; balancers: TierBalancers },
  actor: Actor,
  constellationId: string,
  tiers: TierSpec[],
  machineOf: (tier: string) => Promise<Machine>,
  log: (line: string) => void,
): Promise<void> {
  const live = await deps.balancers.ofConstellation(constellationId);
  for (const tier of tiers) {
    if (!tier.balancer) continue;
    const have = live.find((b) => b.tier === tier.name);
    if (have && have.state === 'error' && !have.providerBalancerId) {
      // Never made at its provider: nothing to destroy there; a new row takes its place.
      await deps.db.query(`UPDATE balancers SET state = 'destroyed', destroyed_at = now() WHERE id = $1`, [have.id]);
      log(`balancer ${have.name} of tier ${tier.name} was never made (${have.stateMessage ?? 'no reason given'}); making it again`);
    } else if (have) continue;
    const machine = await machineOf(tier.name);
    const { balancer, job } = await deps.balancers.create(actor, machine.providerId, balancerInput(constellationId, tier, machine));
    log(`balancer ${balancer.name} of tier ${tier.name}: balancer.create job ${job.id}`);
  }
}

/**
 * Gives each kept tier balancer the health check its spec asks for (the plan's `update`), once per
 * apply. Answers how many such changes are still in progress (the apply waits) and, when one this
 * apply queued failed, throws why.
 */
export async function updateTierHealthChecks(deps: { db: DataSource; balancers: TierBalancers }, actor: Actor, constellationId: string, tiers: TierSpec[], since: Date, log: (line: string) => void): Promise<number> {
  let waiting = 0;
  for (const b of await deps.balancers.ofConstellation(constellationId)) {
    const wanted = tiers.find((t) => t.name === b.tier)?.balancer;
    if (!wanted || !b.providerBalancerId) continue;
    const [queued] = await deps.db.query(
      `SELECT id, state, error FROM jobs WHERE target_id = $1 AND type = 'balancer.health-check' AND created_at >= $2 ORDER BY created_at DESC LIMIT 1`,
      [b.id, since],
    );
    if (queued?.state === 'failed' || queued?.state === 'cancelled') throw new Error(`balancer ${b.name} of tier ${b.tier}: balancer.health-check job ${queued.id} ${queued.state}: ${queued.error ?? 'no reason given'}`);
    if (queued) {
      if (queued.state !== 'succeeded') waiting++;
      continue;
    }
    const [change] = healthCheckChange(b.healthCheck, healthCheckOf(wanted) ?? null);
    if (!change) continue;
    const job = await deps.balancers.setHealthCheck(actor, b.id, healthCheckOf(wanted)!);
    log(`balancer ${b.name} of tier ${b.tier}: ${change}: balancer.health-check job ${job.id}`);
    waiting++;
  }
  return waiting;
}

/**
 * Destroys the balancers of tiers not in `keep` once their members are gone. Answers what is still
 * in progress (the apply waits) and, when a destroy this apply queued failed, throws why.
 */
export async function removeTierBalancers(deps: { db: DataSource; balancers: TierBalancers }, actor: Actor, constellationId: string, keep: Set<string>, since: Date, log: (line: string) => void): Promise<number> {
  let waiting = 0;
  for (const b of await deps.balancers.ofConstellation(constellationId)) {
    if (keep.has(b.tier!)) continue;
    if (b.state === 'destroying' || b.state === 'creating') {
      waiting++;
      continue;
    }
    const [failed] = await deps.db.query(
      `SELECT id, error FROM jobs WHERE target_id = $1 AND type = 'balancer.destroy' AND state = 'failed' AND created_at >= $2 ORDER BY created_at DESC LIMIT 1`,
      [b.id, since],
    );
    if (failed) throw new Error(`balancer ${b.name} of tier ${b.tier}: balancer.destroy job ${failed.id} failed: ${failed.error ?? 'no reason given'}`);
    const job = await deps.balancers.destroy(actor, b.id);
    log(`balancer ${b.name} of tier ${b.tier}: balancer.destroy job ${job.id}`);
    waiting++;
  }
  return waiting;
}
