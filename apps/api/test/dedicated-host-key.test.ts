/** Facts refresh and SSH host key changes of a registered server (a real sshd whose host key is replaced). */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  driverState,
  getNode,
  jobLines,
  registerNode,
  runJob,
  sshRegistration,
  startDedicatedApi,
  uname,
  type DedicatedTest,
} from './support/dedicated-steps.js';

const run = promisify(execFile);

let d: DedicatedTest;
let sshd: SshdFixture;
let nodeId: string;
let oldKey: string;
let newKey: string;

/**
 * Gives the running sshd a new host key, as a reinstall would: sshd re-executes for every
 * connection and reads its host key file then.
 */
async function replaceHostKey(): Promise<string> {
  const file = join(sshd.dir, 'host_ed25519');
  await rm(file, { force: true });
  await rm(`${file}.pub`, { force: true });
  await run('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  const { stdout } = await run('/usr/bin/ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`]);
  return stdout.split(' ')[1]!;
}

beforeAll(async () => {
  [d, sshd] = await Promise.all([startDedicatedApi(), startSshd()]);
  const { job, nodeId: id } = await registerNode(d, 'hk-1', sshRegistration(sshd));
  expect(job.state, job.error).toBe('succeeded');
  nodeId = id;
  oldKey = sshd.hostKeyFingerprint;
});
afterAll(async () => {
  await Promise.all([d?.close(), sshd?.stop()]);
});

describe('facts and host keys of a registered server', () => {
  it('gathers facts again through a job', async () => {
    const before = (await getNode(d, nodeId)).facts.gatheredAt;
    const job = await runJob(d, `/api/v1/nodes/${nodeId}/facts`);
    expect(job).toMatchObject({ type: 'node.facts', state: 'succeeded', result: { kernel: uname() } });
    const facts = (await getNode(d, nodeId)).facts;
    expect(Date.parse(facts.gatheredAt)).toBeGreaterThan(Date.parse(before));
    expect(facts.kernel.release).toBe(uname());
  });

  it('fails on a changed host key, and succeeds once the operator accepts the new key', async () => {
    newKey = await replaceHostKey();
    expect(newKey).not.toBe(oldKey);

    const refused = await runJob(d, `/api/v1/nodes/${nodeId}/facts`);
    expect(refused.state).toBe('failed');
    expect(refused.attempts).toBe(1); // a mismatch is not retried
    expect(refused.error).toMatch(new RegExp(`^SSH host key of node ${nodeId} \\(.*\\) changed: pinned ${escape(oldKey)}, server presented ${escape(newKey)}\\.`));
    expect(await jobLines(d, refused.id)).toContainEqual(expect.stringMatching(/^failed: SSH host key of node .* changed/));
    expect(await driverState(d, nodeId)).toMatchObject({ hostKeyFingerprint: oldKey });

    const badKey = await d.call('operator', { method: 'POST', url: `/api/v1/nodes/${nodeId}/host-key`, payload: { fingerprint: 'MD5:aa:bb' } });
    expect(badKey.statusCode).toBe(400);
    const accepted = await d.call('operator', { method: 'POST', url: `/api/v1/nodes/${nodeId}/host-key`, payload: { fingerprint: newKey } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toEqual({ nodeId, hostKeyFingerprint: newKey });
    expect(await driverState(d, nodeId)).toMatchObject({ hostKeyFingerprint: newKey });
    const audit = (await d.call('admin', { method: 'GET', url: `/api/v1/audit-events?action=node.accept-host-key&targetId=${nodeId}` })).json();
    expect(audit.items).toEqual([expect.objectContaining({ actorName: 'operator', details: { fingerprint: newKey, previous: oldKey } })]);

    const again = await runJob(d, `/api/v1/nodes/${nodeId}/facts`);
    expect(again.state, again.error).toBe('succeeded');
    expect((await getNode(d, nodeId)).extra.hostKeyFingerprint).toBe(newKey);
  });

  it('refuses a registration that expects another host key, before logging in', async () => {
    const { job, nodeId: id } = await registerNode(d, 'hk-2', sshRegistration(sshd, { ssh: { ...sshRegistration(sshd).ssh, hostKeyFingerprint: oldKey } }));
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(new RegExp(`changed: pinned ${escape(oldKey)}, server presented ${escape(newKey)}\\. Nothing was sent`));
    expect((await getNode(d, id)).state).toBe('error');
    // It never registered: there are no facts to refresh and no key to accept.
    const facts = await d.call('operator', { method: 'POST', url: `/api/v1/nodes/${id}/facts` });
    expect(facts.statusCode).toBe(409);
    expect(facts.json().detail).toBe('Node hk-2 cannot gather facts: registration has not finished');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
