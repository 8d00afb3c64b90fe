import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '@overmind/provider';
import {
  describeInstancesXml,
  errorXml,
  rebootInstancesXml,
  stateChangeXml,
} from './support/ec2-fixtures.js';
import { CREDENTIALS, instance, startHarness, type Harness } from './support/ec2-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

describe('listNodes', () => {
  it('follows NextToken across three pages and keeps every instance, terminated ones too', async () => {
    h.fake.on(
      'DescribeInstances',
      { body: describeInstancesXml([instance(1), instance(2)], 'page-2-token') },
      { body: describeInstancesXml([instance(3, { state: 'terminated', PublicIpAddress: undefined })], 'page-3-token') },
      { body: describeInstancesXml([instance(4)]) },
    );
    const nodes = await h.driver.listNodes!();
    expect(nodes.map((n) => n.name)).toEqual(['web-1', 'web-2', 'web-3', 'web-4']);
    expect(nodes[2]).toMatchObject({ state: 'terminated', publicIps: [], privateIps: ['172.31.0.3'] });
    const calls = h.fake.calls('DescribeInstances');
    expect(calls.map((c) => c.params.NextToken)).toEqual([undefined, 'page-2-token', 'page-3-token']);
    expect(calls.every((c) => c.params.MaxResults === '1000')).toBe(true);
  });

  it('maps addresses, placement and provider details', async () => {
    const rich = instance(7, {
      Ipv6Address: '2001:db8::7',
      KeyName: 'laptop',
      NetworkInterfaces: [
        {
          NetworkInterfaceId: 'eni-0123456789abcdef0',
          PrivateIpAddress: '172.31.0.7',
          Association: { PublicIp: '203.0.113.7' },
          PrivateIpAddresses: [
            { PrivateIpAddress: '172.31.0.7', Primary: true, Association: { PublicIp: '203.0.113.7' } },
            { PrivateIpAddress: '172.31.0.70', Primary: false },
          ],
          Ipv6Addresses: [{ Ipv6Address: '2001:db8::7' }],
        },
      ],
      Tags: [
        { Key: 'Name', Value: 'db-1' },
        { Key: 'team', Value: 'data' },
      ],
    });
    h.fake.on('DescribeInstances', { body: describeInstancesXml([rich]) });
    const [node] = await h.driver.listNodes!();
    expect(node).toEqual({
      id: 'i-00000000000000007',
      name: 'db-1',
      state: 'running',
      publicIps: ['203.0.113.7', '2001:db8::7'],
      privateIps: ['172.31.0.7', '172.31.0.70'],
      imageId: 'ami-0abcdef1234567890',
      sizeId: 't3.micro',
      locationId: 'eu-west-1a',
      createdAt: '2025-01-01T00:07:00.000Z',
      extra: expect.objectContaining({
        instanceId: 'i-00000000000000007',
        rawState: 'running',
        vpcId: 'vpc-1a2b3c4d',
        subnetId: 'subnet-1a2b3c4d',
        securityGroups: [{ id: 'sg-903004f8', name: 'default' }],
        launchTime: '2025-01-01T00:07:00.000Z',
        architecture: 'x86_64',
        keyName: 'laptop',
        tags: { Name: 'db-1', team: 'data' },
      }),
    });
  });

  it('maps every documented instance state, and an unknown one to "unknown"', async () => {
    const states = ['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped', 'hibernating'];
    h.fake.on('DescribeInstances', { body: describeInstancesXml(states.map((state, i) => instance(i + 1, { state }))) });
    const nodes = await h.driver.listNodes!();
    expect(nodes.map((n) => n.state)).toEqual(['pending', 'running', 'stopping', 'terminated', 'stopping', 'stopped', 'unknown']);
    expect(nodes[6]!.extra.rawState).toBe('hibernating');
  });

  it('signs requests with SigV4 for the configured region and never sends the secret', async () => {
    h.fake.on('DescribeInstances', { body: describeInstancesXml([]) });
    await h.driver.listNodes!();
    const [req] = h.fake.requests;
    expect(req!.method).toBe('POST');
    expect(req!.params).toMatchObject({ Action: 'DescribeInstances', Version: '2016-11-15' });
    expect(req!.headers.authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/\\d{8}/eu-west-1/ec2/aws4_request`),
    );
    expect(JSON.stringify(h.fake.requests)).not.toContain(CREDENTIALS.secretAccessKey);
  });
});

describe('getNode', () => {
  it('describes one instance by id', async () => {
    h.fake.on('DescribeInstances', { body: describeInstancesXml([instance(5, { state: 'stopped' })]) });
    const node = await h.driver.getNode!('i-00000000000000005');
    expect(node).toMatchObject({ id: 'i-00000000000000005', state: 'stopped', name: 'web-5' });
    const [call] = h.fake.calls('DescribeInstances');
    expect(call!.params['InstanceId.1']).toBe('i-00000000000000005');
    expect(call!.params.MaxResults).toBeUndefined(); // EC2 refuses MaxResults together with ids
  });

  it('returns null for an instance EC2 does not know', async () => {
    h.fake.on('DescribeInstances', {
      status: 400,
      body: errorXml('InvalidInstanceID.NotFound', "The instance ID 'i-0ffffffffffffffff' does not exist"),
    });
    expect(await h.driver.getNode!('i-0ffffffffffffffff')).toBeNull();
  });
});

describe('power actions', () => {
  const id = 'i-00000000000000009';

  it('reboots, starts, stops and terminates with the instance id', async () => {
    h.fake
      .on('RebootInstances', { body: rebootInstancesXml() })
      .on('StartInstances', { body: stateChangeXml('StartInstances', id, 'stopped', 'pending') })
      .on('StopInstances', { body: stateChangeXml('StopInstances', id, 'running', 'stopping') })
      .on('TerminateInstances', { body: stateChangeXml('TerminateInstances', id, 'running', 'shutting-down') });
    await h.driver.rebootNode!(id);
    await h.driver.startNode!(id);
    await h.driver.stopNode!(id);
    await h.driver.destroyNode!(id);
    expect(h.fake.requests.map((r) => [r.action, r.params['InstanceId.1']])).toEqual([
      ['RebootInstances', id],
      ['StartInstances', id],
      ['StopInstances', id],
      ['TerminateInstances', id],
    ]);
  });

  it('reports a missing instance as NotFoundError', async () => {
    h.fake.on('TerminateInstances', {
      status: 400,
      body: errorXml('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`),
    });
    const err = await h.driver.destroyNode!(id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ providerCode: 'InvalidInstanceID.NotFound', status: 400 });
    expect((err as Error).message).toContain('does not exist');
  });
});
