/**
 * One check run, for real: the Debian monitoring-plugins (against loopback servers only), shell and
 * Python scripts with each exit code, timeouts, missing commands, argv without a shell, bounded output.
 */
import { readFile, chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckDefinition } from '@overmind/agent-protocol';
import { OUTPUT_LIMITS } from '@overmind/checks';
import { runCheck } from '../src/checks/check-process.js';
import { isAlive } from './support/processes.js';

const PLUGINS = '/usr/lib/nagios/plugins';
const PYTHON = '/usr/bin/python3';

let work: string;
let tcp: Server;
let tcpPort: number;
let http: HttpServer;
let httpPort: number;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'overmind-checks-'));
  tcp = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  tcpPort = (tcp.address() as AddressInfo).port;
  http = createHttpServer((req, res) => {
    res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/plain' });
    res.end('hello from overmind\n');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpPort = (http.address() as AddressInfo).port;
});
afterAll(async () => {
  tcp.close();
  http.close();
  await rm(work, { recursive: true, force: true });
});

let n = 0;
const check = (command: string, args: string[] = [], extra: Partial<CheckDefinition> = {}): CheckDefinition => ({
  id: `c${++n}`,
  name: `check-${n}`,
  command,
  args,
  shell: false,
  intervalSeconds: 60,
  timeoutSeconds: 30,
  ...extra,
});
const sh = (script: string, extra: Partial<CheckDefinition> = {}) => check(script, [], { shell: true, ...extra });

describe('the Debian monitoring-plugins, unchanged', () => {
  it('check_load: OK with its load averages as perfdata', async () => {
    const result = await runCheck(check(`${PLUGINS}/check_load`, ['-w', '1000,1000,1000', '-c', '2000,2000,2000']));
    expect(result).toMatchObject({ state: 0, longOutput: '' });
    expect(result.output).toMatch(/^LOAD OK - total load average: [\d.]+, [\d.]+, [\d.]+$/);
    expect(result.perfdata.map((p) => [p.label, p.uom, p.warn, p.crit, p.min, p.max])).toEqual([
      ['load1', '', '1000.000', '2000.000', 0, null],
      ['load5', '', '1000.000', '2000.000', 0, null],
      ['load15', '', '1000.000', '2000.000', 0, null],
    ]);
    // The numbers are /proc's, as the plugin read them a moment ago.
    const [load1] = (await readFile('/proc/loadavg', 'utf8')).split(' ').map(Number);
    expect(Math.abs(result.perfdata[0]!.value! - load1!)).toBeLessThan(5);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(result.at)).toBeLessThanOrEqual(Date.now());
  });

  it('check_disk: OK, then CRITICAL with other thresholds; bytes as perfdata', async () => {
    const ok = await runCheck(check(`${PLUGINS}/check_disk`, ['-w', '1%', '-c', '1%', '-p', '/']));
    expect(ok.state).toBe(0);
    expect(ok.output).toMatch(/^DISK OK - free space: \/ /);
    expect(ok.perfdata).toHaveLength(1);
    expect(ok.perfdata[0]).toMatchObject({ label: '/', uom: 'B', min: 0 });
    expect(ok.perfdata[0]!.value).toBeGreaterThan(0);
    expect(ok.perfdata[0]!.max).toBeGreaterThan(ok.perfdata[0]!.value!);
    const critical = await runCheck(check(`${PLUGINS}/check_disk`, ['-w', '100%', '-c', '100%', '-p', '/']));
    expect(critical.state).toBe(2);
    expect(critical.output).toMatch(/^DISK CRITICAL/);
  });

  it('check_procs: OK, and WARNING with a range threshold kept as text', async () => {
    const ok = await runCheck(check(`${PLUGINS}/check_procs`));
    expect(ok.state).toBe(0);
    expect(ok.output).toMatch(/^PROCS OK: \d+ processes$/);
    expect(ok.perfdata[0]).toMatchObject({ label: 'procs', uom: '', warn: null, min: 0 });
    const warning = await runCheck(check(`${PLUGINS}/check_procs`, ['-w', '1000000:']));
    expect(warning.state).toBe(1);
    expect(warning.perfdata[0]).toMatchObject({ label: 'procs', warn: '1000000:' });
  });

  it('check_tcp against a loopback listener: OK with its response time, CRITICAL once it is gone', async () => {
    const ok = await runCheck(check(`${PLUGINS}/check_tcp`, ['-H', '127.0.0.1', '-p', String(tcpPort)]));
    expect(ok.state).toBe(0);
    expect(ok.output).toMatch(new RegExp(`^TCP OK - [\\d.]+ second response time on 127\\.0\\.0\\.1 port ${tcpPort}$`));
    expect(ok.perfdata[0]).toMatchObject({ label: 'time', uom: 's', min: 0, max: 10 });

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const critical = await runCheck(check(`${PLUGINS}/check_tcp`, ['-H', '127.0.0.1', '-p', String(port)]));
    expect(critical.state).toBe(2);
    expect(critical.output).toMatch(/Connection refused/);
  });

  it('check_http against a loopback HTTP server: OK, WARNING on a 404, CRITICAL on a missing string', async () => {
    const args = ['-H', '127.0.0.1', '-p', String(httpPort)];
    const ok = await runCheck(check(`${PLUGINS}/check_http`, [...args, '-u', '/']));
    expect(ok.state).toBe(0);
    expect(ok.output).toMatch(/^HTTP OK: HTTP\/1\.1 200 OK - \d+ bytes in [\d.]+ second response time$/);
    expect(ok.perfdata.map((p) => [p.label, p.uom])).toEqual([
      ['time', 's'],
      ['size', 'B'],
    ]);
    const notFound = await runCheck(check(`${PLUGINS}/check_http`, [...args, '-u', '/missing']));
    expect(notFound.state).toBe(1);
    expect(notFound.output).toMatch(/404 Not Found/);
    const noString = await runCheck(check(`${PLUGINS}/check_http`, [...args, '-u', '/', '-s', 'not on the page']));
    expect(noString.state).toBe(2);
    expect(noString.output).toMatch(/string 'not on the page' not found/);
  });
});

describe('scripts', () => {
  it.each([0, 1, 2, 3])('a shell script exiting %i has that state, with long output and perfdata on both lines', async (code) => {
    const result = await runCheck(sh(`printf 'STATUS %s|a=1s;2;3\\nline two\\nline three | b=5%%;;;0;100\\n' ${code}; exit ${code}`));
    expect(result).toMatchObject({ state: code, output: `STATUS ${code}`, longOutput: 'line two\nline three' });
    expect(result.perfdata).toEqual([
      { label: 'a', value: 1, uom: 's', warn: '2', crit: '3', min: null, max: null },
      { label: 'b', value: 5, uom: '%', warn: null, crit: null, min: 0, max: 100 },
    ]);
  });

  it.each([4, 42, 255])('a shell script exiting %i is UNKNOWN with the reason', async (code) => {
    const result = await runCheck(sh(`echo "odd"; exit ${code}`));
    expect(result).toMatchObject({ state: 3, output: `exit code ${code}, not a plugin state: odd` });
  });

  it.each([0, 1, 2, 3])('a Python script exiting %i has that state', async (code) => {
    const file = join(work, `check_py_${code}.py`);
    await writeFile(file, `#!${PYTHON}\nimport sys\nprint("PY %d | 'py value'=%d;1;2" % (${code}, ${code}))\nsys.exit(${code})\n`);
    await chmod(file, 0o755);
    const result = await runCheck(check(file));
    expect(result).toMatchObject({ state: code, output: `PY ${code}`, perfdata: [{ label: 'py value', value: code, uom: '', warn: '1', crit: '2', min: null, max: null }] });
  });

  it('a Python script that raises says so (exit 1 is WARNING; the traceback is on stderr)', async () => {
    const file = join(work, 'check_broken.py');
    await writeFile(file, `#!${PYTHON}\nraise ValueError("no such sensor")\n`);
    await chmod(file, 0o755);
    const result = await runCheck(check(file));
    expect(result.state).toBe(1);
    expect(result.output).toBe('Traceback (most recent call last):');
    expect(result.longOutput).toMatch(/ValueError: no such sensor/);
  });

  it('passes arguments as an argv, with no shell in between', async () => {
    const result = await runCheck(check('/bin/echo', ['a  b', '$HOME', ';', 'exit', '2', '`id`']));
    expect(result).toMatchObject({ state: 0, output: 'a  b $HOME ; exit 2 `id`' });
  });

  it('looks a bare program name up on PATH', async () => {
    const result = await runCheck(check('echo', ['found on PATH']));
    expect(result).toMatchObject({ state: 0, output: 'found on PATH' });
  });

  it('with shell: true, runs the command by /bin/sh with the args as $1, $2', async () => {
    const result = await runCheck(sh('echo "$0|$1|$2" | tr "|" :; exit 1', { name: 'shelly', args: ['one two', '$HOME'] }));
    expect(result).toMatchObject({ state: 1, output: 'shelly:one two:$HOME' });
  });

  it('gives plugins numbers in the C locale', async () => {
    const result = await runCheck(sh('echo "LC_NUMERIC=$LC_NUMERIC LC_ALL=${LC_ALL:-unset}"'));
    expect(result.output).toBe('LC_NUMERIC=C LC_ALL=unset');
  });
});

describe('what goes wrong', () => {
  it('a timeout kills the whole process group and is UNKNOWN', async () => {
    const pidFile = join(work, 'bg.pid');
    const started = Date.now();
    const result = await runCheck(sh(`sleep 60 & echo $! > ${pidFile}; echo "still going"; sleep 60`, { timeoutSeconds: 1 }));
    expect(result).toMatchObject({ state: 3, output: 'timed out after 1 s: still going' });
    expect(Date.now() - started).toBeLessThan(15_000);
    const pid = Number(await readFile(pidFile, 'utf8'));
    await expect.poll(() => isAlive(pid), { timeout: 10_000 }).toBe(false);
  });

  it('a plugin that ignores SIGTERM is killed after the grace', async () => {
    const result = await runCheck(sh(`trap '' TERM; echo stubborn; sleep 60`, { timeoutSeconds: 1 }));
    expect(result).toMatchObject({ state: 3, output: 'timed out after 1 s: stubborn' });
    expect(result.durationMs).toBeLessThan(15_000);
  });

  it('a missing program is UNKNOWN: by path, by name, and through a shell', async () => {
    expect(await runCheck(check('/no/such/check_thing'))).toMatchObject({ state: 3, output: 'command not found: /no/such/check_thing' });
    expect(await runCheck(check('check_nothing_by_that_name'))).toMatchObject({ state: 3, output: 'command not found: check_nothing_by_that_name' });
    const viaShell = await runCheck(sh('check_nothing_by_that_name --all'));
    expect(viaShell.state).toBe(3);
    expect(viaShell.output).toMatch(/^exit code 127 \(command not found\), not a plugin state: .*not found/);
  });

  it('a file that is not executable is UNKNOWN', async () => {
    const file = join(work, 'not-executable');
    await writeFile(file, '#!/bin/sh\necho OK\n', { mode: 0o644 });
    // Root may execute files without an x bit only when some x bit is set: none is here.
    expect(await runCheck(check(file))).toMatchObject({ state: 3, output: `not executable: ${file} (permission denied)` });
  });

  it('keeps only the start of a flood of output, and says it was cut', async () => {
    const result = await runCheck(sh(`echo "FLOOD OK|a=1"; head -c 1000000 /dev/zero | tr '\\0' x`));
    expect(result).toMatchObject({ state: 0, output: 'FLOOD OK', perfdata: [expect.objectContaining({ label: 'a' })] });
    expect(result.longOutput.length).toBeLessThanOrEqual(OUTPUT_LIMITS.longOutputChars);
    expect(result.longOutput.endsWith('…')).toBe(true);
    const oneLine = await runCheck(sh(`head -c 100000 /dev/zero | tr '\\0' y`));
    expect(oneLine.output.length).toBe(OUTPUT_LIMITS.outputChars);
    expect(oneLine.longOutput).toBe('(output cut at the capture limit)');
  });

  it('does not wait for a background child that keeps stdout open after the plugin exited', async () => {
    const pidFile = join(work, 'holder.pid');
    const result = await runCheck(sh(`sleep 60 & echo $! > ${pidFile}; echo "DONE OK"`));
    expect(result).toMatchObject({ state: 0, output: 'DONE OK' });
    expect(result.durationMs).toBeLessThan(15_000);
    const pid = Number(await readFile(pidFile, 'utf8'));
    await expect.poll(() => isAlive(pid), { timeout: 10_000 }).toBe(false);
  });

  it('stops a run when its check is removed', async () => {
    const abort = new AbortController();
    const running = runCheck(sh('echo begun; sleep 60', { timeoutSeconds: 120 }), abort.signal);
    setTimeout(() => abort.abort(), 300);
    const result = await running;
    expect(result.state).toBe(3);
    expect(result.durationMs).toBeLessThan(15_000);
  });
});
