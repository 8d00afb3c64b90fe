/** What a spec change may do to a tier's balancer: the health check changes in place, the rest only on one never made. */
import { describe, expect, it } from 'vitest';
import type { BalancerWithMembers } from '../src/modules/balancers/balancer-service.js';
import { fixedSettingChanges, healthCheckChange } from '../src/modules/constellations/constellation-balancers.js';
import type { TierSpec } from '../src/modules/constellations/constellation-spec.js';

const at = new Date('2026-12-01T00:00:00Z');
const row = (patch: Partial<BalancerWithMembers>): BalancerWithMembers => ({
  id: 'b1', providerId: 'p1', providerBalancerId: 'lb-1', name: 'web-lb', state: 'active', stateMessage: null, protocol: 'http', port: 80, memberPort: 8080,
  algorithm: 'round_robin', address: '127.0.0.1', healthCheck: null, locationId: 'lab-1', hostNodeId: null, options: {}, constellationId: 'c1', tier: 'web',
  createdBy: null, createdAt: at, updatedAt: at, destroyedAt: null, members: [], ...patch,
});
const tier = (balancer: Partial<NonNullable<TierSpec['balancer']>>): TierSpec[] => [
  { name: 'web', serverRole: 'web', count: 2, balancer: { name: 'web-lb', port: 80, protocol: 'http', memberPort: 8080, ...balancer } } as TierSpec,
];

describe('tier balancer changes', () => {
  it('names each fixed setting a made balancer would change, and nothing when only the health check changes', () => {
    expect(fixedSettingChanges([row({})], tier({ port: 81, algorithm: 'least-connections' }))).toEqual([
      "tier web's balancer web-lb: port 80 → 81, algorithm round_robin → least_connections",
    ]);
    expect(fixedSettingChanges([row({})], tier({ healthCheck: { path: '/up' } }))).toEqual([]);
  });

  it('lets a balancer that was never made, or is on its way out, take any settings', () => {
    expect(fixedSettingChanges([row({ state: 'error', providerBalancerId: null, stateMessage: 'quota' })], tier({ port: 81 }))).toEqual([]);
    expect(fixedSettingChanges([row({ state: 'destroying' })], tier({ port: 81 }))).toEqual([]);
    // Made, then failed later: still made at its provider, so still fixed.
    expect(fixedSettingChanges([row({ state: 'error' })], tier({ port: 81 }))).toHaveLength(1);
  });

  it('describes a health check change, and none when the spec leaves it out or asks for what is there', () => {
    const check = { protocol: 'http' as const, path: '/up', intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 3 };
    expect(healthCheckChange(null, check)).toEqual(['health check the default → http GET /up every 10 s (timeout 5 s, 3 up, 3 down)']);
    expect(healthCheckChange(check, check)).toEqual([]);
    expect(healthCheckChange(check, null)).toEqual([]);
  });
});
