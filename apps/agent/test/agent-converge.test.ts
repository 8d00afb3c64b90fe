import { createHash } from 'node:crypto';
import { access, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConvergeSpec } from '@overmind/agent-protocol';
import { tarGzOf } from '../../../packages/chef-solo/test/support/tar-builder.js';
import { FIXTURE_KITCHEN, makeRemoteRoot, type RemoteRoot } from '../../../packages/chef-solo/test/support/remote-root.js';
import { killAgents, makeAgentHome, type AgentHome, type AgentProcess } from './support/agent-process.js';
import { deadlineIn, ProtocolServer } from './support/protocol-server.js';

const SECRET = 'root-secret-4242';
let server: ProtocolServer;
let agent: AgentHome;
let running: AgentProcess;
let remote: RemoteRoot;
let kitchen: { sha256: string; bytes: number };

beforeAll(async () => {
  server = await ProtocolServer.start({ heartbeatSeconds: 2 });
  const archive = await tarGzOf(FIXTURE_KITCHEN, ['cookbooks', 'site-cookbooks', 'roles', 'environments', 'data_bags']);
  kitchen = { sha256: createHash('sha256').update(archive).digest('hex'), bytes: archive.length };
  server.kitchens.set(kitchen.sha256, archive);
  agent = await makeAgentHome();
  await agent.enroll(server.url, server.token());
  running = agent.start();
  await vi.waitFor(() => expect(server.welcomedSessions()).toHaveLength(1), { timeout: 30_000, interval: 100 });
});
beforeEach(async () => {
  remote = await makeRemoteRoot();
});
afterEach(async () => {
  expect(server.protocolErrors).toEqual([]);
  await remote.remove();
});
afterAll(async () => {
  await killAgents();
  await server.close();
  await agent.remove();
});

const spec = (overrides: Partial<ConvergeSpec> = {}): ConvergeSpec => ({
  nodeName: 'web-1',
  runList: ['role[web]'],
  attributes: { nginx: { port: 8080 }, fake: { print: ['mysql.root_password'] } },
  secretAttributes: { mysql: { root_password: SECRET } },
  environment: 'staging',
  kitchen,
  settings: { chefSoloCommand: remote.command('ok'), paths: remote.paths, sudo: false },
  timeoutSeconds: 300,
  ...overrides,
});
const converge = (id: string, s: ConvergeSpec) => server.offer({ id, kind: 'converge', deadline: deadlineIn(600), spec: s });
const result = (id: string) => server.runs.get(id)?.result ?? null;

describe('converge runs', () => {
  it('downloads the kitchen (signed), writes what chef-solo reads, runs it, masks secrets and cleans up', async () => {
    converge('conv-1', spec());
    await expect.poll(() => result('conv-1')).toMatchObject({
      outcome: 'succeeded',
      exitCode: 0,
      error: null,
      failedStep: null,
      summary: expect.stringMatching(/^Chef Infra Client finished, \d+\/\d+ resources updated/),
    });
    expect(server.kitchenRequests).toEqual([{ path: `/api/v1/agent/kitchens/${kitchen.sha256}`, status: 200 }]);

    // What the stand-in chef-solo read: solo.rb's paths, node.json (0600) with the run list, plain and secret attributes.
    const [report] = await remote.reports();
    expect(report!.problems).toEqual([]);
    expect(report!.config).toMatchObject({ node_name: 'web-1', role_path: `${remote.paths.stagingDir}/roles`, file_cache_path: remote.paths.fileCacheDir, log_location: remote.paths.logFile });
    expect(report!.node).toMatchObject({ run_list: ['role[web]'], nginx: { port: 8080, workers: 2, gzip: true }, mysql: { root_password: SECRET } });
    expect(report!.nodeJsonMode).toBe(0o600);
    expect(report!.environment).toBe('staging');
    expect(report!.recipes).toContain('nginx::debug');
    await expect(access(join(remote.paths.configDir, 'node.json'))).rejects.toThrow();
    await expect(access(join(remote.paths.configDir, 'solo.rb'))).resolves.toBeUndefined();

    // The recipe printed the secret; it never left the node.
    const texts = server.text('conv-1');
    expect(texts).toContain('    - mysql.root_password is ***');
    expect(texts.join('\n')).not.toContain(SECRET);
    expect(running.output()).not.toContain(SECRET);
    expect(texts).toEqual(expect.arrayContaining(['==> fetch-kitchen', '==> converge', '==> cleanup']));
    expect(result('conv-1')!.logLines).toBe(texts.length);

    const cached = await stat(join(agent.stateDir, 'kitchens', kitchen.sha256));
    expect(cached.isDirectory()).toBe(true);
  });

  it('reuses the cached kitchen and reports a failed chef-solo run with its step', async () => {
    converge('conv-cached', spec());
    await expect.poll(() => result('conv-cached')).toMatchObject({ outcome: 'succeeded' });
    const downloads = server.kitchenRequests.length;
    converge('conv-fail', spec({ settings: { chefSoloCommand: remote.command('fail'), paths: remote.paths, sudo: false } }));
    await expect.poll(() => result('conv-fail')).toMatchObject({
      outcome: 'failed',
      failedStep: 'converge',
      exitCode: 1,
      summary: null,
      error: expect.stringMatching(/^Step "converge" failed: .*FATAL: Mixlib::ShellOut::ShellCommandFailed/),
    });
    expect(server.kitchenRequests).toHaveLength(downloads);
    expect(server.text('conv-fail')).toContain(`kitchen ${kitchen.sha256.slice(0, 12)} is cached`);
    await expect(access(join(remote.paths.configDir, 'node.json'))).rejects.toThrow();
  });

  it('refuses a kitchen whose SHA-256 does not match, keeping nothing of it', async () => {
    const forged = Buffer.from('not the kitchen that was announced');
    const claimed = createHash('sha256').update('something else').digest('hex');
    server.kitchens.set(claimed, forged);
    converge('conv-forged', spec({ kitchen: { sha256: claimed, bytes: forged.length } }));
    await expect.poll(() => result('conv-forged')).toMatchObject({
      outcome: 'failed',
      failedStep: 'fetch-kitchen',
      error: `the kitchen download's SHA-256 is ${createHash('sha256').update(forged).digest('hex')}, expected ${claimed}`,
    });
    expect(await readdir(join(agent.stateDir, 'kitchens'))).not.toContain(claimed);
    expect(await remote.reports()).toEqual([]);
  });

  it('rejects a converge whose chef-solo settings are invalid', async () => {
    converge('conv-bad', spec({ settings: { paths: { configDir: 'relative/dir' } } }));
    await expect.poll(() => server.runs.get('conv-bad')?.rejected).toEqual([expect.stringMatching(/^invalid chef-solo settings: chef-solo path configDir must be an absolute path/)]);
  });
});
