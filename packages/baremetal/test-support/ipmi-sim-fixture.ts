/**
 * A real OpenIPMI BMC simulator (`ipmi_sim`) on a free loopback UDP port, for this package's tests and
 * the API's (`import { startIpmiSim } from '@overmind/baremetal/testing'`). Its chassis-control script
 * keeps the power bit and boot device in files, so tests can check what ipmitool really did.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { closedUdpPort } from './closed-ports.js';

export { closedTcpPort, closedUdpPort } from './closed-ports.js';

const IPMI_SIM = '/usr/bin/ipmi_sim';
const IPMITOOL = '/usr/bin/ipmitool';

export interface StartIpmiSimOptions {
  /** Initial chassis power. Defaults to on. */
  power?: 'on' | 'off';
  /** The administrator account; the password defaults to a random one. */
  username?: string;
  password?: string;
  /** An extra account with OPERATOR privilege only (least privilege for Overmind). */
  operator?: { username: string; password: string };
}

/**
 * Requests the simulated server may ignore (still recorded in `calls()`): `soft-off` is an OS that
 * does not honour the ACPI shutdown, `power-off` and `power-on` a chassis whose power does not change.
 */
export type IgnoredRequest = 'soft-off' | 'power-off' | 'power-on';

/** Sensors the simulator serves (sdr records compiled by hand below). */
export const SIM_SENSORS = [
  { name: 'CPU Temp', value: 45, unit: 'degrees C', thresholds: { upperNonCritical: 112, upperCritical: 144, upperNonRecoverable: 160 } },
  { name: 'Fan1', value: 4800, unit: 'RPM' },
] as const;

export interface IpmiSimFixture {
  host: string;
  port: number;
  username: string;
  password: string;
  dir: string;
  /** A node registration's `bmc` object for this simulator. */
  bmc(overrides?: Record<string, unknown>): Record<string, unknown>;
  power(): Promise<'on' | 'off'>;
  setPower(state: 'on' | 'off'): Promise<void>;
  /** What the BMC was last told to boot from (`pxe`, `disk`, `bios`...), or null. */
  bootDevice(): Promise<string | null>;
  /** Every `set` the simulator passed to the chassis-control script, e.g. `power 0`, `shutdown 1`. */
  calls(): Promise<string[]>;
  /** From now on the server ignores these requests (an empty list: honours every one again). */
  ignore(requests: IgnoredRequest[]): Promise<void>;
  logs(): string;
  stop(): Promise<void>;
}

async function requireBinary(path: string, pkg: string): Promise<void> {
  await access(path).catch(() => {
    throw new Error(`ipmi_sim fixture: ${path} is missing. Install ${pkg} (scripts/test-prereqs.sh).`);
  });
}

function chassisScript(dir: string): string {
  return `#!/bin/sh
# ipmi_sim calls "get power [boot]" and "set power 1", "set shutdown 1", "set reset 1", "set boot pxe".
# A request named in $D/ignore is recorded and then ignored.
D='${dir}'
ignored() { grep -qx "$1" "$D/ignore" 2>/dev/null; }
cmd="$1"; shift
case "$cmd" in
  get)
    for what in "$@"; do
      case "$what" in
        power) echo "power:$(cat "$D/power")" ;;
        boot) echo "boot:$(cat "$D/boot" 2>/dev/null || echo default)" ;;
      esac
    done ;;
  set)
    while [ $# -ge 2 ]; do
      echo "$1 $2" >> "$D/calls"
      case "$1" in
        power)
          if [ "$2" = 0 ] && ignored power-off; then :
          elif [ "$2" = 1 ] && ignored power-on; then :
          else echo "$2" > "$D/power"; fi ;;
        shutdown) [ "$2" = 1 ] && ! ignored soft-off && echo 0 > "$D/power" ;;
        boot) echo "$2" > "$D/boot" ;;
      esac
      shift 2
    done ;;
esac
exit 0
`;
}

function lanConf(port: number, dir: string, options: Required<Pick<StartIpmiSimOptions, 'username' | 'password'>> & StartIpmiSimOptions): string {
  const auths = 'none md2 md5 straight';
  return [
    'name "overmind-test"',
    'set_working_mc 0x20',
    'startlan 1',
    `  addr 127.0.0.1 ${port}`,
    '  priv_limit admin',
    ...['callback', 'user', 'operator', 'admin'].map((level) => `  allowed_auths_${level} ${auths}`),
    `  guid ${randomBytes(16).toString('hex')}`,
    'endlan',
    `chassis_control "${join(dir, 'chassis-control')}"`,
    `user 2 true "${options.username}" "${options.password}" admin 10 ${auths}`,
    ...(options.operator ? [`user 3 true "${options.operator.username}" "${options.operator.password}" operator 10 ${auths}`] : []),
    '',
  ].join('\n');
}

// A full sensor record each: temperature (degrees C, thresholds 0x70/0x90/0xa0) and a fan (RPM, M=60).
const SIM_EMU = `mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02
sensor_add 0x20 0 1 0x01 0x01
main_sdr_add 0x20 \\
  0x00 0x00 0x51 0x01 0x33 \\
  0x20 0x00 0x01 0x03 0x01 0x67 0x88 0x01 0x01 0xc0 0x0f 0xc0 0x7f 0x38 0x38 0x00 \\
  0x01 0x00 0x00 0x01 0x00 0x00 0x00 0x00 0x00 0x03 0x60 0xb0 0x00 0xb0 0x00 0xa0 \\
  0x90 0x70 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0xc8 'C 'P 'U 0x20 'T 'e 'm 'p
sensor_set_value 0x20 0 1 0x2d 0
sensor_set_threshold 0x20 0 1 settable 111000 0xa0 0x90 0x70 00 00 00
sensor_set_event_support 0x20 0 1 enable scanning per-state 000111111000000 000111111000000 000111111000000 000111111000000
sensor_add 0x20 0 2 0x04 0x01
main_sdr_add 0x20 \\
  0x00 0x00 0x51 0x01 0x2f \\
  0x20 0x00 0x02 0x1d 0x01 0x67 0x88 0x04 0x01 0x00 0x00 0x00 0x00 0x00 0x00 0x00 \\
  0x12 0x00 0x00 0x3c 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00 \\
  0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0xc4 'F 'a 'n '1
sensor_set_value 0x20 0 2 0x50 0
sensor_set_event_support 0x20 0 2 enable scanning per-state 000000000000000 000000000000000 000000000000000 000000000000000
mc_enable 0x20
`;

/** True once something listens on 127.0.0.1:port/udp (from /proc, no tools needed). */
async function udpListening(port: number): Promise<boolean> {
  const table = await readFile('/proc/net/udp', 'utf8');
  const needle = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return table.split('\n').some((line) => line.trim().split(/\s+/)[1] === needle);
}

export async function startIpmiSim(options: StartIpmiSimOptions = {}): Promise<IpmiSimFixture> {
  await requireBinary(IPMI_SIM, 'openipmi');
  await requireBinary(IPMITOOL, 'ipmitool');
  const username = options.username ?? 'admin';
  const password = options.password ?? randomBytes(9).toString('base64url');
  const dir = await mkdtemp(join(tmpdir(), 'overmind-ipmi-'));
  let child: ChildProcess | undefined;
  const log = { text: '' };
  try {
    await mkdir(join(dir, 'state'));
    await writeFile(join(dir, 'power'), options.power === 'off' ? '0\n' : '1\n');
    await writeFile(join(dir, 'calls'), '');
    await writeFile(join(dir, 'chassis-control'), chassisScript(dir));
    await chmod(join(dir, 'chassis-control'), 0o755);
    await writeFile(join(dir, 'sim.emu'), SIM_EMU);
    const port = await closedUdpPort();
    await writeFile(join(dir, 'lan.conf'), lanConf(port, dir, { ...options, username, password }), { mode: 0o600 });

    const sim = spawn(IPMI_SIM, ['-c', join(dir, 'lan.conf'), '-f', join(dir, 'sim.emu'), '-n', '-s', join(dir, 'state')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = sim;
    const collect = (chunk: Buffer) => {
      log.text = (log.text + chunk.toString('utf8')).slice(-32 * 1024);
    };
    sim.stdout!.on('data', collect);
    sim.stderr!.on('data', collect);
    const deadline = Date.now() + 10_000;
    while (!(await udpListening(port))) {
      if (sim.exitCode !== null) throw new Error(`ipmi_sim exited with code ${sim.exitCode}`);
      if (Date.now() > deadline) throw new Error('ipmi_sim did not listen within 10 s');
      await sleep(50);
    }

    const read = (name: string) => readFile(join(dir, name), 'utf8').then((t) => t.trim(), () => '');
    return {
      host: '127.0.0.1',
      port,
      username,
      password,
      dir,
      bmc: (overrides = {}) => ({ type: 'ipmi', address: '127.0.0.1', port, username, password, ...overrides }),
      power: async () => ((await read('power')) === '1' ? 'on' : 'off'),
      setPower: (state) => writeFile(join(dir, 'power'), state === 'on' ? '1\n' : '0\n'),
      bootDevice: async () => (await read('boot')) || null,
      calls: async () => (await read('calls')).split('\n').filter(Boolean),
      ignore: (requests) => writeFile(join(dir, 'ignore'), requests.map((r) => `${r}\n`).join('')),
      logs: () => log.text,
      async stop() {
        if (sim.exitCode === null && sim.signalCode === null) {
          const exited = new Promise((r) => sim.once('exit', r));
          sim.kill('SIGTERM');
          await Promise.race([exited, sleep(2000)]);
          if (sim.exitCode === null && sim.signalCode === null) sim.kill('SIGKILL');
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    child?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\nipmi_sim log:\n${log.text}`, { cause: err });
  }
}
