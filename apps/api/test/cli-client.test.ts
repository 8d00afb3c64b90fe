import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli, type CliProcess } from './support/cli-process.js';
import { freePort } from './support/free-port.js';
import { makeRealAgent, stopAllAgents } from './support/real-agent.js';
import { eventually } from './support/test-app.js';

const INVENTORY_SCRIPT = fileURLToPath(new URL('../../../contrib/ansible/overmind_inventory.py', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const running: CliProcess[] = [];
const cleanup: (() => Promise<void>)[] = [];
let base = '';
let clientEnv: Record<string, string> = {};
let server: CliProcess;
let adminPassword = '';

/** The CLI as a user runs it: a separate process, its own config dir; resolves when it has exited. */
async function overmind(args: string[], stdin?: string) {
  const p = runCli(args, clientEnv, stdin);
  running.push(p);
  const code = await p.exited;
  return { code, stdout: p.stdout(), all: p.output.join('\n'), process: p };
}

beforeAll(async () => {
  const home = await mkdtemp(join(tmpdir(), 'overmind-cli-'));
  // Its own directory, as in a real install: the embedded Postgres's user must reach it.
  const serverHome = await mkdtemp(join(tmpdir(), 'overmind-cli-server-'));
  cleanup.push(() => rm(home, { recursive: true, force: true }), () => rm(serverHome, { recursive: true, force: true }));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // The server as an operator runs it, on the embedded Postgres (the default: no DATABASE_URL), with
  // the terminal format forced (its stdout is a pipe here).
  server = runCli(['start'], {
    OVERMIND_EMBEDDED_PG_PORT: String(await freePort()),
    OVERMIND_HOME: serverHome,
    PORT: String(port),
    LOG_FORMAT: 'pretty',
  });
  running.push(server);
  await server.waitFor(/Console and API: /, 90_000);
  const at = server.output.findIndex((l) => l.includes('First start: user "admin" was created with this password:'));
  expect(at).toBeGreaterThan(0);
  adminPassword = server.output[at + 2]!.trim();
  clientEnv = { HOME: join(home, 'user'), XDG_CONFIG_HOME: join(home, 'user', 'config') };
}, 120_000);

afterAll(async () => {
  await stopAllAgents();
  // Clients at once; the server with SIGTERM, so that it stops its embedded Postgres too.
  await Promise.all(running.filter((p) => p !== server).map((p) => p.kill('SIGKILL')));
  await server?.kill('SIGTERM');
  for (const c of cleanup) await c();
});

describe('overmind start on a terminal', () => {
  it('prints readable log lines and a banner with the console URL and the first admin password set apart', () => {
    expect(adminPassword).toMatch(/^\S{12,}$/);
    expect(server.output.join('\n')).toContain(`Console and API: ${base}`);
    // Readable lines, not JSON, and the password appears only in the banner.
    expect(server.output.some((l) => /INFO.*Overmind is running/.test(l))).toBe(true);
    expect(server.output.filter((l) => l.startsWith('{'))).toEqual([]);
    expect(server.output.filter((l) => l.includes(adminPassword))).toHaveLength(1);
  });
});

describe('the overmind client, as a user runs it', () => {
  let nodeId = '';
  let token = '';

  it('logs in with the password on standard input and keeps an API token in a 0600 file', async () => {
    const login = await overmind(['login', base, '--username', 'admin'], `${adminPassword}\n`);
    expect(login.code, login.all).toBe(0);
    expect(login.all).toMatch(/logged in to .* as admin \(admin\)/);
    const file = join(clientEnv.XDG_CONFIG_HOME!, 'overmind', 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(clientEnv.XDG_CONFIG_HOME!, 'overmind'))).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { url: string; token: string };
    expect(stored.url).toBe(base);
    expect(stored.token).toMatch(/^om_/);
    expect(await readFile(file, 'utf8')).not.toContain(adminPassword);
    token = stored.token;
  });

  it('adds a provider (credentials from standard input), creates a node with --wait, lists and shows it', async () => {
    const added = await overmind(['providers', 'add', 'lab', '--type', 'dummy', '--credentials', '-', '--wait', '-o', 'json'], 'apiKey: k-cli-test\n');
    expect(added.code, added.all).toBe(0);
    const provider = JSON.parse(added.stdout) as { name: string; catalogRefreshedAt: string | null; lastSyncAt: string | null };
    expect(provider).toMatchObject({ name: 'lab', catalogRefreshedAt: expect.any(String) });

    const created = await overmind(['nodes', 'create', 'web-1', '--provider', 'lab', '--image', 'debian-12', '--size', 'small', '--location', 'lab-1', '--tag', 'web', '--wait']);
    expect(created.code, created.all).toBe(0);
    expect(created.all).toMatch(/job [0-9a-f]{8} succeeded/); // the progress, on standard error (not a terminal)
    expect(created.stdout).toMatch(/^state:\s+running$/m);
    nodeId = /^id:\s+(\S+)$/m.exec(created.stdout)![1]!;
    expect(nodeId).toMatch(UUID);

    const [quiet, yaml] = await Promise.all([
      overmind(['nodes', 'list', '--tag', 'web', '--state', 'running', '-q']),
      overmind(['nodes', 'show', 'web-1', '-o', 'yaml']),
    ]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe(`${nodeId}\n`);
    expect(yaml.code).toBe(0);
    expect(parseYaml(yaml.stdout)).toMatchObject({ id: nodeId, name: 'web-1', state: 'running', tags: ['web'] });
  }, 120_000);

  it('fails with the API problem and its request id, never a stack trace (1); usage errors exit 2', async () => {
    // Few processes: each costs a second of CPU. Commander's other usage errors (an unknown verb, a
    // bad choice) end the same way, through the same exit override (src/cli/run.ts).
    const [missing, usage] = await Promise.all([
      overmind(['nodes', 'show', '0a0a0a0a-0000-4000-8000-000000000000']),
      overmind(['nodes', 'create', 'web-2', '--provider', 'lab']),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.all).toMatch(/^overmind: Node 0a0a0a0a-0000-4000-8000-000000000000 does not exist \(HTTP 404, request id [0-9a-f-]{36}\)$/im);
    expect(missing.all).not.toMatch(/\n\s+at /);
    expect(missing.stdout).toBe('');
    expect(usage.code).toBe(2);
    expect(usage.all).toMatch(/required option '--image <image>' not specified/);
  }, 60_000);

  it('runs a command on the node through its real agent, streaming the output; a non-zero exit fails the command', async () => {
    // The dummy node's documentation address is never connected to: the agent dials the API.
    const minted = await fetch(`${base}/api/v1/agent-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ nodeId, ttlSeconds: 600 }),
    });
    expect(minted.status).toBe(201);
    const agent = await makeRealAgent();
    cleanup.push(() => agent.remove());
    await agent.enroll(base, ((await minted.json()) as { token: string }).token);
    const proc = agent.start();
    await eventually(async () => {
      const node = (await (await fetch(`${base}/api/v1/nodes/${nodeId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { agent: { state: string } | null };
      return node.agent?.state === 'connected' ? true : undefined;
    }, 30_000, `the agent to connect: ${proc.output()}`);

    const run = await overmind(['nodes', 'run', 'web-1', '-c', 'echo "hello from the cli"; exit 3', '--wait']);
    expect(run.code, run.all).toBe(1);
    expect(run.stdout).toContain('[web-1] hello from the cli');
    expect(run.stdout).toContain('[web-1] exit code 3');
    expect(run.all).toMatch(/overmind: 1 of 1 node\(s\) did not exit 0/);

    // Ctrl-C while waiting stops the waiting, not the job; the job is then cancelled with `jobs cancel`.
    const waiting = runCli(['nodes', 'run', 'web-1', '-c', 'sleep 60', '--wait'], clientEnv);
    running.push(waiting);
    await waiting.waitFor(/job [0-9a-f]{8} running/, 30_000);
    waiting.child.kill('SIGINT');
    expect(await waiting.exited).toBe(130);
    const stopped = waiting.output.join('\n');
    const jobId = /stopped waiting; job (\S+) goes on/.exec(stopped)?.[1];
    expect(jobId, stopped).toMatch(UUID);
    const jobNow = (await (await fetch(`${base}/api/v1/jobs/${jobId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { state: string };
    expect(jobNow.state).toBe('running');
    const cancelled = await overmind(['jobs', 'cancel', jobId!, '-o', 'json']);
    expect(cancelled.code, cancelled.all).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ id: jobId });
    await proc.kill();
  }, 120_000);

  it('serves the Ansible inventory that the real ansible-inventory reads through the documented script', async () => {
    const inventory = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn('ansible-inventory', ['-i', INVENTORY_SCRIPT, '--list'], {
        env: { PATH: process.env.PATH ?? '', ...clientEnv, ANSIBLE_LOCAL_TEMP: join(clientEnv.HOME!, 'ansible-tmp'), ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true' },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ code, out, err }));
    });
    expect(inventory.code, inventory.err).toBe(0);
    const parsed = JSON.parse(inventory.out) as Record<string, { hosts?: string[]; children?: string[]; hostvars?: Record<string, Record<string, unknown>> }>;
    expect(parsed._meta!.hostvars!['web-1']).toMatchObject({ overmind_id: nodeId, overmind_provider: 'lab', overmind_state: 'running', overmind_tags: ['web'] });
    expect(parsed._meta!.hostvars!['web-1']!.ansible_host).toMatch(/^203\.0\.113\./);
    for (const group of ['provider_lab', 'tag_web', 'state_running']) expect(parsed[group]?.hosts, group).toEqual(['web-1']);
    expect(inventory.err).not.toMatch(/WARNING/);
  }, 60_000);

  it('destroys the node with --wait and prints the finished job as JSON', async () => {
    const destroyed = await overmind(['nodes', 'destroy', 'web-1', '--wait', '-o', 'json']);
    expect(destroyed.code, destroyed.all).toBe(0);
    expect(JSON.parse(destroyed.stdout)).toMatchObject({ type: 'node.destroy', state: 'succeeded', targetId: nodeId });
  }, 60_000);
});
