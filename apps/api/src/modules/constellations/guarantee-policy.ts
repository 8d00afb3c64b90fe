/**
 * The service guarantee's decisions, pure: given a tier's policy, its members as they are (node state,
 * health, agent, balancer) and where each is on the remediation ladder, what changes — steps to start,
 * attempts that ended, failures for the circuit breaker. The reconciler (guarantee-reconciler.ts)
 * reads the rows, calls `decideTier` and writes what it returns, so the bench measures the reads and
 * writes apart from this.
 */
import { memberKey } from './constellation-outputs.js';
import type { REMEDIATIONS, TierSpec } from './constellation-spec.js';

export type Remediation = (typeof REMEDIATIONS)[number];

export interface GuaranteePolicy {
  gracePeriodSeconds: number;
  maxUnavailable: number;
  remediation: Remediation[];
  restartService: string | null;
  settleSeconds: number;
  backoffSeconds: number;
  breakerFailures: number;
  breakerWindowSeconds: number;
}

/** A tier's policy with the defaults filled in; null for a tier without a `health` block (no guarantee). */
export function policyOf(tier: Pick<TierSpec, 'health'>): GuaranteePolicy | null {
  const h = tier.health;
  if (!h) return null;
  return {
    gracePeriodSeconds: h.gracePeriodSeconds ?? 120,
    maxUnavailable: h.maxUnavailable ?? 1,
    remediation: (h.remediation ?? (h.restartService ? ['restart-service', 'converge', 'reboot', 'replace'] : ['converge', 'reboot', 'replace'])) as Remediation[],
    restartService: h.restartService ?? null,
    settleSeconds: h.settleSeconds ?? 60,
    backoffSeconds: h.backoffSeconds ?? 30,
    breakerFailures: h.breakerFailures ?? 3,
    breakerWindowSeconds: h.breakerWindowSeconds ?? 3600,
  };
}

/** Where a member is on the ladder (its guarantee_members row). */
export interface LadderState {
  unhealthySince: Date | null;
  reason: string | null;
  rung: number;
  attempts: number;
  nextAttemptAt: Date | null;
  recoveredAt: Date | null;
  attemptId: string | null;
}

/** The step in flight on a member and its job. */
export interface AttemptInFlight {
  id: string;
  step: Remediation;
  startedBy: string;
  jobId: string | null;
  jobState: string | null;
  jobError: string | null;
  jobFinishedAt: Date | null;
}

export interface MemberInput {
  nodeId: string;
  tier: string;
  ordinal: number;
  state: string;
  health: string | null;
  agentState: string | null;
  /** Its state in the tier's balancer, where it is in one. */
  balancerState: string | null;
  /** A job is running on the node: it is neither judged nor remediated meanwhile. */
  busy: boolean;
  /** No longer a member (replaced, destroyed): its ladder row ends once its step has. */
  gone: boolean;
  ladder: LadderState | null;
  attempt: AttemptInFlight | null;
}

export interface TierInput {
  constellationId: string;
  tier: string;
  policy: GuaranteePolicy;
  breakerOpen: boolean;
  failures: Date[];
  members: MemberInput[];
}

export type Outcome = 'recovered' | 'ineffective' | 'failed' | 'replaced';

export interface TierDecision {
  /** New ladder rows, for the members whose row changes. */
  ladders: { nodeId: string; ladder: LadderState }[];
  finished: { attemptId: string; nodeId: string; step: Remediation; outcome: Outcome; detail: string | null; jobFinishedAt: Date | null }[];
  starts: { nodeId: string; key: string; step: Remediation; reason: string; rung: number }[];
  /** Failure times within the window, the new ones included; null when unchanged. */
  failures: Date[] | null;
  trip: string | null;
  /** Members unhealthy and waiting, and why (grace period, backoff, maxUnavailable, breaker). */
  waiting: number;
}

const EMPTY: LadderState = { unhealthySince: null, reason: null, rung: 0, attempts: 0, nextAttemptAt: null, recoveredAt: null, attemptId: null };
const DOWN_STATES = new Set(['error', 'stopped', 'terminated', 'unknown']);
const ACTIVE_JOB = new Set(['queued', 'running']);

/** Why a member is unhealthy, null when it is healthy, undefined when it cannot be judged now (in a transition under a job). */
export function unhealthyReason(m: Pick<MemberInput, 'state' | 'health' | 'agentState' | 'balancerState' | 'busy' | 'gone'>): string | null | undefined {
  if (m.busy || m.gone) return undefined;
  if (m.state !== 'running') return DOWN_STATES.has(m.state) ? `node is ${m.state}` : `node is ${m.state} with no job on it`;
  if (m.health === 'critical' || m.health === 'stale') return `health is ${m.health}`;
  if (m.agentState === 'disconnected') return 'its agent is disconnected';
  if (m.balancerState === 'unhealthy') return "the balancer's health check fails";
  return null;
}

const seconds = (s: number) => s * 1000;

/** The wait before a member's next step: the backoff doubled for each step taken on it lately (at most 64 times). */
export function backoffUntil(now: Date, policy: GuaranteePolicy, attempts: number): Date {
  return new Date(now.getTime() + seconds(policy.backoffSeconds) * 2 ** Math.min(Math.max(attempts - 1, 0), 6));
}

export function decideTier(input: TierInput, now: Date): TierDecision {
  const { policy } = input;
  const out: TierDecision = { ladders: [], finished: [], starts: [], failures: null, trip: null, waiting: 0 };
  const windowStart = now.getTime() - seconds(policy.breakerWindowSeconds);
  const failures = input.failures.filter((f) => f.getTime() > windowStart);
  let failed = failures.length !== input.failures.length;
  const fail = () => {
    failures.push(now);
    failed = true;
  };
  let inFlight = 0;
  const candidates: { m: MemberInput; ladder: LadderState }[] = [];

  for (const m of input.members) {
    const before = m.ladder;
    const ladder: LadderState = { ...(before ?? EMPTY) };
    const reason = unhealthyReason(m);
    const a = m.attempt;
    if (a && ladder.attemptId === a.id) {
      const active = a.jobState !== null && ACTIVE_JOB.has(a.jobState);
      const done = a.jobState === 'succeeded';
      // After a step that did its job, the member has `settleSeconds` to report healthy (busy: not judged yet).
      const settling = done && !m.gone && a.step !== 'replace' && reason !== null
        && (reason === undefined || (a.jobFinishedAt !== null && now.getTime() < a.jobFinishedAt.getTime() + seconds(policy.settleSeconds)));
      if (active || settling) {
        inFlight++;
      } else {
        const outcome: Outcome = !done || (m.gone && a.step !== 'replace') ? 'failed' : a.step === 'replace' ? 'replaced' : reason === null ? 'recovered' : 'ineffective';
        const detail = outcome === 'failed' ? (done ? 'the node is gone' : (a.jobError ?? `job ${a.jobState ?? 'missing'}`)) : outcome === 'ineffective' ? (reason ?? null) : null;
        out.finished.push({ attemptId: a.id, nodeId: m.nodeId, step: a.step, outcome, detail, jobFinishedAt: a.jobFinishedAt });
        ladder.attemptId = null;
        if (outcome === 'recovered' || outcome === 'replaced') {
          Object.assign(ladder, { unhealthySince: null, reason: null, rung: 0, recoveredAt: now, nextAttemptAt: backoffUntil(now, policy, ladder.attempts) });
        } else {
          if (outcome === 'failed') fail();
          ladder.rung++;
          if (ladder.rung >= policy.remediation.length) {
            // The ladder ran out and the member is still unhealthy: a failure, and round again after the backoff.
            if (outcome !== 'failed') fail();
            ladder.rung = 0;
          }
          ladder.nextAttemptAt = backoffUntil(now, policy, ladder.attempts);
        }
      }
    }
    if (ladder.attemptId === null && reason !== undefined) {
      if (reason === null) {
        if (ladder.unhealthySince) Object.assign(ladder, { unhealthySince: null, reason: null, rung: 0 });
        if (ladder.attempts > 0 && ladder.recoveredAt && ladder.recoveredAt.getTime() <= windowStart) Object.assign(ladder, { attempts: 0, recoveredAt: null });
      } else {
        if (!ladder.unhealthySince) {
          // Unhealthy again soon after a remediation brought it back: the remediation did not hold.
          if (ladder.recoveredAt && ladder.recoveredAt.getTime() > windowStart) fail();
          ladder.unhealthySince = now;
        }
        ladder.reason = reason;
        const graceOver = now.getTime() >= ladder.unhealthySince.getTime() + seconds(policy.gracePeriodSeconds);
        const backedOff = !ladder.nextAttemptAt || now.getTime() >= ladder.nextAttemptAt.getTime();
        if (graceOver && backedOff) candidates.push({ m, ladder });
        else out.waiting++;
      }
    }
    if (!sameLadder(before ?? EMPTY, ladder)) out.ladders.push({ nodeId: m.nodeId, ladder });
    else if (m.gone && before) out.ladders.push({ nodeId: m.nodeId, ladder });
  }

  if (failed) out.failures = failures;
  let open = input.breakerOpen;
  if (!open && failures.length >= policy.breakerFailures) {
    out.trip = `${failures.length} failed remediation(s) within ${policy.breakerWindowSeconds} s (the breaker trips at ${policy.breakerFailures})`;
    open = true;
  }
  candidates.sort((x, y) => x.ladder.unhealthySince!.getTime() - y.ladder.unhealthySince!.getTime());
  for (const { m, ladder } of candidates) {
    if (open || inFlight >= policy.maxUnavailable) {
      out.waiting++;
      continue;
    }
    inFlight++;
    const rung = Math.min(ladder.rung, policy.remediation.length - 1);
    out.starts.push({ nodeId: m.nodeId, key: memberKey(m.tier, m.ordinal), step: policy.remediation[rung]!, reason: ladder.reason!, rung });
  }
  return out;
}

function sameLadder(a: LadderState, b: LadderState): boolean {
  const t = (d: Date | null) => d?.getTime() ?? null;
  return a.rung === b.rung && a.attempts === b.attempts && a.reason === b.reason && a.attemptId === b.attemptId
    && t(a.unhealthySince) === t(b.unhealthySince) && t(a.nextAttemptAt) === t(b.nextAttemptAt) && t(a.recoveredAt) === t(b.recoveredAt);
}
