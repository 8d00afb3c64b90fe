/**
 * The plan: what apply would do to bring the members to a spec version, computed in memory from one
 * read of the members and their nodes (no query per member: a 1,000-member plan stays well under a
 * second, see bench/constellation-bench.ts). Pure, so the bench measures it against plain arrays.
 */
import type { HealthCheck } from '@overmind/provider';
import { healthCheckChange, healthCheckOf } from './constellation-balancers.js';
import { configHash, memberKey, outputsDigest, tierOutputs, type TierOutputs } from './constellation-outputs.js';
import type { TierSpec } from './constellation-spec.js';

export type StepAction = 'create' | 'configure' | 'replace' | 'destroy' | 'attach';

export interface Machine {
  providerId: string;
  locationId: string;
  sizeId: string;
  imageId: string;
}

/** A tier of the spec with its server role and machine type resolved. */
export interface ResolvedTier {
  spec: TierSpec;
  role: { id: string; name: string; updatedAt: Date | string } | null;
  machine: Machine;
}

/** A member as it is now: its row and its node. */
export interface CurrentMember {
  tier: string;
  ordinal: number;
  nodeId: string;
  nodeName: string;
  state: string;
  providerNodeId: string | null;
  gone: boolean;
  machine: Partial<Machine>;
  privateIps: string[];
  publicIps: string[];
  appliedHash: string | null;
}

export interface PlanStep {
  tier: string;
  key: string;
  ordinal: number;
  action: StepAction;
  nodeId: string | null;
  reasons: string[];
}

/** A tier's balancer as it is now: the nodes in its rotation (attached, or on their way in). */
export interface CurrentBalancer {
  id: string;
  tier: string;
  name: string;
  port: number;
  protocol: string;
  /** False for one whose create failed: the next apply makes it again. */
  made: boolean;
  nodeIds: string[];
  healthCheck: HealthCheck | null;
}

export interface BalancerPlan {
  tier: string;
  name: string;
  port: number;
  protocol: string;
  /**
   * `create`: the tier asks for a balancer it does not have; `update`: its health check changes
   * (`changes` says how); `destroy`: the tier (or its balancer) left the spec.
   */
  action: 'create' | 'keep' | 'update' | 'destroy';
  changes: string[];
  balancerId: string | null;
  /** The member keys the balancer should have once the apply is done. */
  members: string[];
  /** Members added (once healthy) and drained out by this apply. */
  attach: string[];
  detach: string[];
}

export interface Plan {
  steps: PlanStep[];
  summary: Record<StepAction | 'unchanged', number>;
  balancers: BalancerPlan[];
}

/** `app-2` before `app-10`. */
const keyOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

const MACHINE_FIELDS = ['providerId', 'locationId', 'sizeId', 'imageId'] as const;

/** `tiers` in dependency order (tierOrder). */
export function computePlan(constellation: string, tiers: ResolvedTier[], members: CurrentMember[], current: CurrentBalancer[] = []): Plan {
  const byTier = new Map<string, CurrentMember[]>();
  for (const m of members) {
    const list = byTier.get(m.tier);
    if (list) list.push(m);
    else byTier.set(m.tier, [m]);
  }
  const steps: PlanStep[] = [];
  const changed = new Set<string>();
  const outputs = new Map<string, TierOutputs>();
  const balancers: BalancerPlan[] = [];
  let unchanged = 0;
  const step = (tier: string, ordinal: number, action: StepAction, nodeId: string | null, reasons: string[]) => {
    steps.push({ tier, key: memberKey(tier, ordinal), ordinal, action, nodeId, reasons });
    if (action !== 'configure' && action !== 'attach') changed.add(tier);
  };

  const balancerOf = new Map(current.map((b) => [b.tier, b]));
  for (const tier of tiers) {
    const name = tier.spec.name;
    const lb = tier.spec.balancer ? balancerOf.get(name) : undefined;
    const inRotation = new Set(lb?.made ? lb.nodeIds : []);
    const stepsBefore = steps.length;
    const slots = (byTier.get(name) ?? []).sort((a, b) => a.ordinal - b.ordinal);
    const kept = slots.slice(0, tier.spec.count);
    // Scale-down removes the highest keys; the others keep theirs.
    for (const m of slots.slice(tier.spec.count)) step(name, m.ordinal, 'destroy', m.nodeId, [`count is ${tier.spec.count}`]);
    const depsChanged = (tier.spec.dependsOn ?? []).filter((d) => changed.has(d));
    const digest = tier.role ? outputsDigest(Object.fromEntries((tier.spec.dependsOn ?? []).map((d) => [d, outputs.get(d)!]))) : '';
    const final: number[] = [];
    for (const m of kept) {
      final.push(m.ordinal);
      if (m.gone) {
        step(name, m.ordinal, 'create', null, [`node ${m.nodeName} is gone`]);
        continue;
      }
      const diff = MACHINE_FIELDS.filter((f) => m.machine[f] !== undefined && m.machine[f] !== tier.machine[f]);
      if (!m.providerNodeId && m.state === 'error') {
        step(name, m.ordinal, 'replace', m.nodeId, [`node ${m.nodeName} was never created at its provider`]);
      } else if (diff.length > 0) {
        step(name, m.ordinal, 'replace', m.nodeId, diff.map((f) => `${f} ${m.machine[f]} → ${tier.machine[f]}`));
      } else if (tier.role) {
        const reasons: string[] = [];
        if (depsChanged.length > 0) reasons.push(`outputs of ${depsChanged.join(', ')} change in this apply`);
        else if (m.appliedHash === null) reasons.push('not configured by this constellation yet');
        else if (m.appliedHash !== configHash(tier.role, constellation, tier.spec, m.ordinal, digest)) {
          reasons.push('its configuration changed (server role, run list, attributes or the outputs of its dependencies)');
        }
        if (reasons.length > 0) step(name, m.ordinal, 'configure', m.nodeId, reasons);
        else if (tier.spec.balancer && !inRotation.has(m.nodeId)) step(name, m.ordinal, 'attach', m.nodeId, [`not in balancer ${tier.spec.balancer.name} yet`]);
        else unchanged++;
      } else if (tier.spec.balancer && !inRotation.has(m.nodeId)) step(name, m.ordinal, 'attach', m.nodeId, [`not in balancer ${tier.spec.balancer.name} yet`]);
      else unchanged++;
    }
    const taken = new Set(slots.map((m) => m.ordinal));
    for (let ordinal = 1; final.length < tier.spec.count; ordinal++) {
      if (taken.has(ordinal)) continue;
      final.push(ordinal);
      step(name, ordinal, 'create', null, [`count is ${tier.spec.count}`]);
    }
    const live = kept.filter((m) => !m.gone);
    outputs.set(name, tierOutputs(name, live));
    if (tier.spec.balancer) {
      const b = tier.spec.balancer;
      const mine = steps.slice(stepsBefore);
      const changes = lb?.made ? healthCheckChange(lb.healthCheck, healthCheckOf(b) ?? null) : [];
      balancers.push({
        tier: name,
        name: b.name,
        port: b.port,
        protocol: b.protocol,
        action: !lb?.made ? 'create' : changes.length > 0 ? 'update' : 'keep',
        changes,
        balancerId: lb?.made ? lb.id : null,
        members: final.sort((a, c) => a - c).map((o) => memberKey(name, o)),
        attach: mine.filter((s) => s.action !== 'destroy' && (s.action !== 'configure' || !inRotation.has(s.nodeId!))).map((s) => s.key).sort(keyOrder),
        detach: mine.filter((s) => (s.action === 'destroy' || s.action === 'replace') && inRotation.has(s.nodeId!)).map((s) => s.key).sort(keyOrder),
      });
    }
  }

  const inSpec = new Set(tiers.map((t) => t.spec.name));
  for (const [tier, list] of byTier) {
    if (inSpec.has(tier)) continue;
    for (const m of list.sort((a, b) => a.ordinal - b.ordinal)) step(tier, m.ordinal, 'destroy', m.nodeId, [`tier ${tier} is no longer in the spec`]);
  }
  const withBalancer = new Set(tiers.filter((t) => t.spec.balancer).map((t) => t.spec.name));
  for (const b of current) {
    if (withBalancer.has(b.tier)) continue;
    const keyOf = new Map(members.map((m) => [m.nodeId, memberKey(m.tier, m.ordinal)]));
    balancers.push({ tier: b.tier, name: b.name, port: b.port, protocol: b.protocol, action: 'destroy', changes: [], balancerId: b.id, members: [], attach: [], detach: b.nodeIds.flatMap((n) => keyOf.get(n) ?? []).sort(keyOrder) });
  }

  const summary = { create: 0, configure: 0, replace: 0, destroy: 0, attach: 0, unchanged };
  for (const s of steps) summary[s.action]++;
  return { steps, summary, balancers };
}
