import type { Instance, InstanceStateName } from '@aws-sdk/client-ec2';
import type { ProviderDriver } from '@overmind/provider';
import { ec2Plugin, type Ec2Settings } from '../../src/index.js';
import { FakeEc2 } from './ec2-fake-server.js';

export const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

export interface Harness {
  fake: FakeEc2;
  driver: ProviderDriver;
  close(): Promise<void>;
}

/** A fake EC2 on loopback and a driver from the real plugin pointed at it. */
export async function startHarness(settings: Ec2Settings = {}): Promise<Harness> {
  const fake = await FakeEc2.start();
  const driver = ec2Plugin.createDriver({
    providerId: 'ec2-test',
    credentials: CREDENTIALS,
    settings: { region: 'eu-west-1', endpoint: fake.url, ...settings },
  });
  return {
    fake,
    driver,
    close: async () => {
      await driver.close?.();
      await fake.close();
    },
  };
}

/** A documented-looking instance; `n` varies its ids and addresses. */
export function instance(n: number, overrides: Partial<Instance> & { state?: string } = {}): Instance {
  const { state = 'running', ...rest } = overrides;
  const id = `i-0${n.toString(16).padStart(16, '0')}`;
  return {
    InstanceId: id,
    ImageId: 'ami-0abcdef1234567890',
    InstanceType: 't3.micro',
    State: { Name: state as InstanceStateName },
    LaunchTime: new Date(Date.UTC(2025, 0, 1, 0, n)),
    Placement: { AvailabilityZone: 'eu-west-1a' },
    VpcId: 'vpc-1a2b3c4d',
    SubnetId: 'subnet-1a2b3c4d',
    PrivateIpAddress: `172.31.0.${n}`,
    PublicIpAddress: `203.0.113.${n}`,
    Architecture: 'x86_64',
    SecurityGroups: [{ GroupId: 'sg-903004f8', GroupName: 'default' }],
    Tags: [{ Key: 'Name', Value: `web-${n}` }],
    ...rest,
  };
}
