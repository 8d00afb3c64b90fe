/**
 * AWS Elastic Load Balancing v2 as the contract's balancers, on the official SDK. One Overmind
 * balancer is one load balancer (Application for http/https, Network for tcp), one target group and
 * one listener forwarding to it; members are the target group's targets (an instance id, or an IP
 * address, with a port). The balancer's id is its ARN.
 *
 * Idempotency: CreateLoadBalancer and CreateTargetGroup answer with the existing resource when one
 * of the same name and settings exists, so the names come from the create's idempotency key and a
 * retried create finds what the first attempt made; the operator's name is the `Name` tag.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  type LoadBalancer,
  type TargetGroup,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  NotFoundError,
  NotSupportedError,
  ProviderError,
  checkBalancerRequest,
  checkPort,
  createBalancerStateMapper,
  type BalancerAlgorithm,
  type BalancerMember,
  type BalancerProtocol,
  type BalancerState,
  type CreateBalancerRequest,
  type HealthCheck,
  type LoadBalancerDriver,
  type MemberSpec,
  type MemberState,
  type OperationContext,
  type ProviderBalancer,
} from '@overmind/provider';
import { ec2Call, sdkClientOptions, sendOptions, type Ec2Credentials, type Ec2Settings } from './ec2-client.js';

const SERVICE = 'ELBv2';

const call = <T>(action: string, run: () => Promise<T>) => ec2Call(action, run, SERVICE);

/** Load balancer `State.Code`s (provisioning, active, active_impaired, failed). */
export const mapElbState = createBalancerStateMapper<BalancerState>(
  { provisioning: 'pending', active: 'active', active_impaired: 'error', failed: 'error' },
  'unknown',
);

/** Target `TargetHealth.State`s. */
export const mapTargetState = createBalancerStateMapper<MemberState>(
  {
    initial: 'pending',
    healthy: 'healthy',
    unhealthy: 'unhealthy',
    'unhealthy.draining': 'draining',
    unused: 'unused',
    draining: 'draining',
    unavailable: 'unknown',
  },
  'unknown',
);

const ALGORITHM_ATTRIBUTE = 'load_balancing.algorithm.type';
const ALGORITHMS: Partial<Record<BalancerAlgorithm, string>> = {
  round_robin: 'round_robin',
  least_connections: 'least_outstanding_requests',
};

export function createElbClient(credentials: Ec2Credentials, settings: Ec2Settings): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client(sdkClientOptions(credentials, settings, settings.elbEndpoint));
}

/** ELB names: at most 32 letters, digits and hyphens, from the idempotency key. */
export function elbName(idempotencyKey: string): string {
  return `om-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 29)}`;
}

function stringList(v: unknown, what: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s.length === 0 || s.length > 255)) {
    throw new ProviderError(`extra.${what} must be a list of ids`);
  }
  return v as string[];
}

function target(spec: MemberSpec): { Id: string; Port: number } {
  const port = checkPort(spec.port, 'Member port');
  if (spec.nodeId) return { Id: spec.nodeId, Port: port };
  if (spec.ip && isIP(spec.ip) !== 0) return { Id: spec.ip, Port: port };
  throw new ProviderError('An ELB member needs a node id (an instance) or an IP address');
}

function healthCheckParams(hc: HealthCheck, protocol: 'HTTP' | 'TCP') {
  return {
    HealthCheckProtocol: hc.protocol === 'http' ? 'HTTP' : protocol === 'HTTP' ? 'HTTP' : 'TCP',
    ...(hc.protocol === 'http' ? { HealthCheckPath: hc.path ?? '/', Matcher: { HttpCode: '200-399' } } : {}),
    HealthCheckPort: hc.port === undefined ? 'traffic-port' : String(hc.port),
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
  } as const;
}

function mapHealthCheck(tg: TargetGroup): HealthCheck | null {
  if (!tg.HealthCheckEnabled && tg.HealthCheckEnabled !== undefined) return null;
  const protocol = tg.HealthCheckProtocol === 'HTTP' || tg.HealthCheckProtocol === 'HTTPS' ? 'http' : 'tcp';
  const port = Number(tg.HealthCheckPort);
  return {
    protocol,
    ...(protocol === 'http' ? { path: tg.HealthCheckPath ?? '/' } : {}),
    ...(Number.isInteger(port) && port > 0 ? { port } : {}),
    intervalSeconds: tg.HealthCheckIntervalSeconds ?? 30,
    timeoutSeconds: tg.HealthCheckTimeoutSeconds ?? 5,
    healthyThreshold: tg.HealthyThresholdCount ?? 5,
    unhealthyThreshold: tg.UnhealthyThresholdCount ?? 2,
  };
}

function mapMember(t: TargetHealthDescription): BalancerMember {
  const id = t.Target?.Id ?? '';
  const port = t.Target?.Port ?? 0;
  const byIp = isIP(id) !== 0;
  return {
    id: `${id}:${port}`,
    nodeId: byIp ? null : id,
    ip: byIp ? id : null,
    port,
    state: mapTargetState(t.TargetHealth?.State),
    extra: {
      ...(t.TargetHealth?.Reason ? { reason: t.TargetHealth.Reason } : {}),
      ...(t.TargetHealth?.Description ? { description: t.TargetHealth.Description } : {}),
      ...(t.Target?.AvailabilityZone ? { availabilityZone: t.Target.AvailabilityZone } : {}),
    },
  };
}

/** `i-0abc:80` (or `10.0.0.5:80`) back into a target. */
function parseMemberId(memberId: string): { Id: string; Port: number } {
  const at = memberId.lastIndexOf(':');
  const port = Number(memberId.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) throw new ProviderError(`Not an ELB member id: ${memberId}`);
  return { Id: memberId.slice(0, at), Port: port };
}

export function createElbBalancers(client: ElasticLoadBalancingV2Client): LoadBalancerDriver {
  const opts = sendOptions;

  async function describe(lb: LoadBalancer, ctx?: OperationContext): Promise<ProviderBalancer> {
    const arn = lb.LoadBalancerArn!;
    const [listeners, groups, tags] = await Promise.all([
      call('DescribeListeners', () => client.send(new DescribeListenersCommand({ LoadBalancerArn: arn }), opts(ctx))),
      call('DescribeTargetGroups', () => client.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: arn }), opts(ctx))),
      call('DescribeTags', () => client.send(new DescribeTagsCommand({ ResourceArns: [arn] }), opts(ctx))),
    ]);
    const listener = listeners.Listeners?.[0];
    const tg = groups.TargetGroups?.[0];
    let members: BalancerMember[] = [];
    let algorithm: BalancerAlgorithm = 'round_robin';
    if (tg?.TargetGroupArn) {
      const tgArn = tg.TargetGroupArn;
      const [health, attributes] = await Promise.all([
        call('DescribeTargetHealth', () => client.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }), opts(ctx))),
        call('DescribeTargetGroupAttributes', () => client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tgArn }), opts(ctx))),
      ]);
      members = (health.TargetHealthDescriptions ?? []).map(mapMember);
      const algo = attributes.Attributes?.find((a) => a.Key === ALGORITHM_ATTRIBUTE)?.Value;
      if (algo === 'least_outstanding_requests') algorithm = 'least_connections';
    }
    const tagList = tags.TagDescriptions?.[0]?.Tags ?? [];
    const protocol: BalancerProtocol =
      listener?.Protocol === 'HTTPS' ? 'https' : listener?.Protocol === 'HTTP' ? 'http' : lb.Type === 'application' ? 'http' : 'tcp';
    return {
      id: arn,
      name: tagList.find((t) => t.Key === 'Name')?.Value ?? lb.LoadBalancerName ?? arn,
      state: mapElbState(lb.State?.Code),
      protocol,
      port: listener?.Port ?? 0,
      algorithm,
      address: lb.DNSName ?? null,
      members,
      healthCheck: tg ? mapHealthCheck(tg) : null,
      extra: {
        loadBalancerName: lb.LoadBalancerName,
        type: lb.Type,
        scheme: lb.Scheme,
        vpcId: lb.VpcId,
        ...(tg?.TargetGroupArn ? { targetGroupArn: tg.TargetGroupArn } : {}),
        ...(listener?.ListenerArn ? { listenerArn: listener.ListenerArn } : {}),
        ...(lb.State?.Reason ? { stateReason: lb.State.Reason } : {}),
      },
    };
  }

  async function loadBalancer(arn: string, ctx?: OperationContext): Promise<LoadBalancer | null> {
    try {
      const out = await call('DescribeLoadBalancers', () => client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }), opts(ctx)));
      return out.LoadBalancers?.[0] ?? null;
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      // A malformed ARN names no balancer.
      if (err instanceof ProviderError && err.providerCode === 'ValidationError') return null;
      throw err;
    }
  }

  async function targetGroupArn(balancerId: string, ctx?: OperationContext): Promise<string> {
    const groups = await call('DescribeTargetGroups', () => client.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: balancerId }), opts(ctx)));
    const arn = groups.TargetGroups?.[0]?.TargetGroupArn;
    if (!arn) throw new NotFoundError(`ELBv2 balancer ${balancerId} has no target group`);
    return arn;
  }

  return {
    capabilities: ['setHealthCheck', 'memberByNode', 'memberByAddress', 'memberPort'],
    protocols: ['http', 'https', 'tcp'],
    algorithms: ['round_robin', 'least_connections'],

    async listBalancers(ctx) {
      const lbs: LoadBalancer[] = [];
      let marker: string | undefined;
      do {
        const page = await call('DescribeLoadBalancers', () =>
          client.send(new DescribeLoadBalancersCommand({ PageSize: 400, ...(marker ? { Marker: marker } : {}) }), opts(ctx)),
        );
        lbs.push(...(page.LoadBalancers ?? []));
        marker = page.NextMarker;
      } while (marker);
      const out: ProviderBalancer[] = [];
      for (const lb of lbs) out.push(await describe(lb, ctx));
      return out;
    },

    async getBalancer(id, ctx) {
      const lb = await loadBalancer(id, ctx);
      return lb ? describe(lb, ctx) : null;
    },

    async createBalancer(request: CreateBalancerRequest, ctx) {
      checkBalancerRequest(this, request);
      const port = checkPort(request.port, 'Balancer port');
      const subnets = stringList(request.extra?.subnets, 'subnets');
      const securityGroups = stringList(request.extra?.securityGroups, 'securityGroups');
      const vpcId = request.extra?.vpcId;
      if (!subnets || subnets.length === 0) throw new ProviderError('An ELB needs extra.subnets (an Application Load Balancer at least two, in two zones)');
      if (typeof vpcId !== 'string' || !/^vpc-[0-9a-f]{1,32}$/.test(vpcId)) throw new ProviderError('An ELB needs extra.vpcId (vpc-...) for its target group');
      const certificateArn = request.extra?.certificateArn;
      if (request.protocol === 'https' && (typeof certificateArn !== 'string' || !certificateArn.startsWith('arn:'))) {
        throw new ProviderError('An https ELB needs extra.certificateArn (an ACM certificate ARN)');
      }
      const targets = request.members.map(target);
      const byIp = targets.some((t) => isIP(t.Id) !== 0);
      if (byIp && targets.some((t) => isIP(t.Id) === 0)) throw new NotSupportedError('One ELB target group takes either instances or IP addresses, not both');
      const tcp = request.protocol === 'tcp';
      if (tcp && request.algorithm !== 'round_robin') throw new NotSupportedError('A Network Load Balancer (tcp) chooses targets by flow hash: only round_robin is accepted');
      const name = elbName(request.idempotencyKey);
      const tgProtocol = tcp ? 'TCP' : 'HTTP';
      const tags = [
        { Key: 'Name', Value: request.name.slice(0, 256) },
        { Key: 'overmind:idempotency-key', Value: name },
      ];

      const tg = await call('CreateTargetGroup', () =>
        client.send(
          new CreateTargetGroupCommand({
            Name: name,
            Protocol: tgProtocol,
            Port: targets[0]?.Port ?? port,
            VpcId: vpcId,
            TargetType: byIp ? 'ip' : 'instance',
            ...(request.healthCheck ? { HealthCheckEnabled: true, ...healthCheckParams(request.healthCheck, tgProtocol) } : {}),
            Tags: tags,
          }),
          opts(ctx),
        ),
      );
      const tgArn = tg.TargetGroups?.[0]?.TargetGroupArn;
      if (!tgArn) throw new ProviderError('ELBv2 CreateTargetGroup answered without a target group');
      const algorithm = ALGORITHMS[request.algorithm];
      if (!tcp && algorithm && algorithm !== 'round_robin') {
        await call('ModifyTargetGroupAttributes', () =>
          client.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tgArn, Attributes: [{ Key: ALGORITHM_ATTRIBUTE, Value: algorithm }] }), opts(ctx)),
        );
      }
      const created = await call('CreateLoadBalancer', () =>
        client.send(
          new CreateLoadBalancerCommand({
            Name: name,
            Type: tcp ? 'network' : 'application',
            Scheme: request.extra?.internal === true ? 'internal' : 'internet-facing',
            Subnets: subnets,
            ...(securityGroups ? { SecurityGroups: securityGroups } : {}),
            Tags: tags,
          }),
          opts(ctx),
        ),
      );
      const lb = created.LoadBalancers?.[0];
      if (!lb?.LoadBalancerArn) throw new ProviderError('ELBv2 CreateLoadBalancer answered without a load balancer');
      const lbArn = lb.LoadBalancerArn;
      // A retry after the listener was made finds it: CreateListener is not idempotent by itself.
      const listeners = await call('DescribeListeners', () => client.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }), opts(ctx)));
      if (!listeners.Listeners?.some((l) => l.Port === port)) {
        await call('CreateListener', () =>
          client.send(
            new CreateListenerCommand({
              LoadBalancerArn: lbArn,
              Protocol: tcp ? 'TCP' : request.protocol === 'https' ? 'HTTPS' : 'HTTP',
              Port: port,
              ...(request.protocol === 'https' ? { Certificates: [{ CertificateArn: certificateArn as string }] } : {}),
              DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
            }),
            opts(ctx),
          ),
        );
      }
      if (targets.length > 0) {
        await call('RegisterTargets', () => client.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: targets }), opts(ctx)));
      }
      return describe(lb, ctx);
    },

    async destroyBalancer(id, ctx) {
      const lb = await loadBalancer(id, ctx);
      if (!lb) return;
      const groups = await call('DescribeTargetGroups', () => client.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: id }), opts(ctx)));
      await call('DeleteLoadBalancer', () => client.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: id }), opts(ctx)));
      // A target group still in use while the deletion settles answers ResourceInUse: a retry clears it.
      for (const tg of groups.TargetGroups ?? []) {
        if (tg.TargetGroupArn) {
          const tgArn = tg.TargetGroupArn;
          await call('DeleteTargetGroup', () => client.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }), opts(ctx)));
        }
      }
    },

    async attachMember(balancerId, spec, ctx) {
      const t = target(spec);
      const tgArn = await targetGroupArn(balancerId, ctx);
      await call('RegisterTargets', () => client.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [t] }), opts(ctx)));
      const byIp = isIP(t.Id) !== 0;
      return { id: `${t.Id}:${t.Port}`, nodeId: byIp ? null : t.Id, ip: byIp ? t.Id : null, port: t.Port, state: 'pending', extra: {} };
    },

    async detachMember(balancerId, memberId, ctx) {
      const t = parseMemberId(memberId);
      const tgArn = await targetGroupArn(balancerId, ctx);
      // ELB drains the target for the group's deregistration delay; it takes no new connections.
      await call('DeregisterTargets', () => client.send(new DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [t] }), opts(ctx)));
    },

    async setHealthCheck(balancerId, healthCheck, ctx) {
      const tgArn = await targetGroupArn(balancerId, ctx);
      const groups = await call('DescribeTargetGroups', () => client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }), opts(ctx)));
      const protocol = groups.TargetGroups?.[0]?.Protocol === 'TCP' ? 'TCP' : 'HTTP';
      await call('ModifyTargetGroup', () =>
        client.send(new ModifyTargetGroupCommand({ TargetGroupArn: tgArn, HealthCheckEnabled: true, ...healthCheckParams(healthCheck, protocol) }), opts(ctx)),
      );
    },
  };
}
