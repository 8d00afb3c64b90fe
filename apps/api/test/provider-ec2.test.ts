import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ec2Plugin } from '@overmind/driver-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeEc2, SCENARIOS, listParam, type RecordedRequest, type Reply } from '../../../packages/driver-ec2/test/support/ec2-fake-server.js';
import {
  describeAvailabilityZonesXml,
  describeImagesXml,
  describeInstanceTypesXml,
  describeInstancesXml,
  errorXml,
  rebootInstancesXml,
  runInstancesXml,
  stateChangeXml,
} from '../../../packages/driver-ec2/test/support/ec2-fixtures.js';
import { CREDENTIALS, instance } from '../../../packages/driver-ec2/test/support/ec2-harness.js';
import {
  catalog,
  createNode,
  destroyNode,
  expectCredentialsRefused,
  favouriteFirst,
  idempotencyKey,
  importedNodes,
  jobLog,
  rebootStopStart,
  registerProvider,
} from './support/provider-steps.js';
import { PULL_ROLE_SECRETS, createPayloads, createPullRoleNode, enrolWith, expectAgentUserData } from './support/agent-user-data.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type Instance = ReturnType<typeof instance>;

/**
 * A small EC2 account behind the driver's own loopback fake: it checks the signing key, keeps
 * instances, moves them through EC2's states one DescribeInstances at a time, and honours
 * ClientToken as EC2 does (a token it has seen returns the first instance).
 */
function ec2Account(fake: FakeEc2) {
  const instances = new Map<string, Instance>();
  const byToken = new Map<string, string>();
  const account = { instances, loseNextRunAnswer: false };
  const NEXT: Record<string, string> = { pending: 'running', stopping: 'stopped', 'shutting-down': 'terminated' };
  const authed = (answer: (r: RecordedRequest) => Reply) => (r: RecordedRequest): Reply =>
    String(r.headers.authorization).includes(`Credential=${CREDENTIALS.accessKeyId}/`) ? answer(r) : SCENARIOS['auth-failure'];
  const transition = (action: string, to: string) => authed((r) => {
    const i = instances.get(r.params['InstanceId.1']!)!;
    const previous = i.State!.Name!;
    i.State = { Name: to as 'pending' };
    return { body: stateChangeXml(action, i.InstanceId!, previous, to) };
  });
  instances.set(instance(1).InstanceId!, instance(1));

  fake
    .on('DescribeAvailabilityZones', authed(() => ({
      body: describeAvailabilityZonesXml([
        { ZoneName: 'eu-west-1a', ZoneId: 'euw1-az3', RegionName: 'eu-west-1' },
        { ZoneName: 'eu-west-1b', ZoneId: 'euw1-az1', RegionName: 'eu-west-1' },
      ]),
    })))
    .on('DescribeImages', authed(() => ({
      body: describeImagesXml([
        { ImageId: 'ami-0a1b2c3d4e5f67890', Name: 'ubuntu-24.04-web' },
        { ImageId: 'ami-0f0e0d0c0b0a09080', Name: 'win-2022-base', Platform: 'Windows', PlatformDetails: 'Windows' },
      ]),
    })))
    .on('DescribeInstanceTypes', authed(() => ({
      body: describeInstanceTypesXml([
        { InstanceType: 't3.micro', VCpuInfo: { DefaultVCpus: 2 }, MemoryInfo: { SizeInMiB: 1024 } },
        { InstanceType: 'm5.large', VCpuInfo: { DefaultVCpus: 2 }, MemoryInfo: { SizeInMiB: 8192 } },
      ]),
    })))
    .on('DescribeInstances', authed((r) => {
      const ids = listParam(r.params, 'InstanceId');
      const listed = ids.length === 0 ? [...instances.values()] : ids.map((id) => instances.get(id)).filter((i) => i !== undefined);
      if (listed.length < ids.length) return { status: 400, body: errorXml('InvalidInstanceID.NotFound', `The instance ID '${ids[0]}' does not exist`) };
      const body = describeInstancesXml(listed.map((i) => structuredClone(i)));
      for (const i of listed) {
        const next = NEXT[i.State!.Name!];
        if (next) i.State = { Name: next as 'running' };
        if (next === 'running') i.PublicIpAddress ??= `203.0.113.${100 + instances.size}`;
      }
      return { body };
    }))
    .on('RunInstances', authed((r) => {
      const token = r.params.ClientToken!;
      let id = byToken.get(token);
      if (!id) {
        const n = instances.size + 1;
        const tags = [];
        for (let m = 1; r.params[`TagSpecification.1.Tag.${m}.Key`]; m++) {
          tags.push({ Key: r.params[`TagSpecification.1.Tag.${m}.Key`], Value: r.params[`TagSpecification.1.Tag.${m}.Value`] });
        }
        const launched = instance(n, {
          state: 'pending',
          ImageId: r.params.ImageId,
          InstanceType: r.params.InstanceType as 't3.micro',
          Placement: { AvailabilityZone: r.params['Placement.AvailabilityZone'] },
          PublicIpAddress: undefined,
          Tags: tags,
        });
        id = launched.InstanceId!;
        instances.set(id, launched);
        byToken.set(token, id);
        if (account.loseNextRunAnswer) {
          // The instance launched but the answer never arrived: the caller must retry with the same token.
          account.loseNextRunAnswer = false;
          return { status: 503, headers: { 'Retry-After': '1' }, body: errorXml('Unavailable', "The server is overloaded and can't handle the request.") };
        }
      }
      return { body: runInstancesXml(structuredClone(instances.get(id)!)) };
    }))
    .on('RebootInstances', authed(() => ({ body: rebootInstancesXml() })))
    .on('StopInstances', transition('StopInstances', 'stopping'))
    .on('StartInstances', transition('StartInstances', 'pending'))
    .on('TerminateInstances', transition('TerminateInstances', 'shutting-down'));
  return account;
}

let t: TestApp;
let fake: FakeEc2;
let account: ReturnType<typeof ec2Account>;
let providerId: string;
let kitchenDir: string;

beforeAll(async () => {
  fake = await FakeEc2.start();
  account = ec2Account(fake);
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-ec2-kitchen-'));
  t = await createTestApp({ plugins: [ec2Plugin], env: { OVERMIND_KITCHEN_DIR: kitchenDir, OVERMIND_PUBLIC_URL: 'https://overmind.example.test:8443' } });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
  await rm(kitchenDir, { recursive: true, force: true });
});

const settings = () => ({ region: 'eu-west-1', endpoint: fake.url });
const nodeBody = (name: string) => ({ providerId, name, imageId: 'ami-0a1b2c3d4e5f67890', sizeId: 't3.micro', locationId: 'eu-west-1b' });

describe('Amazon EC2 through the API', () => {
  it('refuses credentials EC2 rejects, with its message, and stores nothing', async () => {
    await expectCredentialsRefused(
      t,
      { name: 'ec2-bad', type: 'ec2', credentials: { ...CREDENTIALS, accessKeyId: 'AKIAWRONGWRONGWRONG0' }, settings: settings() },
      /AWS was not able to validate the provided access credentials/,
    );
    expect(fake.calls('DescribeAvailabilityZones')).toHaveLength(1);
  });

  it('registers the account, refreshes its catalog and imports its instances', async () => {
    const { provider, jobs } = await registerProvider(t, { name: 'ec2-eu', type: 'ec2', credentials: CREDENTIALS, settings: settings() });
    providerId = provider.id;
    expect(await importedNodes(t, providerId, jobs)).toEqual({ result: { listed: 1, imported: 1, updated: 0, decommissioned: 0 }, nodes: ['web-1:running'] });

    expect((await catalog(t, providerId, 'images')).items.map((i) => i.id)).toEqual(['ami-0a1b2c3d4e5f67890', 'ami-0f0e0d0c0b0a09080']);
    expect((await catalog(t, providerId, 'images', 'win-2022')).items.map((i) => i.id)).toEqual(['ami-0f0e0d0c0b0a09080']);
    expect((await catalog(t, providerId, 'sizes', 'm5')).items).toEqual([expect.objectContaining({ id: 'm5.large', name: 'm5.large (2 vCPU, 8 GiB)' })]);
    expect((await catalog(t, providerId, 'locations')).items.map((l) => l.id)).toEqual(['eu-west-1a', 'eu-west-1b']);
    await favouriteFirst(t, providerId, 'ami-0f0e0d0c0b0a09080');
  });

  it('creates an instance with the node idempotency key as ClientToken, then reboots, stops, starts and terminates it', async () => {
    const { job, node } = await createNode(t, { ...nodeBody('api-1'), userData: '#!/bin/sh\necho hi\n' });
    expect(job).toMatchObject({ state: 'succeeded', attempts: 1 });
    const [run] = fake.calls('RunInstances');
    expect(run!.params).toMatchObject({
      ImageId: 'ami-0a1b2c3d4e5f67890',
      InstanceType: 't3.micro',
      'Placement.AvailabilityZone': 'eu-west-1b',
      ClientToken: await idempotencyKey(t, node.id),
    });
    expect(Buffer.from(run!.params.UserData!, 'base64').toString()).toBe('#!/bin/sh\necho hi\n');
    expect(account.instances.get(node.providerNodeId!)?.Tags).toEqual(expect.arrayContaining([
      { Key: 'Name', Value: 'api-1' },
      { Key: 'overmind-node-id', Value: node.id },
    ]));
    expect(node).toMatchObject({ state: 'running', providerNodeId: expect.stringMatching(/^i-0/), publicIps: [expect.stringMatching(/^203\.0\.113\./)], privateIps: ['172.31.0.2'] });
    expect(await jobLog(t, job.id)).toEqual(expect.arrayContaining([`provider id ${node.providerNodeId}`, 'node is running']));

    const id = node.providerNodeId!;
    const calls = { reboot: 'RebootInstances', stop: 'StopInstances', start: 'StartInstances' };
    await rebootStopStart(t, node.id, (action) => expect(fake.calls(calls[action]).at(-1)!.params['InstanceId.1']).toBe(id));
    await destroyNode(t, node.id);
    expect(fake.calls('TerminateInstances').map((c) => c.params['InstanceId.1'])).toEqual([id]);
  });

  it('retries a create whose answer was lost (503, Retry-After: 1) with the same ClientToken: one instance', async () => {
    account.loseNextRunAnswer = true;
    const before = account.instances.size;
    const calls = fake.calls('RunInstances').length;
    const started = Date.now();
    const { job, node } = await createNode(t, nodeBody('api-2'));
    expect(job).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const runs = fake.calls('RunInstances').slice(calls);
    expect(runs.map((r) => r.params.ClientToken)).toEqual([await idempotencyKey(t, node.id), await idempotencyKey(t, node.id)]);
    expect(account.instances.size).toBe(before + 1);
    expect(node).toMatchObject({ state: 'running', providerNodeId: [...account.instances.keys()].at(-1) });
    expect(await jobLog(t, job.id)).toEqual(expect.arrayContaining([expect.stringMatching(/attempt 1 failed: EC2 RunInstances: The server is overloaded.*retrying in 1 s/)]));
    await destroyNode(t, node.id);
  });

  it('launches the instances of a pull role with user data that installs the agent; a retried launch keeps the first token, which enrols', async () => {
    // The first RunInstances answer is lost: the retry (same ClientToken) gets the instance launched with the first user data.
    account.loseNextRunAnswer = true;
    const calls = fake.calls('RunInstances').length;
    const { nodeId, job } = await createPullRoleNode(t, { providerId, locationId: 'eu-west-1b', sizeId: 't3.micro', imageId: 'ami-0a1b2c3d4e5f67890' }, 'ec2-pull');
    expect(job).toMatchObject({ state: 'succeeded', attempts: 2 });
    const secrets = [CREDENTIALS.secretAccessKey, PULL_ROLE_SECRETS.sshKeyLine, PULL_ROLE_SECRETS.dbPassword];
    const [first, retry] = fake.calls('RunInstances').slice(calls).map((r) => expectAgentUserData(Buffer.from(r.params.UserData!, 'base64').toString('utf8'), 'https://overmind.example.test:8443', secrets));
    expect(retry).not.toBe(first);
    expect(await createPayloads(t, nodeId)).not.toMatch(/omj_/);
    // The instance runs the first user data: its token enrols an agent of this node, once.
    const enrolled = await enrolWith(t, first!);
    expect(enrolled).toMatchObject({ status: 201, body: { nodeId, status: 'active' } });
    expect((await enrolWith(t, first!)).status).toBe(401);
  });
});
