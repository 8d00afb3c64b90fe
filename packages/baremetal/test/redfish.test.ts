/** Redfish BMCs over HTTPS: TLS trust, basic and session auth, Reset actions, boot override, errors. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { InvalidCredentialsError, ResponseTooLargeError, TransientError } from '@overmind/provider';
import { BmcRequestError, BmcUnreachableError, DefaultsScope, RedfishBmc, parseRegistration } from '../src/index.js';
import { closedTcpPort } from '../test-support/ipmi-sim-fixture.js';
import { createTestDriver, FakeInventory } from './fake-inventory.js';
import { startRedfishMock, type RedfishMock } from './redfish-mock.js';

const credentials = { username: 'overmind', password: 'rf-S3cret-pw' };
let mock: RedfishMock;
let sshPort: number;

beforeAll(async () => {
  [mock, sshPort] = await Promise.all([startRedfishMock(credentials), closedTcpPort()]);
});
afterAll(async () => {
  await mock?.close();
});
beforeEach(() => {
  mock.overrides.clear();
  mock.requests.length = 0;
  mock.resets.length = 0;
  mock.state.power = 'On';
  mock.state.omitAllowableValues = false;
});

function driverFor(bmc: Record<string, unknown>, bmcTimeoutMs = 10_000) {
  const inventory = new FakeInventory();
  inventory.add('n1', { address: '127.0.0.1', ssh: { port: sshPort, username: 'root', password: 'x' }, bmc });
  return createTestDriver(inventory, { bmcTimeoutMs, bmcRetries: 0, connectTimeoutMs: 500 });
}
const redfish = (extra: Record<string, unknown> = {}) => ({ type: 'redfish', url: mock.url, ...credentials, ...extra });

describe('TLS trust', () => {
  it('refuses a self-signed certificate unless the node allows it, before any request', async () => {
    const err = await driverFor(redfish()).powerOff('n1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BmcRequestError);
    expect(err).toMatchObject({ providerCode: 'tls_untrusted' });
    expect((err as Error).message).toMatch(/bmc\.tlsFingerprint|bmc\.insecure/);
    expect(mock.requests).toHaveLength(0);
    expect(mock.state.power).toBe('On');
  });

  it('accepts exactly the pinned certificate', async () => {
    await driverFor(redfish({ tlsFingerprint: mock.fingerprint, auth: 'basic' })).powerOff('n1');
    expect(mock.resets).toEqual(['ForceOff']);

    const other = mock.fingerprint.replace(/^../, mock.fingerprint.startsWith('00') ? '11' : '00');
    const err = await driverFor(redfish({ tlsFingerprint: other, auth: 'basic' })).powerOn('n1').catch((e: unknown) => e);
    expect(err).toMatchObject({ providerCode: 'tls_pin_mismatch' });
    expect(mock.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('power through ComputerSystem.Reset', () => {
  it('maps node actions onto the allowed ResetTypes, one session per operation, logged out after', async () => {
    const driver = driverFor(redfish({ insecure: true }));
    const node = (await driver.getNode('n1'))!;
    expect(node.extra.power).toBe('on');
    await driver.powerOff('n1');
    expect(mock.state.power).toBe('Off');
    expect((await driver.getNode('n1'))!.state).toBe('stopped');
    await driver.powerOn('n1');
    await driver.softPowerOff('n1');
    await driver.powerOn('n1');
    // PowerCycle is not in this system's AllowableValues: ForceRestart is the next best.
    await driver.powerCycle('n1');
    await driver.rebootNode('n1');
    expect(mock.resets).toEqual(['ForceOff', 'On', 'GracefulShutdown', 'On', 'ForceRestart', 'ForceRestart']);

    const logins = mock.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Sessions'));
    const logouts = mock.requests.filter((r) => r.method === 'DELETE');
    expect(logins).toHaveLength(8);
    expect(logouts).toHaveLength(8);
    expect(mock.activeSessions()).toBe(0);
    for (const r of mock.requests.filter((r) => !r.path.endsWith('/Sessions') && r.path !== '/redfish/v1/')) {
      expect(r.headers['x-auth-token']).toMatch(/^token-/);
      expect(r.headers.authorization).toBeUndefined();
      expect(r.body).not.toContain(credentials.password);
    }
  });

  it('logs in again once when the BMC expired the session', async () => {
    const registration = parseRegistration({ address: 'x', ssh: { username: 'root', password: 'x' }, bmc: redfish({ insecure: true }) }, { credentials: {}, scope: new DefaultsScope([]) });
    const bmc = new RedfishBmc(registration.bmc as Extract<typeof registration.bmc, { type: 'redfish' }>, { ipmitoolPath: '', timeoutMs: 2000, retries: 0 });
    try {
      expect(await bmc.powerState()).toBe('on');
      mock.expireSessions();
      mock.state.power = 'Off';
      expect(await bmc.powerState()).toBe('off');
    } finally {
      await bmc.close();
    }
    expect(mock.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Sessions'))).toHaveLength(2);
  });

  it('surfaces a 400 with the Redfish error body as a typed error', async () => {
    mock.state.omitAllowableValues = true;
    const err = await driverFor(redfish({ insecure: true })).powerCycle('n1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BmcRequestError);
    expect(err).toMatchObject({ status: 400, providerCode: 'Base.1.16.ActionParameterValueNotInList', retryable: false });
    expect((err as Error).message).toContain("The value 'PowerCycle' for the parameter ResetType");
  });

  it('a wrong password is InvalidCredentialsError (401), for session and basic auth', async () => {
    for (const auth of ['session', 'basic']) {
      const err = await driverFor(redfish({ insecure: true, auth, password: 'wrong-pw' })).powerOn('n1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidCredentialsError);
      expect(err).toMatchObject({ status: 401 });
      expect((err as Error).message).toMatch(/wrong Redfish user name or password: There is no valid session/);
      expect((err as Error).message).not.toContain('wrong-pw');
    }
    expect(mock.resets).toEqual([]);
  });

  it('an unreachable BMC is TransientError', async () => {
    const err = await driverFor(redfish({ url: `https://127.0.0.1:${await closedTcpPort()}`, insecure: true })).powerOn('n1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toBeInstanceOf(BmcUnreachableError);
  });
});

describe('boot override and sensors', () => {
  it('sets BootSourceOverrideTarget for the next boot, with the ETag', async () => {
    const driver = driverFor(redfish({ insecure: true }));
    const etag = mock.state.etag;
    await driver.setBootDevice('n1', 'bios');
    await driver.setBootDevice('n1', 'disk');
    expect(mock.patches.slice(-2)).toEqual([
      { ifMatch: `W/"${etag}"`, body: { Boot: { BootSourceOverrideTarget: 'BiosSetup', BootSourceOverrideEnabled: 'Once' } } },
      { ifMatch: `W/"${etag + 1}"`, body: { Boot: { BootSourceOverrideTarget: 'Hdd', BootSourceOverrideEnabled: 'Once' } } },
    ]);
    expect(mock.state.boot.BootSourceOverrideTarget).toBe('Hdd');
  });

  it('reads temperatures and fans from the chassis Thermal resource', async () => {
    const sensors = await driverFor(redfish({ insecure: true })).readSensors('n1');
    expect(sensors.map(({ name, value, unit, status }) => ({ name, value, unit, status }))).toEqual([
      { name: 'CPU1 Temp', value: 41, unit: 'degrees C', status: 'ok' },
      { name: 'CPU2 Temp', value: null, unit: 'degrees C', status: 'unknown' },
      { name: 'Chassis Intake Temp', value: 25, unit: 'degrees C', status: 'ok' },
      { name: 'BaseBoard System Fan', value: 2100, unit: 'RPM', status: 'ok' },
      { name: 'BaseBoard System Fan Backup', value: 2050, unit: 'RPM', status: 'ok' },
    ]);
    expect(sensors[0]!.extra.thresholds).toEqual({ upperNonCritical: 42, upperCritical: 45, upperNonRecoverable: 48 });
  });
});

describe('links the BMC sends', () => {
  const SYSTEM = '/redfish/v1/Systems/437XR1138R2';
  let other: RedfishMock;
  beforeAll(async () => {
    other = await startRedfishMock(credentials);
  });
  afterAll(async () => {
    await other?.close();
  });
  beforeEach(() => {
    other.requests.length = 0;
  });

  it('never follow a system, action target or chassis link to another host: refused, nothing sent there', async () => {
    const elsewhere = (path: string) => `${other.url}${path}`;
    const cases: [string, (answer: Parameters<RedfishMock['overrides']['set']>[1]) => void, (d: ReturnType<typeof driverFor>) => Promise<unknown>][] = [
      ['system', (answer) => mock.overrides.set('GET /redfish/v1/Systems', answer), (d) => d.powerOff('n1')],
      ['reset target', (answer) => mock.overrides.set(`GET ${SYSTEM}`, answer), (d) => d.powerOff('n1')],
      ['chassis', (answer) => mock.overrides.set(`GET ${SYSTEM}`, answer), (d) => d.readSensors('n1')],
    ];
    for (const [what, override, act] of cases) {
      mock.overrides.clear();
      override(({ send, system }) => {
        if (what === 'system') return send(200, { Members: [{ '@odata.id': elsewhere(SYSTEM) }] });
        const view = system();
        if (what === 'reset target') view.Actions['#ComputerSystem.Reset'].target = elsewhere(`${SYSTEM}/Actions/ComputerSystem.Reset`);
        else view.Links.Chassis = [{ '@odata.id': `//127.0.0.1:${other.port}/redfish/v1/Chassis/1U` }];
        send(200, view);
      });
      for (const auth of ['session', 'basic']) {
        const err = await act(driverFor(redfish({ insecure: true, auth }))).catch((e: unknown) => e);
        expect(err, `${what}, ${auth}`).toBeInstanceOf(BmcRequestError);
        expect(err).toMatchObject({ providerCode: 'foreign_link', retryable: false });
        expect((err as Error).message).toMatch(/linked to another host .*not followed, nothing was sent/);
      }
    }
    expect(other.requests).toEqual([]);
    expect(mock.resets).toEqual([]);
    expect(mock.activeSessions()).toBe(0);
  });

  it('follows an absolute link on the BMC itself, and logs out at @odata.id when Location names another host', async () => {
    mock.overrides.set('GET /redfish/v1/Systems', ({ send }) => send(200, { Members: [{ '@odata.id': `${mock.url}${SYSTEM}` }] }));
    mock.overrides.set('POST /redfish/v1/SessionService/Sessions', ({ send, session }) =>
      send(201, { ...session, Id: 'S-nat', '@odata.id': '/redfish/v1/SessionService/Sessions/S-nat' }, {
        'X-Auth-Token': 'token-nat',
        Location: elsewhereSession(),
      }));
    const elsewhereSession = () => `${other.url}/redfish/v1/SessionService/Sessions/S-nat`;
    const seenTokens: unknown[] = [];
    mock.overrides.set(`GET ${SYSTEM}`, ({ send, system }) => send(200, system()));
    mock.overrides.set('DELETE /redfish/v1/SessionService/Sessions/S-nat', ({ send, res }) => {
      seenTokens.push(res.req.headers['x-auth-token']);
      send(204);
    });
    expect((await driverFor(redfish({ insecure: true })).getNode('n1'))!.extra.power).toBe('on');
    expect(seenTokens).toEqual(['token-nat']);
    expect(other.requests).toEqual([]);
  });
});

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

describe('response size', () => {
  /** Writes `total` bytes of JSON whitespace, as fast as the client reads; resolves with what went out. */
  async function flood(res: ServerResponse, total: number): Promise<number> {
    res.on('error', () => undefined);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    while (sent < total && !res.destroyed && !res.writableEnded) {
      const more = res.write(chunk);
      sent += chunk.length;
      if (!more) await drainedOrClosed(res);
    }
    if (!res.destroyed) res.end();
    return sent;
  }

  it('stops reading a body past 8 MiB (chunked) or declared larger, with a ResponseTooLargeError', async () => {
    const GiB = 1024 ** 3;
    let written: Promise<number> | undefined;
    mock.overrides.set('GET /redfish/v1', ({ res }) => {
      written = flood(res, GiB);
    });
    // Reading 8 MiB takes seconds on a busy machine: this driver waits long enough to get there.
    const err = await driverFor(redfish({ insecure: true }), 60_000).powerOn('n1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err).toMatchObject({ providerCode: 'response_too_large', retryable: false });
    expect((err as Error).message).toMatch(/^BMC https:\/\/127\.0\.0\.1:\d+ GET \/redfish\/v1\/ answered with more than 8388608 bytes; not read$/);
    // The client hung up near the limit: far from the gigabyte on offer.
    expect(await written).toBeLessThan(64 * 1024 * 1024);

    // A declared gigabyte is refused on its headers: reading would wait for bytes that never come (a timeout).
    mock.overrides.set('GET /redfish/v1', ({ res }) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(GiB) });
      res.write('{');
    });
    const early = await driverFor(redfish({ insecure: true })).powerOn('n1').catch((e: unknown) => e);
    expect(early).toBeInstanceOf(ResponseTooLargeError);
    expect(mock.resets).toEqual([]);
  }, 120_000);
});
