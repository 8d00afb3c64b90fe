/** The driver against a real OpenIPMI ipmi_sim, through the real ipmitool (wrapped to record argv). */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidCredentialsError, NotSupportedError, ProviderError, TransientError } from '@overmind/provider';
import { closedTcpPort, closedUdpPort, startIpmiSim, SIM_SENSORS, type IpmiSimFixture } from '../test-support/ipmi-sim-fixture.js';
import { BmcAuthError, BmcUnreachableError } from '../src/index.js';
import { createTestDriver, FakeInventory } from './fake-inventory.js';

let sim: IpmiSimFixture;
let dir: string;
let wrapper: string;
let sshPort: number;

beforeAll(async () => {
  sim = await startIpmiSim({ power: 'off', operator: { username: 'overmind', password: 'op-S3cret-pw' } });
  dir = await mkdtemp(join(tmpdir(), 'overmind-ipmitool-'));
  // Records each run's argv and whether the password arrived through the environment, then runs ipmitool.
  wrapper = join(dir, 'ipmitool');
  await writeFile(
    wrapper,
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${dir}/argv.log'\n[ -n "$IPMI_PASSWORD" ] && echo env >> '${dir}/env.log'\nexec /usr/bin/ipmitool "$@"\n`,
  );
  await chmod(wrapper, 0o755);
  sshPort = await closedTcpPort();
});
afterAll(async () => {
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const argvLog = () => readFile(join(dir, 'argv.log'), 'utf8').then((t) => t.trim().split('\n'), () => []);

function setup(bmc: Record<string, unknown>, settings = {}) {
  const inventory = new FakeInventory();
  inventory.add('n1', { address: '127.0.0.1', ssh: { port: sshPort, username: 'root', password: 'unused' }, bmc });
  const driver = createTestDriver(inventory, { bmcTimeoutMs: 10_000, bmcRetries: 0, connectTimeoutMs: 500, ...settings }, {}, { ipmitoolPath: wrapper });
  return { inventory, driver };
}

describe('IPMI power through the driver (ipmi_sim)', () => {
  it('reads power, powers on, off, cycles and soft-offs, with state from BMC and SSH', async () => {
    const { driver, inventory } = setup(sim.bmc({ username: 'overmind', password: 'op-S3cret-pw' }));
    expect((await driver.getNode('n1'))!.state).toBe('stopped');

    await driver.powerOn('n1');
    expect(await sim.power()).toBe('on');
    const booting = (await driver.getNode('n1'))!;
    // Powered on a moment ago, SSH not up yet.
    expect(booting.state).toBe('starting');
    expect(booting.extra).toMatchObject({ power: 'on', sshReachable: false, bmc: { type: 'ipmi', endpoint: `127.0.0.1:${sim.port}` } });
    expect(inventory.nodes.get('n1')!.state.lastPowerAction).toMatchObject({ action: 'on' });

    const before = (await sim.calls()).length;
    await driver.powerCycle('n1');
    // ipmi_sim cycles as off then on about a second later; an "off" would not produce the second call.
    await expect.poll(async () => (await sim.calls()).slice(before), { timeout: 15_000 }).toEqual(['power 0', 'power 1']);

    await driver.softPowerOff('n1');
    expect((await sim.calls()).at(-1)).toBe('shutdown 1');
    expect(await sim.power()).toBe('off');

    await sim.setPower('on');
    await driver.powerOff('n1');
    expect(await sim.power()).toBe('off');
    expect((await driver.getNode('n1'))!.state).toBe('stopped');
  });

  it('reboots through a BMC power cycle and sets the next boot device', async () => {
    const { driver } = setup(sim.bmc());
    await sim.setPower('on');
    const before = (await sim.calls()).length;
    await driver.rebootNode('n1');
    await expect.poll(async () => (await sim.calls()).slice(before), { timeout: 15_000 }).toEqual(['power 0', 'power 1']);
    expect((await driver.getNode('n1'))!.state).toBe('rebooting');

    await driver.setBootDevice('n1', 'pxe');
    expect(await sim.bootDevice()).toBe('pxe');
    await driver.setBootDevice('n1', 'bios');
    expect(await sim.bootDevice()).toBe('bios');
  });

  it('reads sensors', async () => {
    const { driver } = setup(sim.bmc());
    const sensors = await driver.readSensors('n1');
    expect(sensors.map(({ name, value, unit, status }) => ({ name, value, unit, status }))).toEqual(
      SIM_SENSORS.map(({ name, value, unit }) => ({ name, value, unit, status: 'ok' })),
    );
    expect(sensors[0]!.extra.thresholds).toEqual(SIM_SENSORS[0].thresholds);
  });

  it('never puts the BMC password on the command line', async () => {
    const { driver } = setup(sim.bmc());
    await driver.getNode('n1');
    const runs = await argvLog();
    expect(runs.length).toBeGreaterThan(0);
    for (const argv of runs) {
      expect(argv).toContain('-E');
      expect(argv).not.toContain(sim.password);
      expect(argv).not.toMatch(/(^| )-P /);
    }
    const envRuns = (await readFile(join(dir, 'env.log'), 'utf8')).trim().split('\n');
    expect(envRuns.length).toBe(runs.length);
  });
});

describe('stopping a server: ACPI soft off, then a hard power off after the grace period', () => {
  afterEach(() => sim.ignore([]));
  // A short grace, as an operator would set a long one.
  const stopping = { shutdownTimeoutMs: 1500, powerTimeoutMs: 1500 };

  async function stop(settings: Record<string, unknown> = {}) {
    const { driver, inventory } = setup(sim.bmc(), { ...stopping, ...settings });
    await sim.setPower('on');
    const before = (await sim.calls()).length;
    const logs: string[] = [];
    const error = await driver.stopNode('n1', { log: (l) => logs.push(l) }).then(() => null, (e: unknown) => e as Error);
    return { error, logs, calls: (await sim.calls()).slice(before), inventory, driver };
  }

  it('stops at the soft off when the OS shuts down', async () => {
    const { error, logs, calls, inventory } = await stop();
    expect(error).toBeNull();
    expect(calls).toEqual(['shutdown 1']);
    expect(await sim.power()).toBe('off');
    expect(logs).toEqual(expect.arrayContaining([expect.stringMatching(/ACPI soft off through the BMC/), 'node-n1 powered off after the soft off']));
    expect(logs.join('\n')).not.toMatch(/hard power off/);
    expect(inventory.nodes.get('n1')!.state.lastPowerAction).toMatchObject({ action: 'soft' });
  });

  it('forces the power off when the OS ignores the soft off, each step in the log', async () => {
    await sim.ignore(['soft-off']);
    const started = Date.now();
    const { error, logs, calls, inventory, driver } = await stop();
    expect(error).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(stopping.shutdownTimeoutMs);
    expect(calls).toEqual(['shutdown 1', 'power 0']);
    expect(await sim.power()).toBe('off');
    expect(logs.filter((l) => !l.startsWith('BMC '))).toEqual([
      `Asking the OS of node-n1 to shut down: ACPI soft off through the BMC 127.0.0.1:${sim.port}`,
      'Waiting up to 2 s for the power to go off',
      'node-n1 still reads power on 2 s after the soft off: its OS did not shut down',
      `Forcing the power off: hard power off through the BMC 127.0.0.1:${sim.port}`,
      'node-n1 is powered off',
    ]);
    expect(inventory.nodes.get('n1')!.state.lastPowerAction).toMatchObject({ action: 'off' });
    expect((await driver.getNode('n1'))!.state).toBe('stopped');
  });

  it('fails, saying why, when even the hard power off does not take', async () => {
    await sim.ignore(['soft-off', 'power-off']);
    const { error, calls, inventory } = await stop();
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).not.toBeInstanceOf(TransientError);
    expect(error!.message).toBe(
      `node-n1 still reads power on 2 s after a hard power off: the BMC 127.0.0.1:${sim.port} accepted the request but the power did not change`,
    );
    expect(calls).toEqual(['shutdown 1', 'power 0']);
    expect(await sim.power()).toBe('on');
    expect(inventory.nodes.get('n1')!.state.lastPowerAction).toBeUndefined();
  });

  it('fails without forcing when forced power off is turned off', async () => {
    await sim.ignore(['soft-off']);
    const { error, calls } = await stop({ forceStopAfterTimeout: false });
    expect(error).toMatchObject({ providerCode: 'shutdown_timeout' });
    expect(error!.message).toMatch(/still reads power on 2 s after an ACPI soft off, and forced power off is turned off \(forceStopAfterTimeout\)/);
    expect(calls).toEqual(['shutdown 1']);
    expect(await sim.power()).toBe('on');
  });

  it('sends nothing to a server that is already off', async () => {
    const { driver } = setup(sim.bmc(), stopping);
    await sim.setPower('off');
    const before = (await sim.calls()).length;
    const logs: string[] = [];
    await driver.stopNode('n1', { log: (l) => logs.push(l) });
    expect((await sim.calls()).slice(before)).toEqual([]);
    expect(logs).toEqual(['node-n1 is already powered off']);
  });

  it('a power on the chassis ignores fails the start instead of passing for one', async () => {
    const { driver } = setup(sim.bmc(), stopping);
    await sim.setPower('off');
    await sim.ignore(['power-on']);
    const err = await driver.startNode('n1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toMatch(/^node-n1 still reads power off 2 s after power on: the BMC .* accepted the request but the power did not change$/);
    expect(await sim.power()).toBe('off');
  });
});

describe('IPMI failures', () => {
  it('a wrong password is InvalidCredentialsError, and the node state says so without crashing', async () => {
    const { driver } = setup(sim.bmc({ password: 'wrong-password' }));
    const err = await driver.powerOn('n1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidCredentialsError);
    expect(err).toBeInstanceOf(BmcAuthError);
    expect((err as Error).message).toMatch(/wrong IPMI user name or password/);
    expect((err as Error).message).not.toContain('wrong-password');
    const node = (await driver.getNode('n1'))!;
    expect(node.state).toBe('unknown');
    expect(node.extra.bmcError).toMatch(/refused the credentials/);
  });

  it('an unreachable BMC is TransientError within the timeout, retried once', async () => {
    const port = await closedUdpPort();
    const { driver } = setup(sim.bmc({ port }), { bmcTimeoutMs: 1000, bmcRetries: 1 });
    const before = (await argvLog()).length;
    const logs: string[] = [];
    const started = Date.now();
    const err = await driver.powerOff('n1', { log: (l) => logs.push(l) }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toBeInstanceOf(BmcUnreachableError);
    // Two tries of 1 s each and no more (ipmitool's own retries would take far longer), with room
    // for a busy machine to start the processes.
    expect(elapsed).toBeLessThan(8000);
    expect((await argvLog()).length - before).toBe(2);
    expect(logs).toEqual([expect.stringMatching(/did not answer; retrying \(1\/1\)/)]);
  });

  it('refuses power actions on a node without a BMC', async () => {
    const { driver } = setup(undefined as unknown as Record<string, unknown>);
    await expect(driver.powerOn('n1')).rejects.toBeInstanceOf(NotSupportedError);
    await expect(driver.readSensors('n1')).rejects.toThrow(/has no BMC registered/);
  });
});
