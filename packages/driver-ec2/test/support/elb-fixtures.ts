/**
 * Elastic Load Balancing v2 Query API responses as its API Reference documents them (namespace
 * 2015-12-01, `member` lists, `<Action>Response><Action>Result>`, `ErrorResponse` errors).
 */
import { randomUUID } from 'node:crypto';

const NS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

const escape = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

type Value = string | number | boolean | undefined | Value[] | { [k: string]: Value };

/** Objects to elements; arrays become `<member>` lists. */
function xml(value: Value): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${xml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
      .join('');
  }
  return escape(String(value));
}

export function elbResponse(action: string, result: Record<string, Value> = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<${action}Response xmlns="${NS}"><${action}Result>${xml(result)}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

export function elbError(code: string, message: string, type: 'Sender' | 'Receiver' = 'Sender'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

export const LB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/om-web/50dc6c495c0c9188';
export const TG_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/om-web/73e2d6bc24d8a067';
export const LISTENER_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/om-web/50dc6c495c0c9188/f2f7dc8efc522ab2';

export function loadBalancer(overrides: Record<string, Value> = {}): Record<string, Value> {
  return {
    LoadBalancerArn: LB_ARN,
    DNSName: 'om-web-424835706.eu-west-1.elb.amazonaws.com',
    CanonicalHostedZoneId: 'Z32O12XQLNTSW2',
    CreatedTime: '2026-03-25T21:26:12.920Z',
    LoadBalancerName: 'om-web',
    Scheme: 'internet-facing',
    VpcId: 'vpc-3ac0fb5f',
    State: { Code: 'provisioning' },
    Type: 'application',
    AvailabilityZones: [
      { ZoneName: 'eu-west-1a', SubnetId: 'subnet-8360a9e7' },
      { ZoneName: 'eu-west-1b', SubnetId: 'subnet-b7d581c0' },
    ],
    SecurityGroups: ['sg-5943793c'],
    IpAddressType: 'ipv4',
    ...overrides,
  };
}

export function targetGroup(overrides: Record<string, Value> = {}): Record<string, Value> {
  return {
    TargetGroupArn: TG_ARN,
    TargetGroupName: 'om-web',
    Protocol: 'HTTP',
    Port: 8080,
    VpcId: 'vpc-3ac0fb5f',
    HealthCheckProtocol: 'HTTP',
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: 10,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 3,
    UnhealthyThresholdCount: 2,
    HealthCheckPath: '/health',
    Matcher: { HttpCode: '200-399' },
    LoadBalancerArns: [LB_ARN],
    TargetType: 'instance',
    ...overrides,
  };
}

export function listener(port = 80, protocol = 'HTTP'): Record<string, Value> {
  return {
    ListenerArn: LISTENER_ARN,
    LoadBalancerArn: LB_ARN,
    Port: port,
    Protocol: protocol,
    DefaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
  };
}

export function targetHealth(id: string, port: number, state: string, reason?: string): Record<string, Value> {
  return {
    Target: { Id: id, Port: port },
    HealthCheckPort: String(port),
    TargetHealth: { State: state, ...(reason ? { Reason: reason, Description: 'Target registration is in progress' } : {}) },
  };
}
