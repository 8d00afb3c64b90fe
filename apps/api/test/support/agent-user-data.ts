/**
 * What a pull role's cloud node is created with: user data that installs the agent at first boot.
 * The replay tests read it from the request the driver sent to the (loopback) cloud, check it holds
 * the install and one join token and nothing else secret, and prove the token enrols: as an
 * enrolment request, or by running the script itself on this machine, as cloud-init would.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { FIXTURE_KITCHEN, kitchenTarGz } from './cm-support.js';
import { waitForJob, type TestApp } from './test-app.js';

const TOKEN_LINE = /^printf '%s\\n' '(omj_[A-Za-z0-9_-]+)' >"\$dir\/join-token"$/m;

/** Checks the script's shape and that no secret but the one token is in it; returns the token. */
export function expectAgentUserData(script: string, url: string, secrets: string[]): string {
  expect(script.startsWith('#!/bin/sh\n')).toBe(true);
  const token = TOKEN_LINE.exec(script)?.[1];
  expect(token, script).toMatch(/^omj_[A-Za-z0-9_-]{32}$/);
  expect(script).toContain(`url='${url}'`);
  expect(script).toContain('"$url/api/v1/agent/install.sh"');
  expect(script).toMatch(/^sh "\$dir\/install\.sh" --url "\$url" --token-file "\$dir\/join-token"$/m);
  // The token once, and none of the secrets Overmind holds for this node's provider and role.
  expect(script.split(token!).length).toBe(2);
  for (const secret of secrets) expect(script.includes(secret), `a secret in the user data: ${secret.slice(0, 6)}…`).toBe(false);
  expect(script).not.toMatch(/PRIVATE KEY/);
  return token!;
}

/** Enrols as an agent would (a fresh Ed25519 key) with the token: the answer says which node it joined. */
export async function enrolWith(t: TestApp, token: string) {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'jwk' }).x!;
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/agent/enroll', payload: { token, publicKey: raw, hostname: 'cloud-node', agentVersion: 'test' } });
  return { status: res.statusCode, body: res.json() };
}

/** The stored payloads of a node's create jobs (the API never returns them): the token must not be there. */
export async function createPayloads(t: TestApp, nodeId: string): Promise<string> {
  const db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(`SELECT payload FROM jobs WHERE target_id = $1 AND type = 'node.create'`, [nodeId]);
    return JSON.stringify(rows);
  } finally {
    await db.end();
  }
}

export interface UserDataRun {
  output: string;
  /** The root the script's install went under. */
  prefix: string;
  /** Kills the agent it started and removes its files. */
  remove(): Promise<void>;
}

/**
 * Runs the user data as cloud-init would (root, at first boot), except that install.sh puts the
 * agent under a temporary prefix and starts it with nohup (there is no systemd here).
 */
export async function runUserData(script: string): Promise<UserDataRun> {
  const prefix = await mkdtemp(join(tmpdir(), 'overmind-user-data-'));
  const file = join(prefix, 'user-data');
  await writeFile(file, script, { mode: 0o700 });
  const output = await new Promise<string>((resolve, reject) => {
    execFile('/bin/sh', [file], { env: { ...process.env, OVERMIND_AGENT_PREFIX: prefix, OVERMIND_AGENT_SYSTEMD: 'no' }, timeout: 180_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`the user data failed: ${err.message}\n${stdout}${stderr}`)) : resolve(`${stdout}${stderr}`),
    );
  });
  return {
    output,
    prefix,
    async remove() {
      const pid = Number(await readFile(join(prefix, 'var/lib/overmind-agent/agent.pid'), 'utf8').catch(() => '0'));
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
      await rm(prefix, { recursive: true, force: true });
    },
  };
}

/** The role's SSH key and secret attribute: secrets the user data must not carry. */
export const PULL_ROLE_SECRETS = { sshKeyLine: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ-role-key', dbPassword: 'pull-role-db-password-7c1e' };

/**
 * A pull role on the provider (the fixture kitchen uploaded to the app's kitchen directory) and one
 * node made from it; resolves once its create job finished.
 */
export async function createPullRoleNode(
  t: TestApp,
  machine: { providerId: string; locationId: string; sizeId: string; imageId: string; networkIds?: string[] | 'auto' | 'none'; floatingIp?: boolean },
  name: string,
) {
  const kitchen = await t.request('operator', { method: 'PUT', url: '/api/v1/kitchen', payload: await kitchenTarGz(FIXTURE_KITCHEN), headers: { 'content-type': 'application/gzip' } });
  expect(kitchen.statusCode, kitchen.body).toBe(200);
  const role = await t.request('operator', {
    method: 'POST',
    url: '/api/v1/server-roles',
    payload: {
      name, ...machine, runList: ['role[web]'],
      secretAttributes: { 'mysql.root_password': PULL_ROLE_SECRETS.dbPassword },
      ssh: { username: 'root', privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${PULL_ROLE_SECRETS.sshKeyLine}\n-----END OPENSSH PRIVATE KEY-----\n` },
      configMode: 'pull',
    },
  });
  expect(role.statusCode, role.body).toBe(201);
  const created = await t.request('operator', { method: 'POST', url: `/api/v1/server-roles/${role.json().id}/nodes`, payload: { count: 1 } });
  expect(created.statusCode, created.body).toBe(202);
  const [queued] = created.json().jobs;
  const job = await waitForJob(t, queued.id, 60_000);
  return { nodeId: queued.targetId as string, job };
}
