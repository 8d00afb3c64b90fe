import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAgents, makeAgentHome, type AgentHome } from './support/agent-process.js';
import { ProtocolServer } from './support/protocol-server.js';

const run = promisify(execFile);
let dir: string;
let caFile: string;
let server: ProtocolServer;
let agent: AgentHome;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'overmind-agent-tls-'));
  // A private CA and a certificate for 127.0.0.1 signed by it, as a self-hosted Overmind would have.
  const file = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => run('openssl', args);
  await ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=Overmind test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
  await ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr'));
  await run('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > ${file('ext')}`]);
  await ssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('ext'), '-out', file('server.pem'));
  caFile = file('ca.pem');
  server = await ProtocolServer.start({ heartbeatSeconds: 2, tls: { key: await readFile(file('server.key')), cert: await readFile(file('server.pem')) } });
  agent = await makeAgentHome();
});
afterEach(killAgents);
afterAll(async () => {
  await server?.close();
  await agent?.remove();
  await rm(dir, { recursive: true, force: true });
});

describe('a private CA', () => {
  it('is refused without caFile, and trusted for enrolment and the WebSocket with it', async () => {
    const token = server.token();
    const untrusted = await agent.cli(['enroll', '--url', server.url, '--token', '-'], { stdin: token });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/^overmind-agent: enrolment failed: cannot reach https:\/\/127\.0\.0\.1:\d+: .*(self-signed|unable to verify|issuer).*\n$/i);

    const trusted = await agent.cli(['enroll', '--url', server.url, '--token', '-', '--ca-file', caFile], { stdin: token });
    expect(trusted.stderr).toBe('');
    expect(JSON.parse(await readFile(join(agent.configDir, 'agent.json'), 'utf8'))).toEqual({ url: server.url, caFile });
    agent.start();
    await expect.poll(() => server.welcomedSessions().length).toBe(1);
    const status = await agent.cli(['status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ connected: true, url: server.url });
  });
});
