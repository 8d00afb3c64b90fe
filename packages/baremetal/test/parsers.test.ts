/** Parsing that must never crash on what a server or BMC sends, and the state table. */
import { describe, expect, it } from 'vitest';
import { DefaultsScope, FACTS_SCRIPT, RegistrationError, deriveState, parseFacts, parseRegistration, parseSensorTable } from '../src/index.js';

const marker = (name: string) => `@@overmind-facts:${name}`;

describe('parseFacts', () => {
  it('keeps what a minimal busybox system tells, and leaves out what it cannot', () => {
    const output = [
      marker('hostname'), 'tiny',
      marker('os-release'), 'NAME="Alpine Linux"', 'ID=alpine', 'VERSION_ID=3.20.0', 'PRETTY_NAME="Alpine Linux v3.20"',
      marker('uname'), 'Linux', '6.6.31-0-lts', '#1-Alpine SMP', 'aarch64',
      marker('cpuinfo'), 'processor\t: 0', 'processor\t: 1', 'Hardware\t: BCM2835',
      marker('nproc'), '2',
      marker('meminfo'), 'MemTotal:        1000 kB',
      marker('lsblk'),
      marker('sysblock'), 'loop0 0 0', 'mmcblk0 62333952 0',
      marker('df'), 'Filesystem 1024-blocks Used Available Capacity Mounted on', '/dev/mmcblk0p2 30000 10000 20000 33% /', 'garbage line',
      marker('ip-addr'),
      marker('ip-link'),
      marker('sysnet'), 'eth0 b8:27:eb:00:00:01 1500 up',
      marker('route'),
      marker('uptime'), 'not-a-number',
      marker('virt'),
      marker('dmi'), 'sys_vendor=', 'product_name=',
    ].join('\n');
    const facts = parseFacts(output, new Date('2026-01-01T00:00:00Z'));
    expect(facts).toEqual({
      gatheredAt: '2026-01-01T00:00:00.000Z',
      hostname: 'tiny',
      os: { id: 'alpine', name: 'Alpine Linux', versionId: '3.20.0', prettyName: 'Alpine Linux v3.20' },
      kernel: { name: 'Linux', release: '6.6.31-0-lts', version: '#1-Alpine SMP', machine: 'aarch64' },
      cpu: { model: 'BCM2835', count: 2 },
      memory: { totalBytes: 1000 * 1024 },
      disks: [{ name: 'mmcblk0', sizeBytes: 62333952 * 512, type: 'disk', rotational: false }],
      filesystems: [{ device: '/dev/mmcblk0p2', mountPoint: '/', sizeBytes: 30000 * 1024, usedBytes: 10000 * 1024, availableBytes: 20000 * 1024 }],
      network: { interfaces: [{ name: 'eth0', mac: 'b8:27:eb:00:00:01', mtu: 1500, state: 'up', addresses: [] }] },
    });
  });

  it('gives only the timestamp for empty or foreign output', () => {
    expect(Object.keys(parseFacts(''))).toEqual(['gatheredAt']);
    expect(Object.keys(parseFacts('sh: 1: syntax error\n'))).toEqual(['gatheredAt']);
  });

  it('is one POSIX script whose every section tolerates a missing tool', () => {
    expect(FACTS_SCRIPT.split('\n').filter((l) => l.startsWith('echo')).every((l) => l.endsWith('} 2>/dev/null'))).toBe(true);
  });
});

describe('parseSensorTable', () => {
  it('reads `ipmitool sensor` lines from a real server, discrete and missing readings included', () => {
    const output = [
      'CPU Temp         | 34.000     | degrees C  | ok    | 0.000     | 0.000     | 0.000     | 85.000    | 90.000    | 90.000    ',
      'FAN1             | 8100.000   | RPM        | nc    | 300.000   | 500.000   | 700.000   | 25300.000 | 25400.000 | 25500.000 ',
      'VBAT             | 2.500      | Volts      | cr    | 2.400     | 2.600     | 2.700     | na        | na        | na        ',
      'PS1 Status       | 0x1        | discrete   | 0x0100| na        | na        | na        | na        | na        | na        ',
      'FAN5             | na         |            | na    | na        | na        | na        | na        | na        | na        ',
      'Unable to Get Channel Cipher Suites',
    ].join('\n');
    const sensors = parseSensorTable(output);
    expect(sensors.map(({ name, value, unit, status }) => ({ name, value, unit, status }))).toEqual([
      { name: 'CPU Temp', value: 34, unit: 'degrees C', status: 'ok' },
      { name: 'FAN1', value: 8100, unit: 'RPM', status: 'warning' },
      { name: 'VBAT', value: 2.5, unit: 'Volts', status: 'critical' },
      { name: 'PS1 Status', value: null, unit: null, status: 'unknown' },
      { name: 'FAN5', value: null, unit: null, status: 'unknown' },
    ]);
    expect(sensors[0]!.extra.thresholds).toMatchObject({ upperNonCritical: 85, upperCritical: 90 });
    expect(sensors[3]!.extra.discreteState).toBe('0x1');
  });

  it('reads `ipmitool sdr list` lines', () => {
    expect(parseSensorTable('CPU Temp         | 45 degrees C      | ok\nPSU1             | 0x01              | ok\nDJtemp | disabled | ns')).toEqual([
      { name: 'CPU Temp', value: 45, unit: 'degrees C', status: 'ok', extra: {} },
      { name: 'PSU1', value: null, unit: null, status: 'ok', extra: { reading: '0x01' } },
      { name: 'DJtemp', value: null, unit: null, status: 'unknown', extra: { reading: 'disabled' } },
    ]);
  });
});

describe('deriveState', () => {
  const now = Date.parse('2026-01-01T00:10:00Z');
  const justNow = { lastPowerAction: { action: 'on', at: '2026-01-01T00:09:00Z' } };
  const longAgo = { lastPowerAction: { action: 'reboot', at: '2025-12-31T00:00:00Z' } };
  const cases: [string, Record<string, unknown>, Parameters<typeof deriveState>[1], string][] = [
    ['on + ssh up', {}, { power: 'on', sshUp: true }, 'running'],
    ['on + ssh down', {}, { power: 'on', sshUp: false }, 'unknown'],
    ['on + ssh down, powered on a minute ago', justNow, { power: 'on', sshUp: false }, 'starting'],
    ['on + ssh down, rebooted long ago', longAgo, { power: 'on', sshUp: false }, 'unknown'],
    ['off', {}, { power: 'off', sshUp: true }, 'stopped'],
    ['Redfish PoweringOff', {}, { power: 'poweringOff', sshUp: true }, 'stopping'],
    ['no BMC, ssh up', {}, { power: null, sshUp: true }, 'running'],
    ['no BMC, ssh down', {}, { power: null, sshUp: false }, 'unknown'],
    ['BMC failed, ssh up', {}, { power: 'unknown', sshUp: true, bmcError: 'x' }, 'running'],
    ['decommissioned', { decommissionedAt: 'x' }, { power: 'on', sshUp: true }, 'terminated'],
    ['bad registration', {}, { power: null, sshUp: null, registrationError: 'x' }, 'error'],
  ];
  it.each(cases)('%s', (_name, state, seen, expected) => {
    expect(deriveState(state, seen, 10 * 60_000, now)).toBe(expected);
  });
});

const RACK = { sshUsername: 'deploy', sshPassword: 'rack-pw', bmcUsername: 'ipmi', bmcPassword: 'bmc-pw' };
const rack = (networks: string[], credentials: Record<string, string> = RACK) => ({ credentials, scope: new DefaultsScope(networks) });
const nothing = rack([], {});

describe('parseRegistration', () => {
  it('fills rack defaults and never echoes secrets in its errors', () => {
    const parsed = parseRegistration({ address: '10.0.0.5', ssh: {}, bmc: { type: 'ipmi', address: '10.0.1.5' } }, rack(['10.0.0.0/16']));
    expect(parsed).toEqual({
      address: '10.0.0.5',
      ssh: { port: 22, username: 'deploy', auth: { type: 'password', password: 'rack-pw' } },
      bmc: { type: 'ipmi', address: '10.0.1.5', port: 623, username: 'ipmi', password: 'bmc-pw', privilege: 'operator', cipherSuite: 3 },
    });
    const err = (() => {
      try {
        parseRegistration({ address: '10.0.0.5', ssh: { username: 'x', password: 'node-pw' }, bmc: { type: 'redfish', url: 'http://bmc', password: 'node-pw' } }, nothing);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(RegistrationError);
    expect(err!.message).toBe('Invalid node registration: bmc.url must use https');
    expect(() => parseRegistration({ address: 'h', ssh: { username: 'u' } }, nothing)).toThrow(/ssh.privateKey or ssh.password is required/);
  });

  it('uses a default secret only at IP addresses inside defaultCredentialNetworks; user names anywhere', () => {
    const refused = (registration: Record<string, unknown>, networks: string[]) => {
      try {
        parseRegistration(registration, rack(networks));
      } catch (err) {
        expect(err).toBeInstanceOf(RegistrationError);
        expect((err as Error).message).not.toMatch(/rack-pw|bmc-pw/);
        return (err as Error).message;
      }
      return null;
    };
    const ssh = (address: string) => ({ address, ssh: {} });
    expect(refused(ssh('10.0.0.5'), [])).toMatch(/^Invalid node registration: ssh.privateKey or ssh.password is required: .*defaultCredentialNetworks \(none are set\), and 10\.0\.0\.5 is not one$/);
    expect(refused(ssh('10.1.0.5'), ['10.0.0.0/16'])).toMatch(/10\.1\.0\.5 is not one/);
    expect(refused(ssh('bmc.example.com'), ['0.0.0.0/0'])).toMatch(/bmc\.example\.com is not one/);
    expect(refused(ssh('10.0.0.5'), ['10.0.0.0/16', 'not a network'])).toBeNull();
    expect(refused(ssh('::ffff:10.0.0.5'), ['10.0.0.0/16'])).toBeNull();
    expect(refused(ssh('fd00::5'), ['fd00::/64'])).toBeNull();

    // A node's own secret goes to its own address, whatever the scope; the default user name fills in.
    expect(parseRegistration({ address: '192.0.2.9', ssh: { password: 'own' } }, rack([])).ssh).toMatchObject({ username: 'deploy', auth: { password: 'own' } });

    // The BMC is judged by its own address: IPMI's address, Redfish's URL host.
    const inScope = { address: '10.0.0.5', ssh: {} };
    expect(refused({ ...inScope, bmc: { type: 'ipmi', address: '10.9.0.1' } }, ['10.0.0.0/16'])).toMatch(/^Invalid node registration: bmc.password is required: .*10\.9\.0\.1 is not one/);
    expect(refused({ ...inScope, bmc: { type: 'redfish', url: 'https://10.9.0.1:8443' } }, ['10.0.0.0/16'])).toMatch(/bmc.password is required: .*10\.9\.0\.1 is not one/);
    expect(refused({ ...inScope, bmc: { type: 'redfish', url: 'https://[fd00::9]' } }, ['10.0.0.0/16', 'fd00::/64'])).toBeNull();
    expect(refused({ ...inScope, bmc: { type: 'redfish', url: 'https://10.9.0.1', password: 'own' } }, ['10.0.0.0/16'])).toBeNull();
  });
});
