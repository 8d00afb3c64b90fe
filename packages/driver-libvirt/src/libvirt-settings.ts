/** Credentials and settings of a libvirt provider, with their defaults. */
import type { ProviderSize } from '@overmind/provider';

export interface LibvirtCredentials {
  /** SSH login on the hypervisor host; needs access to the libvirt socket (group `libvirt`). */
  username: string;
  privateKey?: string;
  passphrase?: string;
  password?: string;
}

export interface LibvirtSizeSpec {
  id: string;
  name?: string;
  cpus: number;
  /** Falls back to `defaultMemoryMb`. */
  ramMb?: number;
  /** Disk of a node cloned from a base volume; the clone is grown to this when the base is smaller. */
  diskGb: number;
}

export type DomainType = 'kvm' | 'qemu';
export type AddressSource = 'lease' | 'arp' | 'agent';

export interface LibvirtSettings {
  host: string;
  port?: number;
  /** `SHA256:...`; absent = trust on first use and report it through `onHostKey`. */
  hostKeyFingerprint?: string;
  /** libvirt connection URI as seen from the host. */
  uri?: string;
  /** Pool holding base volumes and the disks cloned from them. */
  storagePool?: string;
  /** Volumes of the pool whose names start with this are offered as images. */
  imagePrefix?: string;
  /** libvirt network for each node's NIC; empty for nodes without a NIC. */
  network?: string;
  domainType?: DomainType;
  defaultMemoryMb?: number;
  sizes?: LibvirtSizeSpec[];
  /** Where `virsh domifaddr` looks for addresses. */
  addressSource?: AddressSource;
  /** How long stopNode waits for the guest to power off after an ACPI shutdown. */
  shutdownTimeoutSeconds?: number;
  /** After that wait, pull the plug (`virsh destroy`) instead of failing. */
  forceStopAfterTimeout?: boolean;
  commandTimeoutSeconds?: number;
  cloneTimeoutSeconds?: number;
}

export type ResolvedSettings = Required<Omit<LibvirtSettings, 'hostKeyFingerprint'>> &
  Pick<LibvirtSettings, 'hostKeyFingerprint'>;

export const DEFAULT_SIZES: readonly LibvirtSizeSpec[] = [
  { id: 'small', name: 'Small (1 vCPU, 1 GiB, 20 GB)', cpus: 1, ramMb: 1024, diskGb: 20 },
  { id: 'medium', name: 'Medium (2 vCPU, 4 GiB, 40 GB)', cpus: 2, ramMb: 4096, diskGb: 40 },
  { id: 'large', name: 'Large (4 vCPU, 8 GiB, 80 GB)', cpus: 4, ramMb: 8192, diskGb: 80 },
];

export const SETTING_DEFAULTS = {
  port: 22,
  uri: 'qemu:///system',
  storagePool: 'default',
  imagePrefix: 'base-',
  network: 'default',
  domainType: 'kvm',
  defaultMemoryMb: 1024,
  addressSource: 'lease',
  shutdownTimeoutSeconds: 60,
  forceStopAfterTimeout: true,
  commandTimeoutSeconds: 60,
  cloneTimeoutSeconds: 1800,
} as const satisfies Omit<ResolvedSettings, 'host' | 'sizes'>;

export function resolveSettings(settings: LibvirtSettings): ResolvedSettings {
  const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined && v !== null));
  return { ...SETTING_DEFAULTS, sizes: [...DEFAULT_SIZES], ...defined } as ResolvedSettings;
}

export function toProviderSize(spec: LibvirtSizeSpec, defaultMemoryMb: number): ProviderSize {
  const ramMb = spec.ramMb ?? defaultMemoryMb;
  return {
    id: spec.id,
    name: spec.name ?? `${spec.id} (${spec.cpus} vCPU, ${ramMb} MiB, ${spec.diskGb} GB)`,
    cpus: spec.cpus,
    ramMb,
    diskGb: spec.diskGb,
    priceHourly: null,
    priceMonthly: null,
    extra: {},
  };
}
