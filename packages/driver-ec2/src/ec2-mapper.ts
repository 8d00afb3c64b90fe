import type { AvailabilityZone, Image, Instance, InstanceTypeInfo, Tag } from '@aws-sdk/client-ec2';
import {
  createStateMapper,
  type ProviderImage,
  type ProviderLocation,
  type ProviderNode,
  type ProviderSize,
} from '@overmind/provider';
import { regionCountry } from './ec2-regions.js';

/** EC2 instance-state names (InstanceStateName) onto Overmind's states; anything else is `unknown`. */
export const EC2_STATE_MAP = {
  pending: 'pending',
  running: 'running',
  'shutting-down': 'stopping',
  terminated: 'terminated',
  stopping: 'stopping',
  stopped: 'stopped',
} as const;

export const mapInstanceState = createStateMapper(EC2_STATE_MAP);

export function tagsToRecord(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? '';
  return out;
}

function unique(values: (string | undefined | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}

function iso(date: Date | string | undefined): string | null {
  if (date === undefined) return null;
  const d = date instanceof Date ? date : new Date(date);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function mapInstance(instance: Instance): ProviderNode {
  const tags = tagsToRecord(instance.Tags);
  const interfaces = instance.NetworkInterfaces ?? [];
  const id = instance.InstanceId ?? '';
  return {
    id,
    name: tags.Name || id,
    state: mapInstanceState(instance.State?.Name),
    publicIps: unique([
      instance.PublicIpAddress,
      ...interfaces.map((ni) => ni.Association?.PublicIp),
      instance.Ipv6Address,
      ...interfaces.flatMap((ni) => (ni.Ipv6Addresses ?? []).map((a) => a.Ipv6Address)),
    ]),
    privateIps: unique([
      instance.PrivateIpAddress,
      ...interfaces.flatMap((ni) => (ni.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress)),
    ]),
    imageId: instance.ImageId ?? null,
    sizeId: instance.InstanceType ?? null,
    locationId: instance.Placement?.AvailabilityZone ?? null,
    createdAt: iso(instance.LaunchTime),
    extra: {
      instanceId: id,
      rawState: instance.State?.Name ?? null,
      stateReason: instance.StateReason?.Message ?? instance.StateTransitionReason ?? null,
      vpcId: instance.VpcId ?? null,
      subnetId: instance.SubnetId ?? null,
      securityGroups: (instance.SecurityGroups ?? []).map((g) => ({ id: g.GroupId ?? null, name: g.GroupName ?? null })),
      launchTime: iso(instance.LaunchTime),
      architecture: instance.Architecture ?? null,
      platform: instance.PlatformDetails ?? instance.Platform ?? null,
      keyName: instance.KeyName ?? null,
      publicDnsName: instance.PublicDnsName || null,
      privateDnsName: instance.PrivateDnsName || null,
      lifecycle: instance.InstanceLifecycle ?? 'on-demand',
      tags,
    },
  };
}

function imageOs(image: Image): string | null {
  // EC2 sends `windows` while the SDK's enum says `Windows`: compare without case.
  if (/windows/i.test(`${image.Platform ?? ''} ${image.PlatformDetails ?? ''}`)) return 'windows';
  return image.PlatformDetails ? 'linux' : null;
}

export function mapImage(image: Image): ProviderImage {
  const id = image.ImageId ?? '';
  return {
    id,
    name: image.Name || id,
    os: imageOs(image),
    extra: {
      description: image.Description ?? null,
      ownerId: image.OwnerId ?? null,
      ownerAlias: image.ImageOwnerAlias ?? null,
      state: image.State ?? null,
      architecture: image.Architecture ?? null,
      platformDetails: image.PlatformDetails ?? null,
      rootDeviceType: image.RootDeviceType ?? null,
      virtualizationType: image.VirtualizationType ?? null,
      public: image.Public ?? null,
      creationDate: image.CreationDate ?? null,
      tags: tagsToRecord(image.Tags),
    },
  };
}

export function mapInstanceType(info: InstanceTypeInfo): ProviderSize {
  const id = info.InstanceType ?? '';
  const cpus = info.VCpuInfo?.DefaultVCpus ?? null;
  const ramMb = info.MemoryInfo?.SizeInMiB ?? null;
  const described = cpus !== null && ramMb !== null ? ` (${cpus} vCPU, ${Math.round((ramMb / 1024) * 100) / 100} GiB)` : '';
  return {
    id,
    name: `${id}${described}`,
    cpus,
    ramMb,
    // Only instance-store types have local disks; EBS-only types get their disk at launch.
    diskGb: info.InstanceStorageInfo?.TotalSizeInGB ?? null,
    // DescribeInstanceTypes carries no prices (they live in the Pricing API).
    priceHourly: null,
    priceMonthly: null,
    extra: {
      currentGeneration: info.CurrentGeneration ?? null,
      architectures: info.ProcessorInfo?.SupportedArchitectures ?? [],
      burstable: info.BurstablePerformanceSupported ?? null,
      bareMetal: info.BareMetal ?? null,
      freeTierEligible: info.FreeTierEligible ?? null,
      networkPerformance: info.NetworkInfo?.NetworkPerformance ?? null,
      gpus: (info.GpuInfo?.Gpus ?? []).reduce((n, g) => n + (g.Count ?? 0), 0),
    },
  };
}

export function mapAvailabilityZone(zone: AvailabilityZone): ProviderLocation {
  const id = zone.ZoneName ?? '';
  return {
    id,
    name: zone.RegionName ? `${id} (${zone.RegionName})` : id,
    country: regionCountry(zone.RegionName),
    extra: {
      zoneId: zone.ZoneId ?? null,
      regionName: zone.RegionName ?? null,
      state: zone.State ?? null,
      zoneType: zone.ZoneType ?? null,
      optInStatus: zone.OptInStatus ?? null,
      groupName: zone.GroupName ?? null,
      geography: zone.Geography?.[0]?.Name ?? null,
      messages: (zone.Messages ?? []).map((m) => m.Message).filter((m) => m !== undefined),
    },
  };
}
