import type { NodeFacts } from '@overmind/provider';
import type { JobHandler } from '../jobs/job-runner.js';
import type { JobPayloads } from '../jobs/job-types.js';
import { createNodeJobSupport, fromProvider, type NodeJobDeps } from './node-job-support.js';
import type { NodeRegistrationService } from './node-registration-service.js';

function describeFacts(f: NodeFacts): string {
  const parts = [f.hostname, f.os?.prettyName, f.kernel?.release && `kernel ${f.kernel.release}`, f.cpu?.count && `${f.cpu.count} CPUs`];
  return parts.filter(Boolean).join(', ') || 'nothing the server would tell';
}

/** Jobs on registered servers: registration (reach it, pin its host key, gather facts) and facts refresh. */
export function createNodeRegistrationHandlers(deps: NodeJobDeps & { registrations: Pick<NodeRegistrationService, 'registrationOf'> }) {
  const { nodes, save, withDriver } = createNodeJobSupport(deps);

  const register: JobHandler = {
    run: (ctx) =>
      withDriver(ctx, async (node, driver) => {
        if (!driver.registerNode) throw new Error('this provider cannot register existing servers');
        const registration = deps.registrations.registrationOf(node);
        ctx.log(`registering ${node.name}`);
        const { driverState, ...seen } = await driver.registerNode(
          { id: node.id, name: node.name, registration },
          { signal: ctx.signal, log: ctx.log },
        );
        const facts = (seen.extra.facts as NodeFacts | undefined) ?? null;
        await save(node, { ...fromProvider(seen), facts: facts as unknown as Record<string, unknown> | null, driverState });
        if (facts) ctx.log(`facts: ${describeFacts(facts)}`);
        ctx.log(`${node.name} is ${node.state}`);
        return { state: node.state, hostKeyFingerprint: (driverState.hostKeyFingerprint as string | undefined) ?? null };
      }),
    // The reason is the job's error; the node shows that it is not managed yet.
    onFailure: async (ctx) => {
      const node = await nodes.findOneBy({ id: ctx.job.targetId });
      if (node && !node.providerNodeId) await save(node, { state: 'error' });
    },
  };

  const facts: JobHandler = {
    run: (ctx) =>
      withDriver(ctx, async (node, driver) => {
        if (!driver.gatherFacts || !node.providerNodeId) throw new Error(`cannot gather facts of ${node.name}`);
        const opts = { signal: ctx.signal, log: ctx.log };
        const gathered = await driver.gatherFacts(node.providerNodeId, opts);
        ctx.log(`facts: ${describeFacts(gathered)}`);
        // The provider's view carries the facts too (addresses come from them): refresh it alongside.
        const current = driver.getNode ? await driver.getNode(node.providerNodeId, opts) : null;
        await save(node, { ...(current ? fromProvider(current) : {}), facts: gathered as unknown as Record<string, unknown> });
        return { gatheredAt: gathered.gatheredAt, hostname: gathered.hostname ?? null, kernel: gathered.kernel?.release ?? null };
      }),
  };

  const sensors: JobHandler = {
    run: (ctx) =>
      withDriver(ctx, async (node, driver) => {
        if (!driver.readSensors || !node.providerNodeId) throw new Error(`cannot read the sensors of ${node.name}`);
        const readings = await driver.readSensors(node.providerNodeId, { signal: ctx.signal, log: ctx.log });
        const alarms = readings.filter((r) => r.status === 'warning' || r.status === 'critical');
        ctx.log(`${readings.length} sensors read${alarms.length ? `; not ok: ${alarms.map((r) => `${r.name} (${r.status})`).join(', ')}` : ''}`);
        return { sensors: readings.map((r) => ({ name: r.name, value: r.value, unit: r.unit, status: r.status })) };
      }),
  };

  const bootDevice: JobHandler = {
    run: (ctx) =>
      withDriver(ctx, async (node, driver) => {
        const { device } = ctx.job.payload as JobPayloads['node.boot-device'];
        if (!driver.setBootDevice || !node.providerNodeId) throw new Error(`cannot set the boot device of ${node.name}`);
        await driver.setBootDevice(node.providerNodeId, device, { signal: ctx.signal, log: ctx.log });
        ctx.log(`${node.name} boots from ${device} next time`);
        return { device };
      }),
  };

  return { 'node.register': register, 'node.facts': facts, 'node.sensors': sensors, 'node.boot-device': bootDevice } satisfies Record<string, JobHandler>;
}
