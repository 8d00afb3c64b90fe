/**
 * In-memory balancers of the dummy provider (like libcloud's DummyLBDriver): what the API and the
 * constellations are tested against without a cloud. Members are dummy nodes (by id) or addresses.
 */
import {
  BALANCER_ALGORITHMS,
  BALANCER_PROTOCOLS,
  checkBalancerRequest,
  checkPort,
  type BalancerMember,
  type LoadBalancerDriver,
  type MemberSpec,
  type ProviderBalancer,
} from '../balancers.js';
import { NotFoundError, ProviderError } from '../errors.js';
import type { DummyStore } from './dummy-store.js';

export interface DummyBalancerRecord {
  balancer: ProviderBalancer;
  idempotencyKey: string;
}

export function createDummyBalancers(store: DummyStore, calls: { read(): Promise<void>; write(): Promise<void> }): LoadBalancerDriver {
  const before = () => calls.write();
  const find = (id: string) => {
    const record = store.balancers.get(id);
    if (!record) throw new NotFoundError(`Dummy provider has no balancer ${id}`, { status: 404 });
    return record.balancer;
  };
  const member = (spec: MemberSpec): BalancerMember => {
    const port = checkPort(spec.port, 'Member port');
    if (!spec.nodeId && !spec.ip) throw new ProviderError('A member needs a node id or an address');
    if (spec.nodeId && !store.nodes.has(spec.nodeId)) throw new NotFoundError(`Dummy provider has no node ${spec.nodeId}`, { status: 404 });
    return { id: `${spec.nodeId ?? spec.ip}:${port}`, nodeId: spec.nodeId ?? null, ip: spec.ip ?? null, port, state: 'healthy', extra: {} };
  };
  const copy = (b: ProviderBalancer): ProviderBalancer => structuredClone(b);

  return {
    capabilities: ['setHealthCheck', 'memberByNode', 'memberByAddress', 'memberPort'],
    protocols: BALANCER_PROTOCOLS,
    algorithms: BALANCER_ALGORITHMS,
    async listBalancers() {
      await calls.read();
      return [...store.balancers.values()].map((r) => copy(r.balancer));
    },
    async getBalancer(id) {
      await calls.read();
      const r = store.balancers.get(id);
      return r ? copy(r.balancer) : null;
    },
    async createBalancer(request) {
      checkBalancerRequest(this, request);
      await before();
      for (const r of store.balancers.values()) if (r.idempotencyKey === request.idempotencyKey) return copy(r.balancer);
      const id = `dummy-lb-${store.balancers.size + 1}`;
      const balancer: ProviderBalancer = {
        id,
        name: request.name,
        state: 'active',
        protocol: request.protocol,
        port: checkPort(request.port, 'Balancer port'),
        algorithm: request.algorithm,
        address: `192.0.2.${(store.balancers.size % 250) + 1}`,
        members: request.members.map(member),
        healthCheck: request.healthCheck ?? null,
        extra: {},
      };
      store.balancers.set(id, { balancer, idempotencyKey: request.idempotencyKey });
      return copy(balancer);
    },
    async destroyBalancer(id) {
      await before();
      store.balancers.delete(id);
    },
    async attachMember(balancerId, spec) {
      await before();
      const b = find(balancerId);
      const m = member(spec);
      if (!b.members.some((x) => x.id === m.id)) b.members.push(m);
      return { ...m };
    },
    async detachMember(balancerId, memberId) {
      await before();
      const b = find(balancerId);
      b.members = b.members.filter((m) => m.id !== memberId);
    },
    async setHealthCheck(balancerId, healthCheck) {
      await before();
      find(balancerId).healthCheck = { ...healthCheck };
    },
  };
}
