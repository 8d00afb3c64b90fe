/** ELBv2 balancers through the real AWS SDK against a loopback replay of the documented Query API. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidCredentialsError, NotSupportedError, ProviderError, TransientError, type LoadBalancerDriver, type ProviderDriver } from '@overmind/provider';
import { ec2Plugin, elbName } from '../src/index.js';
import { FakeEc2 } from './support/ec2-fake-server.js';
import { CREDENTIALS } from './support/ec2-harness.js';
import { LB_ARN, TG_ARN, elbError, elbResponse, listener, loadBalancer, targetGroup, targetHealth } from './support/elb-fixtures.js';

let fake: FakeEc2;
let driver: ProviderDriver;
let elb: LoadBalancerDriver;

beforeEach(async () => {
  fake = await FakeEc2.start();
  driver = ec2Plugin.createDriver({
    providerId: 'ec2-test',
    credentials: CREDENTIALS,
    settings: { region: 'eu-west-1', endpoint: fake.url, elbEndpoint: fake.url },
  });
  elb = driver.balancers!;
});
afterEach(async () => {
  await driver.close?.();
  await fake.close();
});

/** What describing the one balancer answers, with its target states. */
function describeReplies(states: [string, number, string][] = [['i-0f76fade', 8080, 'initial']], lbOverrides = {}) {
  fake.on('DescribeLoadBalancers', { body: elbResponse('DescribeLoadBalancers', { LoadBalancers: [loadBalancer(lbOverrides)] }) });
  fake.on('DescribeListeners', { body: elbResponse('DescribeListeners', { Listeners: [listener(80)] }) });
  fake.on('DescribeTargetGroups', { body: elbResponse('DescribeTargetGroups', { TargetGroups: [targetGroup()] }) });
  fake.on('DescribeTags', {
    body: elbResponse('DescribeTags', { TagDescriptions: [{ ResourceArn: LB_ARN, Tags: [{ Key: 'Name', Value: 'web front' }] }] }),
  });
  fake.on('DescribeTargetHealth', {
    body: elbResponse('DescribeTargetHealth', { TargetHealthDescriptions: states.map(([id, port, state]) => targetHealth(id, port, state)) }),
  });
  fake.on('DescribeTargetGroupAttributes', {
    body: elbResponse('DescribeTargetGroupAttributes', {
      Attributes: [
        { Key: 'load_balancing.algorithm.type', Value: 'least_outstanding_requests' },
        { Key: 'deregistration_delay.timeout_seconds', Value: '300' },
      ],
    }),
  });
}

const createRequest = {
  name: 'web front',
  port: 80,
  protocol: 'http' as const,
  algorithm: 'least_connections' as const,
  members: [{ nodeId: 'i-0f76fade', port: 8080 }],
  healthCheck: { protocol: 'http' as const, path: '/health', intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 2 },
  idempotencyKey: 'job-42',
  extra: { subnets: ['subnet-8360a9e7', 'subnet-b7d581c0'], securityGroups: ['sg-5943793c'], vpcId: 'vpc-3ac0fb5f' },
};

describe('ELBv2 balancers', () => {
  it('creates a target group, an Application Load Balancer, a listener forwarding to it, and registers the members', async () => {
    fake.on('CreateTargetGroup', { body: elbResponse('CreateTargetGroup', { TargetGroups: [targetGroup()] }) });
    fake.on('ModifyTargetGroupAttributes', { body: elbResponse('ModifyTargetGroupAttributes', { Attributes: [] }) });
    fake.on('CreateLoadBalancer', { body: elbResponse('CreateLoadBalancer', { LoadBalancers: [loadBalancer()] }) });
    fake.on('CreateListener', { body: elbResponse('CreateListener', { Listeners: [listener(80)] }) });
    fake.on('RegisterTargets', { body: elbResponse('RegisterTargets') });
    describeReplies();
    fake.on('DescribeListeners', { body: elbResponse('DescribeListeners', { Listeners: [] }) }, { body: elbResponse('DescribeListeners', { Listeners: [listener(80)] }) });

    const created = await elb.createBalancer(createRequest);

    expect(created).toEqual({
      id: LB_ARN,
      name: 'web front',
      state: 'pending',
      protocol: 'http',
      port: 80,
      algorithm: 'least_connections',
      address: 'om-web-424835706.eu-west-1.elb.amazonaws.com',
      members: [{ id: 'i-0f76fade:8080', nodeId: 'i-0f76fade', ip: null, port: 8080, state: 'pending', extra: {} }],
      healthCheck: { protocol: 'http', path: '/health', intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 2 },
      extra: expect.objectContaining({ type: 'application', targetGroupArn: TG_ARN, vpcId: 'vpc-3ac0fb5f' }),
    });
    const name = elbName('job-42');
    expect(name).toMatch(/^om-[0-9a-f]{29}$/);
    const [tg] = fake.calls('CreateTargetGroup');
    expect(tg!.params).toMatchObject({
      Name: name,
      Protocol: 'HTTP',
      Port: '8080',
      VpcId: 'vpc-3ac0fb5f',
      TargetType: 'instance',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: '10',
      'Tags.member.1.Key': 'Name',
      'Tags.member.1.Value': 'web front',
    });
    expect(fake.calls('ModifyTargetGroupAttributes')[0]!.params).toMatchObject({
      TargetGroupArn: TG_ARN,
      'Attributes.member.1.Key': 'load_balancing.algorithm.type',
      'Attributes.member.1.Value': 'least_outstanding_requests',
    });
    expect(fake.calls('CreateLoadBalancer')[0]!.params).toMatchObject({
      Name: name,
      Type: 'application',
      Scheme: 'internet-facing',
      'Subnets.member.1': 'subnet-8360a9e7',
      'Subnets.member.2': 'subnet-b7d581c0',
      'SecurityGroups.member.1': 'sg-5943793c',
    });
    expect(fake.calls('CreateListener')[0]!.params).toMatchObject({
      LoadBalancerArn: LB_ARN,
      Protocol: 'HTTP',
      Port: '80',
      'DefaultActions.member.1.Type': 'forward',
      'DefaultActions.member.1.TargetGroupArn': TG_ARN,
    });
    expect(fake.calls('RegisterTargets')[0]!.params).toMatchObject({ 'Targets.member.1.Id': 'i-0f76fade', 'Targets.member.1.Port': '8080' });
    // Signed for Elastic Load Balancing, sent to the loopback endpoint setting.
    expect(String(fake.calls('CreateLoadBalancer')[0]!.headers.authorization)).toContain('/eu-west-1/elasticloadbalancing/aws4_request');
  });

  it('a retried create finds the listener the first attempt made and makes no second one', async () => {
    fake.on('CreateTargetGroup', { body: elbResponse('CreateTargetGroup', { TargetGroups: [targetGroup()] }) });
    fake.on('ModifyTargetGroupAttributes', { body: elbResponse('ModifyTargetGroupAttributes', { Attributes: [] }) });
    fake.on('CreateLoadBalancer', { body: elbResponse('CreateLoadBalancer', { LoadBalancers: [loadBalancer()] }) });
    fake.on('RegisterTargets', { body: elbResponse('RegisterTargets') });
    describeReplies();
    await elb.createBalancer(createRequest);
    expect(fake.calls('CreateListener')).toEqual([]);
    expect(fake.calls('CreateLoadBalancer')[0]!.params.Name).toBe(elbName('job-42'));
  });

  it('gets a balancer with its members health mapped (unknown states become unknown), and null for one that is gone', async () => {
    describeReplies(
      [
        ['i-0f76fade', 8080, 'healthy'],
        ['i-0f76fadf', 8080, 'draining'],
        ['i-0f76fae0', 8080, 'unhealthy'],
        ['i-0f76fae1', 8080, 'rebalancing-someday'],
      ],
      { State: { Code: 'active_impaired' } },
    );
    const got = await elb.getBalancer(LB_ARN);
    expect(got!.state).toBe('error');
    expect(got!.members.map((m) => m.state)).toEqual(['healthy', 'draining', 'unhealthy', 'unknown']);

    fake.on('DescribeLoadBalancers', { body: elbResponse('DescribeLoadBalancers', { LoadBalancers: [loadBalancer({ State: { Code: 'brand-new' } })] }) });
    expect((await elb.getBalancer(LB_ARN))!.state).toBe('unknown');

    fake.on('DescribeLoadBalancers', { status: 400, body: elbError('LoadBalancerNotFound', 'One or more load balancers not found') });
    expect(await elb.getBalancer(LB_ARN)).toBeNull();
  });

  it('lists every page (NextMarker)', async () => {
    describeReplies();
    fake.on(
      'DescribeLoadBalancers',
      { body: elbResponse('DescribeLoadBalancers', { LoadBalancers: [loadBalancer()], NextMarker: 'page-2' }) },
      { body: elbResponse('DescribeLoadBalancers', { LoadBalancers: [loadBalancer({ LoadBalancerArn: `${LB_ARN}2` })] }) },
    );
    const list = await elb.listBalancers();
    expect(list.map((b) => b.id)).toEqual([LB_ARN, `${LB_ARN}2`]);
    expect(fake.calls('DescribeLoadBalancers').map((c) => c.params.Marker)).toEqual([undefined, 'page-2']);
  });

  it('attaches by IP and detaches by member id (deregistered: ELB drains it)', async () => {
    fake.on('DescribeTargetGroups', { body: elbResponse('DescribeTargetGroups', { TargetGroups: [targetGroup()] }) });
    fake.on('RegisterTargets', { body: elbResponse('RegisterTargets') });
    fake.on('DeregisterTargets', { body: elbResponse('DeregisterTargets') });
    const m = await elb.attachMember(LB_ARN, { ip: '10.0.1.5', port: 8080 });
    expect(m).toMatchObject({ id: '10.0.1.5:8080', ip: '10.0.1.5', nodeId: null, port: 8080 });
    await elb.detachMember(LB_ARN, 'i-0f76fade:8080');
    expect(fake.calls('DeregisterTargets')[0]!.params).toMatchObject({
      TargetGroupArn: TG_ARN,
      'Targets.member.1.Id': 'i-0f76fade',
      'Targets.member.1.Port': '8080',
    });
    await expect(elb.detachMember(LB_ARN, 'nonsense')).rejects.toBeInstanceOf(ProviderError);
  });

  it('destroys the balancer then its target group, and destroying a gone one asks nothing more', async () => {
    describeReplies();
    fake.on('DeleteLoadBalancer', { body: elbResponse('DeleteLoadBalancer') });
    fake.on('DeleteTargetGroup', { body: elbResponse('DeleteTargetGroup') });
    await elb.destroyBalancer(LB_ARN);
    const order = fake.requests.map((r) => r.action).filter((a) => a.startsWith('Delete'));
    expect(order).toEqual(['DeleteLoadBalancer', 'DeleteTargetGroup']);
    expect(fake.calls('DeleteTargetGroup')[0]!.params.TargetGroupArn).toBe(TG_ARN);

    fake.on('DescribeLoadBalancers', { status: 400, body: elbError('LoadBalancerNotFound', 'One or more load balancers not found') });
    await elb.destroyBalancer(LB_ARN);
    expect(fake.calls('DeleteLoadBalancer')).toHaveLength(1);
  });

  it('throws typed errors: throttling is transient, bad keys are credentials, in-use is a provider error', async () => {
    fake.on('DescribeLoadBalancers', { status: 400, headers: { 'Retry-After': '4' }, body: elbError('Throttling', 'Rate exceeded') });
    const throttled = await elb.listBalancers().catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(TransientError);
    expect((throttled as Error).message).toBe('ELBv2 DescribeLoadBalancers: Rate exceeded');

    fake.on('DescribeLoadBalancers', { status: 403, body: elbError('InvalidClientTokenId', 'The security token included in the request is invalid.') });
    await expect(elb.listBalancers()).rejects.toBeInstanceOf(InvalidCredentialsError);

    describeReplies();
    fake.on('DeleteLoadBalancer', { body: elbResponse('DeleteLoadBalancer') });
    fake.on('DeleteTargetGroup', { status: 400, body: elbError('ResourceInUse', 'Target group is currently in use by a listener or a rule') });
    const inUse = await elb.destroyBalancer(LB_ARN).catch((e: unknown) => e);
    expect(inUse).toBeInstanceOf(ProviderError);
    expect((inUse as ProviderError).providerCode).toBe('ResourceInUse');
  });

  it('refuses what ELB cannot do before asking it anything', async () => {
    await expect(elb.createBalancer({ ...createRequest, algorithm: 'source_ip' })).rejects.toBeInstanceOf(NotSupportedError);
    await expect(elb.createBalancer({ ...createRequest, protocol: 'tcp' })).rejects.toBeInstanceOf(NotSupportedError);
    await expect(elb.createBalancer({ ...createRequest, protocol: 'https' })).rejects.toThrow(/certificateArn/);
    await expect(elb.createBalancer({ ...createRequest, extra: { vpcId: 'vpc-3ac0fb5f' } })).rejects.toThrow(/subnets/);
    await expect(
      elb.createBalancer({ ...createRequest, members: [{ nodeId: 'i-0f76fade', port: 80 }, { ip: '10.0.0.1', port: 80 }] }),
    ).rejects.toBeInstanceOf(NotSupportedError);
    expect(fake.requests).toEqual([]);
    expect(ec2Plugin.capabilities).toContain('loadBalancers');
    expect(ec2Plugin.endpointSettings).toContain('elbEndpoint');
  });
});
