/**
 * EC2 Query API responses as the EC2 API Reference documents them (element names, `*Set`/`item`
 * lists, namespace), rendered from objects typed with the SDK's own output shapes.
 */
import { randomUUID } from 'node:crypto';
import type {
  AvailabilityZone,
  Image,
  Instance,
  InstanceNetworkInterface,
  InstanceTypeInfo,
  KeyPairInfo,
  Tag,
} from '@aws-sdk/client-ec2';

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** EC2's numeric code for each documented instance state; others get 272 (an unassigned code). */
const STATE_CODES: Record<string, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

const escape = (v: string) =>
  v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `<name>value</name>`, or nothing when the value is absent. */
function el(name: string, value: string | number | boolean | Date | undefined | null): string {
  if (value === undefined || value === null) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `<${name}>${escape(text)}</${name}>`;
}

/** A documented EC2 list: `<name><item>...</item></name>`; `raw` items are already XML. */
function set(name: string, items: readonly string[] | undefined): string {
  return `<${name}>${(items ?? []).map((i) => `<item>${i}</item>`).join('')}</${name}>`;
}

function response(action: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NS}"><requestId>${randomUUID()}</requestId>${body}</${action}Response>`;
}

const tagSet = (tags: readonly Tag[] | undefined) =>
  tags ? set('tagSet', tags.map((t) => el('key', t.Key) + el('value', t.Value))) : '';

function networkInterfaceXml(ni: InstanceNetworkInterface): string {
  const association = (a: { PublicIp?: string } | undefined) =>
    a ? `<association>${el('publicIp', a.PublicIp)}${el('ipOwnerId', 'amazon')}</association>` : '';
  return (
    el('networkInterfaceId', ni.NetworkInterfaceId) +
    el('subnetId', ni.SubnetId) +
    el('vpcId', ni.VpcId) +
    el('status', 'in-use') +
    el('privateIpAddress', ni.PrivateIpAddress) +
    association(ni.Association) +
    set(
      'privateIpAddressesSet',
      (ni.PrivateIpAddresses ?? []).map((p) => el('privateIpAddress', p.PrivateIpAddress) + el('primary', p.Primary) + association(p.Association)),
    ) +
    set('ipv6AddressesSet', (ni.Ipv6Addresses ?? []).map((a) => el('ipv6Address', a.Ipv6Address)))
  );
}

export function instanceXml(i: Instance): string {
  const state = i.State?.Name ?? 'pending';
  return (
    el('instanceId', i.InstanceId) +
    el('imageId', i.ImageId) +
    `<instanceState>${el('code', STATE_CODES[state] ?? 272)}${el('name', state)}</instanceState>` +
    el('privateDnsName', i.PrivateDnsName ?? '') +
    el('dnsName', i.PublicDnsName ?? '') +
    el('reason', i.StateTransitionReason ?? '') +
    el('keyName', i.KeyName) +
    el('amiLaunchIndex', 0) +
    '<productCodes/>' +
    el('instanceType', i.InstanceType) +
    el('launchTime', i.LaunchTime) +
    `<placement>${el('availabilityZone', i.Placement?.AvailabilityZone)}<groupName/>${el('tenancy', 'default')}</placement>` +
    '<monitoring><state>disabled</state></monitoring>' +
    el('subnetId', i.SubnetId) +
    el('vpcId', i.VpcId) +
    el('privateIpAddress', i.PrivateIpAddress) +
    el('ipAddress', i.PublicIpAddress) +
    el('sourceDestCheck', true) +
    set('groupSet', (i.SecurityGroups ?? []).map((g) => el('groupId', g.GroupId) + el('groupName', g.GroupName))) +
    el('architecture', i.Architecture) +
    el('rootDeviceType', 'ebs') +
    el('rootDeviceName', '/dev/xvda') +
    '<blockDeviceMapping/>' +
    el('virtualizationType', 'hvm') +
    el('clientToken', i.ClientToken ?? '') +
    tagSet(i.Tags) +
    el('hypervisor', 'xen') +
    set('networkInterfaceSet', (i.NetworkInterfaces ?? []).map(networkInterfaceXml)) +
    el('ebsOptimized', false) +
    el('ipv6Address', i.Ipv6Address) +
    el('platformDetails', i.PlatformDetails ?? 'Linux/UNIX')
  );
}

/** One DescribeInstances page; each instance in its own reservation, as separate launches are. */
export function describeInstancesXml(instances: readonly Instance[], nextToken?: string): string {
  const reservations = instances.map(
    (i, n) =>
      el('reservationId', `r-0${(n + 1).toString(16).padStart(16, '0')}`) +
      el('ownerId', '123456789012') +
      '<groupSet/>' +
      set('instancesSet', [instanceXml(i)]),
  );
  return response('DescribeInstances', set('reservationSet', reservations) + el('nextToken', nextToken));
}

export function runInstancesXml(instance: Instance): string {
  return response(
    'RunInstances',
    el('reservationId', 'r-0598c7a2b3e4f5a61') + el('ownerId', '123456789012') + '<groupSet/>' + set('instancesSet', [instanceXml(instance)]),
  );
}

/** StartInstances/StopInstances/TerminateInstances: the state change of each instance. */
export function stateChangeXml(action: string, id: string, previous: string, current: string): string {
  const state = (tag: string, name: string) => `<${tag}>${el('code', STATE_CODES[name])}${el('name', name)}</${tag}>`;
  return response(action, set('instancesSet', [el('instanceId', id) + state('currentState', current) + state('previousState', previous)]));
}

export function rebootInstancesXml(): string {
  return response('RebootInstances', el('return', true));
}

export function describeImagesXml(images: readonly Image[], nextToken?: string): string {
  const items = images.map(
    (img) =>
      el('imageId', img.ImageId) +
      el('imageLocation', img.ImageLocation ?? `123456789012/${img.Name}`) +
      el('imageState', img.State ?? 'available') +
      el('imageOwnerId', img.OwnerId ?? '123456789012') +
      el('creationDate', img.CreationDate ?? '2025-03-01T10:00:00.000Z') +
      el('isPublic', img.Public ?? false) +
      el('architecture', img.Architecture ?? 'x86_64') +
      el('imageType', 'machine') +
      el('platform', img.Platform?.toLowerCase()) + // the wire says `windows`, the SDK enum `Windows`
      el('platformDetails', img.PlatformDetails ?? 'Linux/UNIX') +
      el('imageOwnerAlias', img.ImageOwnerAlias) +
      el('name', img.Name) +
      el('description', img.Description) +
      el('rootDeviceType', 'ebs') +
      el('rootDeviceName', '/dev/xvda') +
      el('virtualizationType', 'hvm') +
      tagSet(img.Tags) +
      el('hypervisor', 'xen'),
  );
  return response('DescribeImages', set('imagesSet', items) + el('nextToken', nextToken));
}

export function describeInstanceTypesXml(types: readonly InstanceTypeInfo[], nextToken?: string): string {
  const items = types.map(
    (t) =>
      el('instanceType', t.InstanceType) +
      el('currentGeneration', t.CurrentGeneration ?? true) +
      el('freeTierEligible', t.FreeTierEligible ?? false) +
      set('supportedUsageClasses', ['on-demand', 'spot'].map(escape)) +
      el('bareMetal', t.BareMetal ?? false) +
      el('hypervisor', 'nitro') +
      `<processorInfo>${set('supportedArchitectures', t.ProcessorInfo?.SupportedArchitectures ?? ['x86_64'])}${el('sustainedClockSpeedInGhz', 3.1)}</processorInfo>` +
      `<vCpuInfo>${el('defaultVCpus', t.VCpuInfo?.DefaultVCpus)}</vCpuInfo>` +
      `<memoryInfo>${el('sizeInMiB', t.MemoryInfo?.SizeInMiB)}</memoryInfo>` +
      el('instanceStorageSupported', t.InstanceStorageInfo !== undefined) +
      (t.InstanceStorageInfo ? `<instanceStorageInfo>${el('totalSizeInGB', t.InstanceStorageInfo.TotalSizeInGB)}</instanceStorageInfo>` : '') +
      `<networkInfo>${el('networkPerformance', t.NetworkInfo?.NetworkPerformance ?? 'Up to 5 Gigabit')}</networkInfo>` +
      el('burstablePerformanceSupported', t.BurstablePerformanceSupported ?? false),
  );
  return response('DescribeInstanceTypes', set('instanceTypeSet', items) + el('nextToken', nextToken));
}

export function describeAvailabilityZonesXml(zones: readonly AvailabilityZone[]): string {
  const items = zones.map(
    (z) =>
      el('zoneName', z.ZoneName) +
      el('zoneId', z.ZoneId) +
      el('zoneState', z.State ?? 'available') +
      el('regionName', z.RegionName) +
      el('groupName', z.GroupName ?? z.RegionName) +
      el('optInStatus', z.OptInStatus ?? 'opt-in-not-required') +
      el('networkBorderGroup', z.RegionName) +
      el('zoneType', z.ZoneType ?? 'availability-zone') +
      set('messageSet', (z.Messages ?? []).map((m) => el('message', m.Message))),
  );
  return response('DescribeAvailabilityZones', set('availabilityZoneInfo', items));
}

export function describeKeyPairsXml(pairs: readonly KeyPairInfo[]): string {
  const items = pairs.map(
    (k) => el('keyPairId', k.KeyPairId) + el('keyName', k.KeyName) + el('keyFingerprint', k.KeyFingerprint) + el('keyType', k.KeyType) + '<tagSet/>',
  );
  return response('DescribeKeyPairs', set('keySet', items));
}

export function importKeyPairXml(name: string, fingerprint: string): string {
  return response('ImportKeyPair', el('keyName', name) + el('keyFingerprint', fingerprint) + el('keyPairId', 'key-0a1b2c3d4e5f60718'));
}

/** EC2's error body: `<Response><Errors><Error><Code>` ... with the request id beside it. */
export function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escape(code)}</Code><Message>${escape(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`;
}
