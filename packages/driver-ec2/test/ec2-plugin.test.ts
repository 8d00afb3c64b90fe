import { describe, expect, it } from 'vitest';
import { CAPABILITIES, type Capability } from '@overmind/provider';
import { ec2Plugin, mapImage, mapInstance, mapInstanceType, mapAvailabilityZone } from '../src/index.js';
import { CREDENTIALS } from './support/ec2-harness.js';

describe('ec2Plugin', () => {
  it('describes kind, secrets and settings defaults', () => {
    expect(ec2Plugin.kind).toBe('ec2');
    const creds = ec2Plugin.credentialSchema as { required: string[]; properties: Record<string, { writeOnly?: boolean }> };
    expect(creds.required).toEqual(['accessKeyId', 'secretAccessKey']);
    expect(creds.properties.secretAccessKey!.writeOnly).toBe(true);
    expect(creds.properties.sessionToken!.writeOnly).toBe(true);
    expect(creds.properties.accessKeyId!.writeOnly).toBeUndefined();
    const settings = ec2Plugin.settingsSchema as { properties: Record<string, { default?: unknown }> };
    expect(settings.properties.region!.default).toBe('us-east-1');
    expect(settings.properties.imageOwners!.default).toEqual(['self']);
    expect(Object.keys(settings.properties)).toEqual(expect.arrayContaining(['endpoint', 'imageNameFilter']));
  });

  it('declares exactly the capabilities its driver implements', () => {
    const driver = ec2Plugin.createDriver({ providerId: 'p', credentials: CREDENTIALS, settings: {} });
    const implemented = CAPABILITIES.filter((c) => typeof (driver as unknown as Record<Capability, unknown>)[c] === 'function');
    // userData is no method: the create request's user data reaches RunInstances (ec2-create tests);
    // loadBalancers is the `balancers` object (elb-balancers tests).
    expect(typeof driver.balancers?.createBalancer).toBe('function');
    expect([...ec2Plugin.capabilities].sort()).toEqual([...implemented, 'userData', 'loadBalancers'].sort());
    expect(implemented).not.toContain('powerCycle');
  });
});

describe('mappers', () => {
  it('tolerate objects with every field missing', () => {
    expect(mapInstance({})).toMatchObject({ id: '', state: 'unknown', publicIps: [], privateIps: [], createdAt: null });
    expect(mapImage({})).toMatchObject({ id: '', os: null });
    expect(mapInstanceType({})).toMatchObject({ id: '', cpus: null, ramMb: null, priceHourly: null });
    expect(mapAvailabilityZone({ ZoneName: 'xx-new-1a', RegionName: 'xx-new-1' })).toMatchObject({ country: null });
  });
});
