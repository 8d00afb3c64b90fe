import { ProviderRegistry, dummyPlugin } from '@overmind/provider';

/**
 * Every provider kind Overmind knows. Adding a driver is adding its package and one line here;
 * the `Record` type makes a kind without a loader a compile error. Drivers load on first use.
 */
export type ProviderKind = 'dummy' | 'ec2' | 'digitalocean' | 'openstack' | 'libvirt' | 'dedicated';

export function createProviderRegistry(): ProviderRegistry<ProviderKind> {
  return new ProviderRegistry<ProviderKind>({
    dummy: async () => dummyPlugin,
    ec2: async () => (await import('@overmind/driver-ec2')).ec2Plugin,
    digitalocean: async () => (await import('@overmind/driver-digitalocean')).digitaloceanPlugin,
    openstack: async () => (await import('@overmind/driver-openstack')).openstackPlugin,
    libvirt: async () => (await import('@overmind/driver-libvirt')).libvirtPlugin,
    dedicated: async () => (await import('@overmind/baremetal')).dedicatedPlugin,
  });
}
