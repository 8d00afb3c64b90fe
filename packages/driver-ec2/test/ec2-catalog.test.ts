import { afterEach, describe, expect, it } from 'vitest';
import type { Ec2Settings } from '../src/index.js';
import { listParam } from './support/ec2-fake-server.js';
import {
  describeAvailabilityZonesXml,
  describeImagesXml,
  describeInstanceTypesXml,
  errorXml,
} from './support/ec2-fixtures.js';
import { startHarness, type Harness } from './support/ec2-harness.js';

let h: Harness;
const start = async (settings: Ec2Settings = {}) => (h = await startHarness(settings));
afterEach(() => h.close());

/** Filter.N.Name -> values, as the Query API form body carries EC2 filters. */
function sentFilters(params: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 1; params[`Filter.${i}.Name`] !== undefined; i++) {
    const name = params[`Filter.${i}.Name`]!;
    out[name] = [...(out[name] ?? []), ...listParam(params, `Filter.${i}.Value`)];
  }
  return out;
}

const ubuntu = { ImageId: 'ami-0a1b2c3d4e5f67890', Name: 'ubuntu-24.04-web', Description: 'Golden web image' };
const windows = { ImageId: 'ami-0f0e0d0c0b0a09080', Name: 'win-2022-base', Platform: 'Windows' as const, PlatformDetails: 'Windows' };

describe('listImages', () => {
  it('lists available images of the account and the configured owners, across pages', async () => {
    await start({ imageOwners: ['amazon', '099720109477'], imageNameFilter: 'ubuntu*' });
    h.fake.on(
      'DescribeImages',
      { body: describeImagesXml([ubuntu], 'images-2') },
      { body: describeImagesXml([windows]) },
    );
    const images = await h.driver.listImages!();
    expect(images).toEqual([
      {
        id: 'ami-0a1b2c3d4e5f67890',
        name: 'ubuntu-24.04-web',
        os: 'linux',
        extra: expect.objectContaining({ description: 'Golden web image', ownerId: '123456789012', architecture: 'x86_64' }),
      },
      expect.objectContaining({ id: 'ami-0f0e0d0c0b0a09080', os: 'windows' }),
    ]);
    const calls = h.fake.calls('DescribeImages');
    expect(calls.map((c) => c.params.NextToken)).toEqual([undefined, 'images-2']);
    expect(listParam(calls[0]!.params, 'Owner')).toEqual(['self', 'amazon', '099720109477']);
    expect(sentFilters(calls[0]!.params)).toEqual({ state: ['available'], name: ['ubuntu*'] });
  });

  it('searches by name within the owners', async () => {
    await start();
    h.fake.on('DescribeImages', { body: describeImagesXml([ubuntu]) });
    await h.driver.listImages!(undefined, { search: ' web ' });
    const [call] = h.fake.calls('DescribeImages');
    expect(listParam(call!.params, 'Owner')).toEqual(['self']);
    expect(sentFilters(call!.params)).toEqual({ state: ['available'], name: ['*web*'] });
  });

  it('looks an AMI id up whatever its owner, and finds nothing for an unknown one', async () => {
    await start();
    h.fake.on(
      'DescribeImages',
      { body: describeImagesXml([{ ...ubuntu, OwnerId: '099720109477' }]) },
      { status: 400, body: errorXml('InvalidAMIID.NotFound', "The image id '[ami-0000000000000000f]' does not exist") },
    );
    expect((await h.driver.listImages!(undefined, { search: ubuntu.ImageId })).map((i) => i.id)).toEqual([ubuntu.ImageId]);
    expect(await h.driver.listImages!(undefined, { search: 'ami-0000000000000000f' })).toEqual([]);
    const [first] = h.fake.calls('DescribeImages');
    expect(first!.params['ImageId.1']).toBe(ubuntu.ImageId);
    expect(listParam(first!.params, 'Owner')).toEqual([]);
    expect(first!.params.MaxResults).toBeUndefined();
  });
});

describe('listSizes', () => {
  it('follows NextToken over three pages and maps vCPUs and memory, without prices', async () => {
    await start();
    h.fake.on(
      'DescribeInstanceTypes',
      {
        body: describeInstanceTypesXml(
          [{ InstanceType: 't3.micro', VCpuInfo: { DefaultVCpus: 2 }, MemoryInfo: { SizeInMiB: 1024 }, BurstablePerformanceSupported: true }],
          'types-2',
        ),
      },
      {
        body: describeInstanceTypesXml(
          [{ InstanceType: 'm5d.large', VCpuInfo: { DefaultVCpus: 2 }, MemoryInfo: { SizeInMiB: 8192 }, InstanceStorageInfo: { TotalSizeInGB: 75 } }],
          'types-3',
        ),
      },
      {
        body: describeInstanceTypesXml([
          { InstanceType: 'c7g.xlarge', VCpuInfo: { DefaultVCpus: 4 }, MemoryInfo: { SizeInMiB: 8192 }, ProcessorInfo: { SupportedArchitectures: ['arm64'] } },
        ]),
      },
    );
    const sizes = await h.driver.listSizes!();
    expect(sizes).toEqual([
      {
        id: 't3.micro',
        name: 't3.micro (2 vCPU, 1 GiB)',
        cpus: 2,
        ramMb: 1024,
        diskGb: null,
        priceHourly: null,
        priceMonthly: null,
        extra: expect.objectContaining({ burstable: true, architectures: ['x86_64'], currentGeneration: true }),
      },
      expect.objectContaining({ id: 'm5d.large', cpus: 2, ramMb: 8192, diskGb: 75 }),
      expect.objectContaining({ id: 'c7g.xlarge', cpus: 4, extra: expect.objectContaining({ architectures: ['arm64'] }) }),
    ]);
    const calls = h.fake.calls('DescribeInstanceTypes');
    expect(calls.map((c) => c.params.NextToken)).toEqual([undefined, 'types-2', 'types-3']);
    expect(calls[0]!.params.MaxResults).toBe('100');
  });
});

describe('listLocations and validateCredentials', () => {
  const zones = describeAvailabilityZonesXml([
    { ZoneName: 'eu-west-1a', ZoneId: 'euw1-az3', RegionName: 'eu-west-1' },
    { ZoneName: 'eu-west-1b', ZoneId: 'euw1-az1', RegionName: 'eu-west-1', State: 'impaired', Messages: [{ Message: 'degraded' }] },
  ]);

  it('maps availability zones to locations with their country', async () => {
    await start();
    h.fake.on('DescribeAvailabilityZones', { body: zones });
    expect(await h.driver.listLocations!()).toEqual([
      {
        id: 'eu-west-1a',
        name: 'eu-west-1a (eu-west-1)',
        country: 'IE',
        extra: expect.objectContaining({ zoneId: 'euw1-az3', state: 'available', zoneType: 'availability-zone' }),
      },
      expect.objectContaining({ id: 'eu-west-1b', extra: expect.objectContaining({ state: 'impaired', messages: ['degraded'] }) }),
    ]);
  });

  it('validates credentials with one real, cheap call', async () => {
    await start();
    h.fake.on('DescribeAvailabilityZones', { body: zones });
    await expect(h.driver.validateCredentials()).resolves.toBeUndefined();
    expect(h.fake.requests.map((r) => r.action)).toEqual(['DescribeAvailabilityZones']);
  });
});
