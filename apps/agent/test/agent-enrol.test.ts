import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parsePublicKey } from '@overmind/agent-protocol';
import { killAgents, makeAgentHome, type AgentHome } from './support/agent-process.js';
import { ProtocolServer } from './support/protocol-server.js';

let server: ProtocolServer;
const homes: AgentHome[] = [];
const home = async () => {
  const h = await makeAgentHome();
  homes.push(h);
  return h;
};

beforeAll(async () => {
  server = await ProtocolServer.start();
});
afterEach(killAgents);
afterAll(async () => {
  await server.close();
  await Promise.all(homes.map((h) => h.remove()));
});

describe('overmind-agent enroll', () => {
  it('makes a key pair, sends the public key with the token from a file, and stores the identity', async () => {
    const agent = await home();
    const token = server.token('node-7');
    const result = await agent.enroll(`${server.url}/`, token);
    expect(result.stdout).toMatch(/^enrolled as agent agent-\S+ of node node-7\n$/);
    expect(result.stdout + result.stderr).not.toContain(token);

    const identity = JSON.parse(await readFile(join(agent.stateDir, 'identity.json'), 'utf8'));
    expect(identity).toMatchObject({ nodeId: 'node-7' });
    expect(server.agents.get(identity.agentId)?.nodeId).toBe('node-7');
    // The server holds the public key the agent stored; the private key is the agent's alone (0600).
    expect(server.enrolRequests.at(-1)).toMatchObject({ token, publicKey: identity.publicKey, agentVersion: '0.1.0' });
    expect(parsePublicKey(identity.publicKey)).not.toBeNull();
    const key = await stat(join(agent.stateDir, 'agent.key'));
    expect(key.mode & 0o777).toBe(0o600);
    expect(await readFile(join(agent.stateDir, 'agent.key'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(JSON.parse(await readFile(join(agent.configDir, 'agent.json'), 'utf8'))).toEqual({ url: server.url });
  });

  it('reads the token from stdin with --token -, and records a pending agent', async () => {
    const agent = await home();
    const token = server.token(null);
    const result = await agent.cli(['enroll', '--url', server.url, '--token', '-', '--user', 'overmind'], { stdin: `${token}\n` });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/waiting for an operator to approve it/);
    expect(JSON.parse(await readFile(join(agent.configDir, 'agent.json'), 'utf8'))).toEqual({ url: server.url, user: 'overmind' });
  });

  it('refuses to enrol twice unless forced, and a forced enrolment makes a new key', async () => {
    const agent = await home();
    await agent.enroll(server.url, server.token());
    const first = JSON.parse(await readFile(join(agent.stateDir, 'identity.json'), 'utf8'));

    const again = await agent.enroll(server.url, server.token()).catch((err: Error) => err);
    expect(String(again)).toMatch(/already enrolled as agent .* give --force/);

    const tokenFile = join(agent.stateDir, '..', 'token2');
    await writeFile(tokenFile, server.token());
    const forced = await agent.cli(['enroll', '--url', server.url, '--token-file', tokenFile, '--force']);
    expect(forced.code).toBe(0);
    const second = JSON.parse(await readFile(join(agent.stateDir, 'identity.json'), 'utf8'));
    expect(second.agentId).not.toBe(first.agentId);
    expect(second.publicKey).not.toBe(first.publicKey);
  });

  it('fails in one line with the status, the problem detail and the request id, never the token', async () => {
    const agent = await home();
    const token = 'not-a-token-the-server-knows';
    const result = await agent.cli(['enroll', '--url', server.url, '--token', '-'], { stdin: token });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^overmind-agent: enrolment failed: HTTP 401 Unauthorized: the join token is unknown, spent or expired \(request id [0-9a-f-]{36}\)\n$/);
    expect(result.stderr + result.stdout).not.toContain(token);
    await expect(stat(join(agent.stateDir, 'identity.json'))).rejects.toThrow();
  });

  it('says clearly when the server cannot be reached or the input is wrong', async () => {
    const agent = await home();
    const unreachable = await agent.cli(['enroll', '--url', 'http://127.0.0.1:9', '--token', '-'], { stdin: 'abcdefghijklmnop' });
    expect(unreachable.stderr).toMatch(/^overmind-agent: enrolment failed: cannot reach http:\/\/127\.0\.0\.1:9: .*ECONNREFUSED.*\n$/);
    const noToken = await agent.cli(['enroll', '--url', server.url]);
    expect(noToken.stderr).toMatch(/give the join token with exactly one of/);
    const badUrl = await agent.cli(['enroll', '--url', 'ftp://x', '--token', '-'], { stdin: 'abcdefghijklmnop' });
    expect(badUrl.stderr).toMatch(/must start with http:\/\/ or https:\/\//);
    for (const r of [unreachable, noToken, badUrl]) {
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
