import { describe, expect, it } from 'vitest';
import { useReplay } from '@overmind/testkit';
import { startDoReplay } from './do-replay.js';

const replay = useReplay(() => startDoReplay());

describe('digitalocean catalog', () => {
  it('lists distribution images and the account own images', async () => {
    const images = await replay().driver.listImages();
    const queries = replay().server.requestsTo('GET', '/v2/images').map((r) => r.query);
    expect(queries).toHaveLength(2);
    expect(queries).toEqual(expect.arrayContaining([{ per_page: '2', type: 'distribution' }, { per_page: '2', private: 'true' }]));
    expect(images.map((i) => [i.id, i.name, i.os])).toEqual([
      ['ubuntu-24-04-x64', 'Ubuntu 24.04 (LTS) x64', 'linux'],
      ['debian-12-x64', 'Debian 12 x64', 'linux'],
      ['freebsd-14-x64-zfs', 'FreeBSD 14.1 x64 zfs', 'freebsd'],
      ['170123456', 'Ubuntu web-golden-2025-01', 'linux'],
      ['170777001', 'Unknown rocky-9-hardened.qcow2', null],
    ]);
    expect(images[3]!.extra).toMatchObject({ type: 'snapshot', public: false, doId: 170123456, slug: null });
  });

  it('lists sizes with hourly and monthly prices', async () => {
    const sizes = await replay().driver.listSizes();
    expect(sizes).toHaveLength(3);
    expect(sizes[0]).toEqual({
      id: 's-1vcpu-1gb',
      name: 'Basic s-1vcpu-1gb',
      cpus: 1,
      ramMb: 1024,
      diskGb: 25,
      priceHourly: 0.00893,
      priceMonthly: 6,
      extra: { transferTb: 1, available: true, regions: ['ams3', 'fra1', 'nyc3'] },
    });
    expect(sizes.map((s) => s.priceMonthly)).toEqual([6, 24, 63]);
  });

  it('lists regions as locations with their country', async () => {
    const locations = await replay().driver.listLocations();
    expect(locations.map((l) => [l.id, l.name, l.country, l.extra.available])).toEqual([
      ['nyc3', 'New York 3', 'US', true],
      ['ams3', 'Amsterdam 3', 'NL', true],
      ['fra1', 'Frankfurt 1', 'DE', true],
      ['sfo1', 'San Francisco 1', 'US', false],
    ]);
  });
});
