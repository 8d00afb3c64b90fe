/** Registering a real server (loopback sshd) with a real BMC (ipmi_sim) and powering it through the node actions. */
import { closedUdpPort, startIpmiSim, type IpmiSimFixture } from '@overmind/baremetal/testing';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  driverState,
  expectNoLeaks,
  getNode,
  jobLines,
  registerNode,
  runJob,
  sshRegistration,
  startDedicatedApi,
  uname,
  type DedicatedTest,
} from './support/dedicated-steps.js';
import { createDummyProvider, waitForJob } from './support/test-app.js';

const WRONG_BMC_PASSWORD = 'wrong-bmc-pw-7f3a'; // IPMI passwords are at most 20 characters

let d: DedicatedTest;
let sshd: SshdFixture;
let sim: IpmiSimFixture;
let nodeId: string;

beforeAll(async () => {
  [d, sshd, sim] = await Promise.all([startDedicatedApi(), startSshd(), startIpmiSim({ power: 'on' })]);
});
afterAll(async () => {
  await Promise.all([d?.close(), sshd?.stop(), sim?.stop()]);
});

describe('registering a dedicated server', () => {
  it('reaches it over SSH and its BMC: running, facts gathered, host key pinned', async () => {
    const { job, nodeId: id } = await registerNode(d, 'metal-1', sshRegistration(sshd, { bmc: sim.bmc() }));
    nodeId = id;
    expect(job).toMatchObject({ state: 'succeeded', attempts: 1, result: { state: 'running', hostKeyFingerprint: sshd.hostKeyFingerprint } });

    const node = await getNode(d, id);
    expect(node).toMatchObject({ name: 'metal-1', state: 'running', providerId: d.providerId, providerNodeId: id, tags: ['rack-a'] });
    expect(node.facts.kernel.release).toBe(uname());
    expect(node.privateIps).toContain('127.0.0.1');
    expect(node.extra).toMatchObject({ power: 'on', sshReachable: true, hostKeyFingerprint: sshd.hostKeyFingerprint, bmc: { type: 'ipmi' } });
    expect(node).not.toHaveProperty('registration');
    expect(node).not.toHaveProperty('driverState');
    const listed = (await d.call('observer', { method: 'GET', url: `/api/v1/nodes?providerId=${d.providerId}&search=metal-1` })).json();
    expect(listed.items).toEqual([node]);
    expect(await driverState(d, id)).toMatchObject({ hostKeyFingerprint: sshd.hostKeyFingerprint, facts: { kernel: { release: uname() } } });
    expect(await jobLines(d, job.id)).toEqual(
      expect.arrayContaining([`Pinned SSH host key ${sshd.hostKeyFingerprint} (first use)`, expect.stringMatching(/^facts: .*kernel /)]),
    );
  });

  it('a provider sync finds the registered server again rather than importing a copy', async () => {
    const job = await runJob(d, `/api/v1/providers/${d.providerId}/sync`);
    expect(job).toMatchObject({ state: 'succeeded', result: { listed: 1, imported: 0, decommissioned: 0 } });
    expect((await getNode(d, nodeId)).state).toBe('running');
  });

  it('stops, starts and reboots it through the BMC with the node actions', async () => {
    let before = (await sim.calls()).length;
    expect(await runJob(d, `/api/v1/nodes/${nodeId}/stop`)).toMatchObject({ type: 'node.stop', state: 'succeeded', result: { state: 'stopped' } });
    // Stopping is the graceful kind: an ACPI soft off.
    expect((await sim.calls()).slice(before)).toEqual(['shutdown 1']);
    expect(await sim.power()).toBe('off');
    expect((await getNode(d, nodeId)).state).toBe('stopped');

    before = (await sim.calls()).length;
    expect(await runJob(d, `/api/v1/nodes/${nodeId}/start`)).toMatchObject({ state: 'succeeded', result: { state: 'running' } });
    expect((await sim.calls()).slice(before)).toEqual(['power 1']);
    expect(await sim.power()).toBe('on');

    before = (await sim.calls()).length;
    const reboot = await runJob(d, `/api/v1/nodes/${nodeId}/reboot`);
    expect(reboot).toMatchObject({ state: 'succeeded', result: { state: 'running' } });
    // A power cycle: off, then on again; the job waited for the node to come back.
    expect((await sim.calls()).slice(before)).toEqual(['power 0', 'power 1']);
    expect((await getNode(d, nodeId)).state).toBe('running');
  });

  it('stops a server whose OS ignores the soft off: soft off, the grace period, a hard power off, each in the job log', async () => {
    await sim.ignore(['soft-off']);
    try {
      const before = (await sim.calls()).length;
      const job = await runJob(d, `/api/v1/nodes/${nodeId}/stop`);
      expect(job).toMatchObject({ state: 'succeeded', result: { state: 'stopped' } });
      expect((await sim.calls()).slice(before)).toEqual(['shutdown 1', 'power 0']);
      expect(await sim.power()).toBe('off');
      const steps = (await jobLines(d, job.id)).filter((l) => /soft off|Waiting up to|Forcing|powered off|^node is/.test(l));
      expect(steps).toEqual([
        `Asking the OS of metal-1 to shut down: ACPI soft off through the BMC 127.0.0.1:${sim.port}`,
        'Waiting up to 2 s for the power to go off',
        'metal-1 still reads power on 2 s after the soft off: its OS did not shut down',
        `Forcing the power off: hard power off through the BMC 127.0.0.1:${sim.port}`,
        'metal-1 is powered off',
        'node is stopped',
      ]);
    } finally {
      await sim.ignore([]);
    }
    expect(await runJob(d, `/api/v1/nodes/${nodeId}/start`)).toMatchObject({ state: 'succeeded', result: { state: 'running' } });
  });

  it('fails the stop with the reason when even the hard power off does not take, and shows the node still running', async () => {
    await sim.ignore(['soft-off', 'power-off']);
    try {
      const job = await runJob(d, `/api/v1/nodes/${nodeId}/stop`);
      expect(job).toMatchObject({ state: 'failed', attempts: 1, result: null });
      expect(job.error).toBe(
        `metal-1 still reads power on 10 s after a hard power off: the BMC 127.0.0.1:${sim.port} accepted the request but the power did not change`,
      );
      expect(await jobLines(d, job.id)).toContain(`failed: ${job.error}`);
      expect(await sim.power()).toBe('on');
      expect((await getNode(d, nodeId)).state).toBe('running');
    } finally {
      await sim.ignore([]);
    }
  });

  it('reads the sensors and sets the next boot device through the BMC, each a job', async () => {
    const sensors = await runJob(d, `/api/v1/nodes/${nodeId}/sensors`);
    expect(sensors).toMatchObject({ type: 'node.sensors', state: 'succeeded' });
    expect(sensors.result.sensors).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'CPU Temp', value: 45, unit: 'degrees C', status: 'ok' }),
      expect.objectContaining({ name: 'Fan1', value: 4800, unit: 'RPM' }),
    ]));

    const boot = await runJob(d, `/api/v1/nodes/${nodeId}/boot-device`, { device: 'pxe' });
    expect(boot).toMatchObject({ type: 'node.boot-device', state: 'succeeded', result: { device: 'pxe' } });
    expect(await sim.bootDevice()).toBe('pxe');
    const bad = await d.call('operator', { method: 'POST', url: `/api/v1/nodes/${nodeId}/boot-device`, payload: { device: 'floppy' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.device');
  });

  it('fails the registration with a clear error when the BMC refuses the password', async () => {
    const { job, nodeId: id } = await registerNode(d, 'metal-bad-bmc', sshRegistration(sshd, { bmc: sim.bmc({ password: WRONG_BMC_PASSWORD }) }));
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(new RegExp(`^BMC 127\\.0\\.0\\.1:${sim.port} refused the credentials`));
    expect(await jobLines(d, job.id)).toContainEqual(expect.stringMatching(/^failed: BMC .* refused the credentials/));
    expect(await getNode(d, id)).toMatchObject({ state: 'error', providerNodeId: null });
    // A node that never registered is not the provider's to list or act on.
    const reboot = await d.call('operator', { method: 'POST', url: `/api/v1/nodes/${id}/reboot` });
    expect(reboot.statusCode).toBe(409);
  });

  it('fails with a clear, retried error when the BMC does not answer', async () => {
    const port = await closedUdpPort();
    const { job } = await registerNode(d, 'metal-no-bmc', sshRegistration(sshd, { bmc: sim.bmc({ port }) }));
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(new RegExp(`^BMC 127\\.0\\.0\\.1:${port} is unreachable`));
    // Unreachable is transient: the job tried again before giving up.
    expect(job.attempts).toBe(job.maxAttempts);
    expect(job.attempts).toBeGreaterThan(1);
  }, 120_000);

  it('checks the registration against the plugin schema (422 naming the field) and the provider type (409)', async () => {
    const url = `/api/v1/providers/${d.providerId}/nodes`;
    const bad = await d.call('operator', { method: 'POST', url, payload: { name: 'metal-x', registration: { ssh: { port: 0, password: 'pw-never-echoed-1234' } } } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual(
      expect.arrayContaining([
        { field: 'body.registration.address', message: 'is required' },
        { field: 'body.registration.ssh.port', message: 'must be >= 1' },
      ]),
    );
    // The schema the API checks against is the one it publishes (forms are generated from it); types that create nodes publish none.
    const types = (await d.call('observer', { method: 'GET', url: '/api/v1/provider-types' })).json().items as { kind: string; registrationSchema?: { required?: string[]; properties?: Record<string, unknown> } }[];
    const dedicated = types.find((ty) => ty.kind === 'dedicated')!;
    expect(dedicated.registrationSchema?.required).toEqual(['address']);
    expect(Object.keys(dedicated.registrationSchema?.properties ?? {})).toEqual(['address', 'ssh', 'bmc']);
    expect(types.find((ty) => ty.kind === 'dummy')).not.toHaveProperty('registrationSchema');
    const dummy = await createDummyProvider(d.t);
    const refused = await d.call('operator', { method: 'POST', url: `/api/v1/providers/${dummy.id}/nodes`, payload: { name: 'metal-y', registration: { address: '127.0.0.1' } } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/^Dummy .* cannot register existing servers/);
  });

  it('destroying a dedicated node decommissions it and leaves the server alone', async () => {
    const before = (await sim.calls()).length;
    const res = await d.call('operator', { method: 'DELETE', url: `/api/v1/nodes/${nodeId}` });
    expect(res.statusCode).toBe(202);
    const job = await waitForJob(d.t, res.json().id, 30_000);
    expect(job.state).toBe('succeeded');
    expect(await jobLines(d, job.id)).toContainEqual(expect.stringMatching(/decommissioned: it keeps running/));
    expect(await getNode(d, nodeId)).toMatchObject({ state: 'terminated' });
    expect(await sim.power()).toBe('on');
    expect((await sim.calls()).slice(before)).toEqual([]);
    expect(await runJob(d, `/api/v1/providers/${d.providerId}/sync`)).toMatchObject({ result: { listed: 0, imported: 0 } });
  });

  it('never shows the private key or a BMC password in a response, the log or a job log', async () => {
    const keyLines = sshd.privateKey.split('\n').filter((l) => l && !l.startsWith('-----'));
    await expectNoLeaks(d, [...keyLines, sim.password, WRONG_BMC_PASSWORD, 'pw-never-echoed-1234']);
  });
});

