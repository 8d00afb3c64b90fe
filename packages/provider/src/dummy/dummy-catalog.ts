import type { ProviderImage, ProviderLocation, ProviderSize } from '../types.js';

export const DUMMY_IMAGES: readonly ProviderImage[] = [
  { id: 'debian-12', name: 'Debian 12 (bookworm)', os: 'linux', extra: { family: 'debian' } },
  { id: 'ubuntu-24.04', name: 'Ubuntu 24.04 LTS', os: 'linux', extra: { family: 'ubuntu' } },
  { id: 'rocky-9', name: 'Rocky Linux 9', os: 'linux', extra: { family: 'rhel' } },
  { id: 'freebsd-14', name: 'FreeBSD 14', os: 'freebsd', extra: { family: 'freebsd' } },
];

export const DUMMY_SIZES: readonly ProviderSize[] = [
  { id: 'small', name: 'Small (1 vCPU, 1 GiB)', cpus: 1, ramMb: 1024, diskGb: 25, priceHourly: 0.007, priceMonthly: 5, extra: {} },
  { id: 'medium', name: 'Medium (2 vCPU, 4 GiB)', cpus: 2, ramMb: 4096, diskGb: 80, priceHourly: 0.036, priceMonthly: 24, extra: {} },
  { id: 'large', name: 'Large (8 vCPU, 32 GiB)', cpus: 8, ramMb: 32768, diskGb: 320, priceHourly: 0.286, priceMonthly: 192, extra: {} },
];

export const DUMMY_LOCATIONS: readonly ProviderLocation[] = [
  { id: 'lab-1', name: 'Lab 1 (Amsterdam)', country: 'NL', extra: {} },
  { id: 'lab-2', name: 'Lab 2 (New York)', country: 'US', extra: {} },
];
