import { describe, expect, it } from 'vitest';
import { useReplay } from '@overmind/testkit';
import { startOsReplay } from './os-replay.js';

const replay = useReplay(() => startOsReplay());

describe('openstack catalog', () => {
  it('lists active Glance images across three pages, following next under the image endpoint', async () => {
    const images = await replay().driver.listImages();
    expect(replay().server.requestsTo('GET', '/image/v2/images').map((r) => r.query)).toEqual([
      { limit: '2', status: 'active' },
      { limit: '2', status: 'active', marker: 'a2459075-d96c-40d5-893e-577ff92e721c' },
      { limit: '2', status: 'active', marker: 'e7d2a9c4-5b1f-4c8e-9a3d-2f6b8e0c4a1d' },
    ]);
    expect(images.map((i) => [i.name, i.os])).toEqual([
      ['ubuntu-24.04-server-cloudimg-amd64', 'linux'],
      ['debian-12-genericcloud-amd64', 'linux'],
      ['cirros-0.6.2-x86_64-disk', null],
      ['freebsd-14.1-zfs', 'freebsd'],
      ['web-golden-2025-01', 'linux'],
    ]);
    expect(images[0]).toMatchObject({
      id: '70a599e0-31e7-49b7-b260-868f441e862b',
      extra: { visibility: 'public', diskFormat: 'qcow2', minDiskGb: 10, minRamMb: 512, osVersion: '24.04' },
    });
    expect(images[4]!.extra.visibility).toBe('private');
  });

  it('lists flavors as sizes, with swap and ephemeral disk kept in extra', async () => {
    const sizes = await replay().driver.listSizes();
    expect(replay().server.requestsTo('GET', '/compute/v2.1/flavors/detail')).toHaveLength(1);
    expect(sizes.map((s) => [s.id, s.name, s.cpus, s.ramMb, s.diskGb])).toEqual([
      ['1', 'm1.tiny', 1, 512, 1],
      ['2', 'm1.small', 1, 2048, 20],
      ['3', 'm1.medium', 2, 4096, 40],
      ['4', 'm1.large', 4, 8192, 80],
    ]);
    expect(sizes[2]).toMatchObject({ priceHourly: null, extra: { swapMb: 1024, ephemeralGb: 0, isPublic: true } });
    expect(sizes[3]!.extra).toMatchObject({ swapMb: 0, ephemeralGb: 10, isPublic: false });
  });

  it('lists availability zones as locations', async () => {
    const locations = await replay().driver.listLocations();
    expect(locations.map((l) => [l.id, l.extra.available])).toEqual([
      ['nova', true],
      ['az-2', true],
      ['az-maintenance', false],
    ]);
  });
});
