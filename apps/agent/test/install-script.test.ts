import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_DIR } from './support/agent-process.js';
import { isAlive, killQuietly } from './support/processes.js';
import { ProtocolServer } from './support/protocol-server.js';

const run = promisify(execFile);
const INSTALL = join(AGENT_DIR, 'deploy', 'install.sh');
let dir: string;
let bundle: Buffer;
let release: Record<string, unknown>;
let server: ProtocolServer;
const pids: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'overmind-agent-install-'));
  await run(process.execPath, [join(AGENT_DIR, 'scripts', 'build-bundle.mjs'), join(dir, 'dist')], { cwd: AGENT_DIR });
  bundle = await readFile(join(dir, 'dist', 'overmind-agent.mjs'));
  release = JSON.parse(await readFile(join(dir, 'dist', 'release.json'), 'utf8'));
  server = await ProtocolServer.start({ heartbeatSeconds: 2 });
});
afterEach(() => {
  pids.splice(0).forEach(killQuietly);
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

interface Installed {
  prefix: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs install.sh for real with dash (POSIX sh), everything under a fresh prefix, no systemd unless asked. */
async function install(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Installed> {
  const prefix = await mkdtemp(join(dir, 'prefix-'));
  const child = spawn('dash', [INSTALL, ...args], {
    env: { ...process.env, OVERMIND_AGENT_PREFIX: prefix, OVERMIND_AGENT_SYSTEMD: 'no', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  // The script may exit (refusing its arguments) before it reads its input: that is not an error here.
  child.stdin.on('error', () => {});
  child.stdin.end(options.stdin ?? '');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const pidFile = join(prefix, 'var/lib/overmind-agent/agent.pid');
  const pid = Number(await readFile(pidFile, 'utf8').catch(() => '0'));
  if (pid) pids.push(pid);
  return { prefix, code, stdout, stderr };
}

/** A unit install.sh wrote, with the prefix and the node path it found put back to the defaults. */
async function normalizedUnit(path: string, prefix: string): Promise<string> {
  const written = await readFile(path, 'utf8');
  return written.replaceAll(`${prefix}/usr/local/lib`, '/usr/local/lib').replace(/^ExecStart=\S+(?: node)? /m, 'ExecStart=/usr/bin/env node ');
}

describe('install.sh', () => {
  it('installs the bundle, a command and the config, enrols from a token file, and starts the agent without systemd', async () => {
    await writeFile(join(dir, 'bundle.mjs'), bundle);
    const tokenFile = join(dir, 'token');
    const token = server.token('node-42');
    await writeFile(tokenFile, token, { mode: 0o600 });
    const sessions = server.welcomedSessions().length;
    const result = await install(['--url', `${server.url}/`, '--token-file', tokenFile, '--bundle', join(dir, 'bundle.mjs')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/installed 0\.1\.0 in .*\/usr\/local\/lib\/overmind-agent/);
    expect(result.stdout).toMatch(/enrolled as agent \S+ of node node-42/);
    expect(result.stdout).toMatch(/no systemd here: started `overmind-agent run` in the background \(pid \d+/);
    expect(result.stdout).toMatch(/^connected since /m);
    expect(result.stdout + result.stderr).not.toContain(token);

    const { prefix } = result;
    expect(await readFile(join(prefix, 'usr/local/lib/overmind-agent/overmind-agent.mjs'))).toEqual(bundle);
    expect((await stat(join(prefix, 'usr/local/bin/overmind-agent'))).mode & 0o777).toBe(0o755);
    expect(JSON.parse(await readFile(join(prefix, 'etc/overmind-agent/agent.json'), 'utf8'))).toEqual({ url: server.url, user: 'root' });
    expect((await stat(join(prefix, 'var/lib/overmind-agent'))).mode & 0o777).toBe(0o700);
    // The unit is written all the same (ready for systemd): deploy/overmind-agent.service with this install's paths.
    expect(await normalizedUnit(join(prefix, 'etc/systemd/system/overmind-agent.service'), prefix)).toBe(await readFile(join(AGENT_DIR, 'deploy', 'overmind-agent.service'), 'utf8'));

    // The installed command finds its directories on its own; the agent it started is connected
    // (once or more: on a busy machine a missed 2 s heartbeat makes it connect again, as it should).
    await expect.poll(() => server.welcomedSessions().length).toBeGreaterThan(sessions);
    const status = await run(join(prefix, 'usr/local/bin/overmind-agent'), ['status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ connected: true, nodeId: 'node-42', url: server.url });
    const pid = Number(await readFile(join(prefix, 'var/lib/overmind-agent/agent.pid'), 'utf8'));
    expect(isAlive(pid)).toBe(true);
    expect(await readFile(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(token);
  });

  it('downloads the bundle checked against the release SHA-256, takes the token on stdin, and writes the unit', async () => {
    server.release = { description: release, bundle };
    const token = server.token('node-43');
    const unitDir = join(dir, 'units');
    const result = await install(['--url', server.url, '--user', 'root'], { stdin: `${token}\n`, env: { OVERMIND_AGENT_SYSTEMD: 'yes', OVERMIND_AGENT_UNIT_DIR: unitDir } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`downloaded the agent (SHA-256 ${release.sha256})`);
    expect(result.stdout).toMatch(/enrolled as agent \S+ of node node-43/);
    expect(result.stdout).toContain('not the system\'s unit directory: not starting it');

    expect(await normalizedUnit(join(unitDir, 'overmind-agent.service'), result.prefix)).toBe(await readFile(join(AGENT_DIR, 'deploy', 'overmind-agent.service'), 'utf8'));
    expect(result.stdout).not.toContain('in the background');
  });

  it('refuses a download whose SHA-256 is not the release\'s, and a node older than 20', async () => {
    server.release = { description: { ...release, sha256: '0'.repeat(64) }, bundle };
    const forged = await install(['--url', server.url], { stdin: server.token() });
    expect(forged.code).toBe(1);
    expect(forged.stderr).toMatch(/the downloaded bundle's SHA-256 is [0-9a-f]{64}, the release says 0{64}: not installing it/);
    await expect(stat(join(forged.prefix, 'usr/local/lib/overmind-agent/overmind-agent.mjs'))).rejects.toThrow();

    const bin = join(dir, 'old-node');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'node'), '#!/bin/sh\nprintf 18.19.1\n');
    await chmod(join(bin, 'node'), 0o755);
    const old = await install(['--url', server.url, '--bundle', join(dir, 'bundle.mjs')], { stdin: server.token(), env: { OVERMIND_AGENT_NODE: join(bin, 'node') } });
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/Node\.js 20 or newer is needed; .*old-node\/node is 18\.19\.1/);

    const noToken = await install(['--url', server.url, '--token', 'abc']);
    expect(noToken.stderr).toMatch(/--token would put the token on a command line/);
  });
});
