import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeFacts } from '../src/components/node-facts.js';
import { DesignProvider } from '../src/design/design-provider.js';

afterEach(cleanup);

const show = (facts: Record<string, unknown>) => render(<DesignProvider><NodeFacts facts={facts} /></DesignProvider>);
const pairs = (section: string) => {
  const group = screen.getByRole('group', { name: section });
  return Object.fromEntries(within(group).getAllByRole('term').map((t) => [t.textContent, t.nextElementSibling!.textContent]));
};
const rows = (table: string) => within(screen.getByRole('table', { name: table })).getAllByRole('row').slice(1).map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent));

describe('the node facts section', () => {
  it("shows a registered server's facts (the driver's shape) as sections: system, CPU, memory, network, disks, filesystems", () => {
    show({
      gatheredAt: '2026-01-01T10:00:00Z',
      hostname: 'metal-1',
      os: { id: 'debian', name: 'Debian GNU/Linux', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
      kernel: { name: 'Linux', release: '6.1.0-25-amd64', machine: 'x86_64' },
      cpu: { model: 'Intel Xeon E-2236', count: 12, cores: 6, sockets: 1, mhz: 3400.012 },
      memory: { totalBytes: 34359738368, availableBytes: 17179869184, swapTotalBytes: 0 },
      disks: [{ name: 'nvme0n1', sizeBytes: 512110190592, model: 'Samsung 970', rotational: false }],
      filesystems: [{ device: '/dev/nvme0n1p2', mountPoint: '/', type: 'ext4', sizeBytes: 100, usedBytes: 93, availableBytes: 7 }],
      network: { interfaces: [{ name: 'eno1', mac: 'aa:bb:cc:dd:ee:ff', mtu: 1500, state: 'up', addresses: [{ family: 'inet', address: '10.0.0.5', prefixLength: 24 }] }], defaultGateway: '10.0.0.1' },
      uptimeSeconds: 90061,
      hardware: { vendor: 'Supermicro', product: 'X11SCL-F', serial: 'S123' },
    });
    expect(pairs('System')).toMatchObject({ Hostname: 'metal-1', OS: 'Debian GNU/Linux 12 (bookworm)', Kernel: 'Linux 6.1.0-25-amd64', Architecture: 'x86_64', Uptime: '1 d 1 h 1 min', Hardware: 'Supermicro X11SCL-F', Serial: 'S123' });
    expect(pairs('CPU')).toEqual({ Model: 'Intel Xeon E-2236', CPUs: '12', Cores: '6', Sockets: '1', Clock: '3400 MHz' });
    expect(pairs('Memory')).toEqual({ Total: '32 GiB', Available: '16 GiB', Swap: '0 B' });
    expect(rows('Network interfaces')).toEqual([['eno1', 'aa:bb:cc:dd:ee:ff', 'up, MTU 1500', '10.0.0.5/24']]);
    expect(screen.getByText('Default gateway 10.0.0.1')).toBeTruthy();
    expect(rows('Disks')).toEqual([['nvme0n1', '476.9 GiB', 'solid state', 'Samsung 970']]);
    expect(rows('Filesystems')[0]!.slice(0, 3)).toEqual(['/', '/dev/nvme0n1p2 ext4', '100 B']);
    expect(screen.getByRole('progressbar', { name: '93 % used' })).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Other' })).toBeNull();
  });

  it("reads an agent's facts too (memoryBytes, network as a list, snake_case OS), the rest under Other", () => {
    show({
      agentVersion: '0.1.0',
      network: [
        { name: 'eth0', mac: '52:54:00:12:34:56', addresses: [{ family: 'IPv4', address: '10.0.0.5', cidr: '10.0.0.5/24' }] },
        { name: 'eth1', mac: '52:54:00:12:34:57', addresses: [{ family: 'IPv4', cidr: '10.1.0.5/24' }, { family: 'IPv6', address: 'fe80::5054:ff:fe12:3457', prefixLength: 64 }] },
        { name: 'dummy0', addresses: [] },
      ],
      dmi: { vendor: 'QEMU', product: 'Standard PC' },
      virtualization: { role: 'guest', type: 'kvm' },
      memoryBytes: 8589934592,
      kernel: '6.1.0-25-amd64',
      os: { id: 'debian', version_id: '12', pretty_name: 'Debian GNU/Linux 12 (bookworm)' },
    });
    expect(pairs('System')).toMatchObject({ OS: 'Debian GNU/Linux 12 (bookworm)', Kernel: '6.1.0-25-amd64', Virtualization: 'kvm, guest', Hardware: 'QEMU Standard PC' });
    expect(pairs('Memory')).toEqual({ Total: '8 GiB' });
    // One address a line (an IPv6 address cannot break), none as a dash.
    expect(rows('Network interfaces')).toEqual([
      ['eth0', '52:54:00:12:34:56', '—', '10.0.0.5/24'],
      ['eth1', '52:54:00:12:34:57', '—', '10.1.0.5/24\nfe80::5054:ff:fe12:3457/64'],
      ['dummy0', '—', '—', '—'],
    ]);
    expect(pairs('Other')).toEqual({ 'Agent version': '0.1.0' });
  });

  it('says when there are none', () => {
    show({});
    expect(screen.getByText('No facts yet.')).toBeTruthy();
  });
});
