/** The guarantee's decisions on plain inputs: maxUnavailable, the grace period, backoff, the ladder, the breaker. */
import { describe, expect, it } from 'vitest';
import { decideTier, policyOf, type MemberInput, type TierInput } from '../src/modules/constellations/guarantee-policy.js';

const now = new Date('2026-12-02T10:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);
const policy = policyOf({ health: { gracePeriodSeconds: 60, maxUnavailable: 2, remediation: ['reboot', 'replace'], settleSeconds: 30, backoffSeconds: 10, breakerFailures: 2 } })!;
const member = (n: number, patch: Partial<MemberInput> = {}): MemberInput => ({
  nodeId: `n${n}`, tier: 'web', ordinal: n, state: 'running', health: 'critical', agentState: 'connected', balancerState: null, busy: false, gone: false,
  ladder: { unhealthySince: ago(120 - n), reason: 'health is critical', rung: 0, attempts: 0, nextAttemptAt: null, recoveredAt: null, attemptId: null },
  attempt: null, ...patch,
});
const tier = (members: MemberInput[], patch: Partial<TierInput> = {}): TierInput => ({ constellationId: 'c', tier: 'web', policy, breakerOpen: false, failures: [], members, ...patch });

describe('guarantee decisions', () => {
  it('starts at most maxUnavailable steps in a tier, counting those in flight, the longest unhealthy first', () => {
    const inFlight = member(1, { attempt: { id: 'a1', step: 'reboot', startedBy: 'x', jobId: 'j1', jobState: 'running', jobError: null, jobFinishedAt: null } });
    inFlight.ladder!.attemptId = 'a1';
    const d = decideTier(tier([inFlight, member(2), member(3), member(4)]), now);
    expect(d.starts.map((s) => `${s.key} ${s.step}`)).toEqual(['web-2 reboot']);
    expect(d.waiting).toBe(2);
    expect(decideTier(tier([member(2), member(3), member(4)]), now).starts.map((s) => s.key)).toEqual(['web-2', 'web-3']);
  });

  it('waits out the grace period and the backoff; a healthy or busy member gets nothing', () => {
    const fresh = member(1, { ladder: null });
    const backingOff = member(2, { ladder: { ...member(2).ladder!, nextAttemptAt: new Date(now.getTime() + 5000) } });
    const d = decideTier(tier([fresh, backingOff, member(3, { health: 'ok' }), member(4, { busy: true })]), now);
    expect(d.starts).toEqual([]);
    expect(d.ladders.find((l) => l.nodeId === 'n1')!.ladder.unhealthySince).toEqual(now);
    expect(d.ladders.find((l) => l.nodeId === 'n3')!.ladder.unhealthySince).toBeNull();
    expect(d.ladders.some((l) => l.nodeId === 'n4')).toBe(false);
  });

  it('moves up the ladder after an ineffective step, and counts a failed job and a run-out ladder against the breaker, which then stops everything', () => {
    const done = (n: number, step: 'reboot' | 'replace', jobState: string, rung: number) => {
      const m = member(n, { attempt: { id: `a${n}`, step, startedBy: 'x', jobId: `j${n}`, jobState, jobError: jobState === 'failed' ? 'provider said no' : null, jobFinishedAt: ago(31) } });
      m.ladder = { ...m.ladder!, attemptId: `a${n}`, rung, attempts: 1 };
      return m;
    };
    const d = decideTier(tier([done(1, 'reboot', 'succeeded', 0), done(2, 'replace', 'failed', 1), member(3)], { failures: [ago(100), ago(7200)] }), now);
    expect(d.finished.map((f) => `${f.nodeId} ${f.outcome}`)).toEqual(['n1 ineffective', 'n2 failed']);
    expect(d.ladders.find((l) => l.nodeId === 'n1')!.ladder).toMatchObject({ rung: 1, attemptId: null, nextAttemptAt: new Date(now.getTime() + 10_000) });
    // n2: its last step's job failed (one failure, with the ladder run out); with one earlier in the
    // window (the one outside it is forgotten) the breaker (at 2) trips, and nothing starts.
    expect(d.failures).toEqual([ago(100), now]);
    expect(d.ladders.find((l) => l.nodeId === 'n2')!.ladder.rung).toBe(0);
    expect(d.trip).toContain('2 failed remediation(s)');
    expect(d.starts).toEqual([]);
    expect(decideTier(tier([member(3)], { breakerOpen: true }), now).starts).toEqual([]);
  });

  it('counts a relapse soon after a recovery as a failure', () => {
    const relapsed = member(1, { ladder: { unhealthySince: null, reason: null, rung: 0, attempts: 1, nextAttemptAt: null, recoveredAt: ago(300), attemptId: null } });
    const d = decideTier(tier([relapsed]), now);
    expect(d.failures).toEqual([now]);
    expect(d.trip).toBeNull();
  });
});
