import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarGzOf } from '../../../packages/chef-solo/test/support/tar-builder.js';
import { FIXTURE_KITCHEN, makeRemoteRoot, type RemoteRoot } from '../../../packages/chef-solo/test/support/remote-root.js';
import { AGENT_DIR, killAgents, makeAgentHome, type AgentHome } from './support/agent-process.js';
import { deadlineIn, ProtocolServer } from './support/protocol-server.js';

const run = promisify(execFile);
let dir: string;
let bundle: string;
let server: ProtocolServer;
let agent: AgentHome;
let remote: RemoteRoot;

/** No node_modules in `path` or any directory above it: the bundle must carry everything. */
async function noNodeModulesAbove(path: string): Promise<void> {
  for (let d = path; ; d = dirname(d)) {
    await expect(access(join(d, 'node_modules'))).rejects.toThrow();
    if (d === dirname(d)) return;
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'overmind-agent-bundle-'));
  // Built from the current sources into a scratch directory, then copied alone to where it runs.
  await run(process.execPath, [join(AGENT_DIR, 'scripts', 'build-bundle.mjs'), join(dir, 'dist')], { cwd: AGENT_DIR });
  bundle = join(dir, 'host', 'overmind-agent.mjs');
  await run('mkdir', ['-p', join(dir, 'host')]);
  await copyFile(join(dir, 'dist', 'overmind-agent.mjs'), bundle);
  server = await ProtocolServer.start({ heartbeatSeconds: 2, features: { facts: true } });
  agent = await makeAgentHome({ bundle });
  remote = await makeRemoteRoot();
});
afterAll(async () => {
  await killAgents();
  await server?.close();
  await agent?.remove();
  await remote?.remove();
  await rm(dir, { recursive: true, force: true });
});

describe('the bundle', () => {
  it('is one file described by release.json', async () => {
    const release = JSON.parse(await readFile(join(dir, 'dist', 'release.json'), 'utf8'));
    const bytes = await readFile(bundle);
    const { version } = JSON.parse(await readFile(join(AGENT_DIR, 'package.json'), 'utf8'));
    expect(release).toEqual({ version, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, file: 'overmind-agent.mjs' });
    expect(bytes.subarray(0, 20).toString()).toBe('#!/usr/bin/env node\n');
  });

  it('runs with no node_modules: version, status, enrol, connect, a command and a converge', async () => {
    await noNodeModulesAbove(dirname(bundle));
    const version = await run(process.execPath, [bundle, 'version'], { cwd: dirname(bundle) });
    expect(version.stdout).toBe('0.1.0\n');
    const status = await agent.cli(['status']);
    expect(status).toMatchObject({ code: 2, stdout: expect.stringMatching(/^not enrolled/) });

    await agent.enroll(server.url, server.token());
    agent.start();
    await expect.poll(() => server.welcomedSessions().length).toBe(1);
    await expect.poll(() => server.received('facts').length).toBe(1);

    server.offer({ id: 'bundle-cmd', kind: 'command', deadline: deadlineIn(600), spec: { command: 'echo from the bundle', timeoutSeconds: 60 } });
    await expect.poll(() => server.runs.get('bundle-cmd')?.result?.outcome).toBe('succeeded');
    expect(server.text('bundle-cmd')).toEqual(['from the bundle']);

    // tar, jsonc-parser and the chef-solo steps are inside the bundle too.
    const archive = await tarGzOf(FIXTURE_KITCHEN, ['cookbooks', 'site-cookbooks', 'roles', 'environments', 'data_bags']);
    const kitchen = { sha256: createHash('sha256').update(archive).digest('hex'), bytes: archive.length };
    server.kitchens.set(kitchen.sha256, archive);
    server.offer({
      id: 'bundle-converge',
      kind: 'converge',
      deadline: deadlineIn(600),
      spec: { nodeName: 'web-1', runList: ['role[web]'], attributes: {}, secretAttributes: {}, environment: null, kitchen, settings: { chefSoloCommand: remote.command(), paths: remote.paths, sudo: false }, timeoutSeconds: 300 },
    });
    await expect.poll(() => server.runs.get('bundle-converge')?.result).toMatchObject({ outcome: 'succeeded', summary: expect.stringMatching(/^Chef Infra Client finished/) });
    expect((await remote.reports())[0]!.problems).toEqual([]);
    expect(server.protocolErrors).toEqual([]);

    const connected = await agent.cli(['status', '--json']);
    expect(connected.code).toBe(0);
    expect(JSON.parse(connected.stdout)).toMatchObject({ connected: true, lastRun: { id: 'bundle-converge', outcome: 'succeeded' } });
  });
});
