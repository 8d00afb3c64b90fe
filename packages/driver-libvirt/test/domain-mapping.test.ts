import { InvalidCredentialsError, NotFoundError, ProviderError, TransientError } from '@overmind/provider';
import { describe, expect, it } from 'vitest';
import {
  DOMSTATE_MAP,
  buildDomainXml,
  domainUuid,
  isPrivateAddress,
  isValidDomainName,
  mapDomain,
  mapDomainState,
  parseDomIfAddr,
  parseDomState,
  parseDomainXml,
  parseVolumeXml,
  translateVirshError,
  type DomainSpec,
} from '../src/index.js';

describe('domstate mapping', () => {
  it('maps every documented virsh state', () => {
    expect(mapDomainState('running')).toBe('running');
    expect(mapDomainState('idle')).toBe('running');
    expect(mapDomainState('blocked')).toBe('running');
    expect(mapDomainState('paused')).toBe('stopped');
    expect(mapDomainState('in shutdown')).toBe('stopping');
    expect(mapDomainState('shut off')).toBe('stopped');
    expect(mapDomainState('crashed')).toBe('error');
    expect(mapDomainState('pmsuspended')).toBe('stopped');
    expect(Object.keys(DOMSTATE_MAP)).toHaveLength(8);
  });

  it('maps anything else to unknown', () => {
    expect(mapDomainState('no state')).toBe('unknown');
    expect(mapDomainState('melting')).toBe('unknown');
    expect(mapDomainState('')).toBe('unknown');
  });

  it('splits the reason from `domstate --reason`', () => {
    expect(parseDomState('shut off (destroyed)\n\n')).toEqual({ raw: 'shut off', reason: 'destroyed' });
    expect(parseDomState('running\n')).toEqual({ raw: 'running', reason: null });
  });
});

describe('domifaddr', () => {
  const table = [
    ' Name       MAC address          Protocol     Address',
    '-------------------------------------------------------------------------------',
    ' vnet0      52:54:00:b5:3f:a1    ipv4         192.168.122.42/24',
    ' -          -                    ipv6         fe80::5054:ff:feb5:3fa1/64',
    ' vnet1      52:54:00:00:00:02    ipv4         203.0.113.7/24',
    '',
  ].join('\n');

  it('reads every address, continuation rows inheriting the interface', () => {
    expect(parseDomIfAddr(table)).toEqual([
      { interface: 'vnet0', mac: '52:54:00:b5:3f:a1', protocol: 'ipv4', address: '192.168.122.42', prefix: 24 },
      { interface: 'vnet0', mac: '52:54:00:b5:3f:a1', protocol: 'ipv6', address: 'fe80::5054:ff:feb5:3fa1', prefix: 64 },
      { interface: 'vnet1', mac: '52:54:00:00:00:02', protocol: 'ipv4', address: '203.0.113.7', prefix: 24 },
    ]);
    expect(parseDomIfAddr('error: domain is not running')).toEqual([]);
  });

  it('sorts addresses into private and public', () => {
    expect(['10.1.2.3', '172.20.0.1', '192.168.1.1', 'fe80::1', 'fd00::5'].every(isPrivateAddress)).toBe(true);
    expect(['203.0.113.7', '8.8.8.8', '2001:db8::1', '172.32.0.1'].some(isPrivateAddress)).toBe(false);
  });
});

describe('domain XML', () => {
  const spec: DomainSpec = {
    type: 'qemu',
    name: 'web-1',
    uuid: domainUuid('key-1'),
    memoryMb: 64,
    vcpus: 2,
    disk: { pool: 'images', volume: 'web-1-abcd.qcow2', format: 'qcow2' },
    network: 'lan',
    metadata: {
      idempotencyKey: `k<&>"'\u00e9`,
      imageId: 'base-debian.qcow2',
      sizeId: 'small',
      createdAt: '2026-01-01T00:00:00.000Z',
      volumes: [{ pool: 'images', name: 'web-1-abcd.qcow2' }],
      tags: { team: 'a&b' },
    },
  };

  it('round-trips what Overmind writes, escaping the metadata', () => {
    const xml = buildDomainXml(spec);
    expect(xml).toContain(`<domain type="qemu">`);
    expect(xml).not.toContain('k<&>');
    const info = parseDomainXml(xml);
    expect(info).toMatchObject({ uuid: spec.uuid, name: 'web-1', type: 'qemu', memoryMb: 64, vcpus: 2 });
    expect(info.disks).toEqual([{ target: 'vda', pool: 'images', volume: 'web-1-abcd.qcow2', file: undefined }]);
    expect(info.interfaces).toEqual([{ type: 'network', mac: undefined, network: 'lan' }]);
    expect(info.overmind).toEqual(spec.metadata);
  });

  it('leaves out disk, NIC and host CPU when not asked for', () => {
    const xml = buildDomainXml({ ...spec, disk: undefined, network: undefined });
    expect(xml).not.toMatch(/<disk|<interface|host-passthrough/);
    expect(buildDomainXml({ ...spec, type: 'kvm' })).toContain('host-passthrough');
  });

  it('reads libvirt-written XML: KiB memory, running id, foreign metadata ignored', () => {
    const xml = `<domain type='kvm' id='7'><name>legacy</name><uuid>6b05dbb1-56ec-4b07-b593-f6199c11e5b7</uuid>
      <metadata><app:node xmlns:app="https://example.com/other"><app:image>x</app:image></app:node></metadata>
      <memory unit='KiB'>2097152</memory><vcpu placement='static'>4</vcpu>
      <devices><disk type='file' device='disk'><source file='/var/lib/libvirt/images/legacy.qcow2'/><target dev='vda'/></disk>
      <disk type='file' device='cdrom'><target dev='sda'/></disk>
      <interface type='bridge'><mac address='52:54:00:aa:bb:cc'/><source bridge='br0'/></interface></devices></domain>`;
    const info = parseDomainXml(xml);
    expect(info).toMatchObject({ runningId: 7, memoryMb: 2048, vcpus: 4, overmind: undefined });
    expect(info.disks).toEqual([{ target: 'vda', pool: undefined, volume: undefined, file: '/var/lib/libvirt/images/legacy.qcow2' }]);
    const node = mapDomain({ info, domstate: 'idle\n', addresses: parseDomIfAddr(' vnet3 52:54:00:aa:bb:cc ipv4 198.51.100.4/24') }, 'hv1');
    expect(node).toMatchObject({
      id: info.uuid,
      name: 'legacy',
      state: 'running',
      publicIps: ['198.51.100.4'],
      privateIps: [],
      imageId: null,
      locationId: 'hv1',
      extra: { domainId: 7, managedByOvermind: false, domstate: 'idle' },
    });
  });

  it('reads volume XML', () => {
    const xml = `<volume type='file'><name>base-tiny.img</name><capacity unit='bytes'>1048576</capacity>
      <target><path>/pool/base-tiny.img</path><format type='raw'/></target></volume>`;
    expect(parseVolumeXml(xml)).toEqual({ name: 'base-tiny.img', path: '/pool/base-tiny.img', format: 'raw', capacityBytes: 1048576 });
  });
});

describe('identity and names', () => {
  it('derives one stable UUID per idempotency key', () => {
    expect(domainUuid('a')).toBe(domainUuid('a'));
    expect(domainUuid('a')).not.toBe(domainUuid('b'));
    expect(domainUuid('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('accepts only shell- and file-safe domain names', () => {
    expect(isValidDomainName('web-1.prod_a')).toBe(true);
    for (const bad of ['', '-rf', 'a b', "x';reboot", 'a/b', '$(id)', 'x'.repeat(64)]) expect(isValidDomainName(bad)).toBe(false);
  });
});

describe('virsh errors', () => {
  const call = (stderr: string, exitCode = 1) => translateVirshError({ what: 'virsh start', endpoint: 'root@h:22', exitCode, stderr });

  it('maps libvirt messages onto the provider errors', () => {
    expect(call("error: failed to get domain 'x'")).toBeInstanceOf(NotFoundError);
    expect(call("error: failed to get pool 'p'")).toMatchObject({ providerCode: 'pool-not-found' });
    const denied = call('error: failed to connect to the hypervisor\nerror: authentication unavailable: no polkit agent available');
    expect(denied).toBeInstanceOf(InvalidCredentialsError);
    const down = call("error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/run/libvirt/libvirt-sock': No such file or directory");
    expect(down).toBeInstanceOf(TransientError);
    const busy = call("error: Failed to start domain 'x'\nerror: Requested operation is not valid: domain is already active");
    expect(busy).toMatchObject({ providerCode: 'operation-invalid', status: 409 });
    expect(busy.message).toBe('virsh start on root@h:22 failed: Failed to start domain \'x\'; Requested operation is not valid: domain is already active');
    expect(call('sh: 1: virsh: not found', 127)).toMatchObject({ providerCode: 'virsh-missing' });
    const other = call('error: something new');
    expect(other).toBeInstanceOf(ProviderError);
    expect(other).toMatchObject({ providerCode: 'virsh-failed', retryable: false });
  });
});
