import { describe, expect, it } from 'vitest';
import { smallestFirst } from '../src/components/catalog-labels.js';

const size = (name: string, data: Record<string, unknown>) => ({ id: name, name, data });

describe('sizes in a catalog', () => {
  it('come smallest first: by vCPUs, then memory, then price; those that do not say last, then by name', () => {
    const sizes = [
      size('Large', { cpus: 8, ramMb: 32768, priceHourly: 0.286 }),
      size('Mystery', {}),
      size('Small', { cpus: 1, ramMb: 1024, priceHourly: 0.007 }),
      size('Memory-heavy', { cpus: 2, ramMb: 16384, priceHourly: 0.1 }),
      size('Medium', { cpus: 2, ramMb: 4096, priceHourly: 0.036 }),
      size('Medium, dearer', { cpus: 2, ramMb: 4096, priceMonthly: 40 }),
      size('Another mystery', {}),
      size('Medium, cheaper', { cpus: 2, ramMb: 4096, priceHourly: 0.03 }),
    ];
    expect(smallestFirst(sizes).map((s) => s.name)).toEqual(['Small', 'Medium, cheaper', 'Medium', 'Medium, dearer', 'Memory-heavy', 'Large', 'Another mystery', 'Mystery']);
    expect(sizes[0]!.name).toBe('Large'); // a sorted copy, the catalog as it was
  });
});
