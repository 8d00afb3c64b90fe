import { CLOUD_CAPABILITIES, type ProviderPlugin } from '@overmind/provider';
import { LibvirtDriver } from './libvirt-driver.js';
import { DEFAULT_SIZES, SETTING_DEFAULTS as D, type LibvirtCredentials, type LibvirtSettings } from './libvirt-settings.js';

/** libvirt object names we pass to virsh: no slashes, no leading dash, no control characters. */
const LIBVIRT_NAME = '^[A-Za-z0-9_][A-Za-z0-9_.+:@-]{0,127}$';

export const libvirtPlugin: ProviderPlugin<LibvirtCredentials, LibvirtSettings> = {
  kind: 'libvirt',
  displayName: 'libvirt / KVM',
  description:
    'A hypervisor host running libvirtd, managed with virsh over SSH. Nodes are domains defined from ' +
    'generated XML, with disks cloned from base volumes of a storage pool (or no disk). The SSH user ' +
    'needs access to the libvirt socket, e.g. membership of the "libvirt" group.',
  credentialSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['username'],
    anyOf: [{ required: ['privateKey'] }, { required: ['password'] }],
    properties: {
      username: { type: 'string', minLength: 1, maxLength: 64, title: 'SSH username' },
      privateKey: {
        type: 'string',
        minLength: 1,
        maxLength: 16384,
        writeOnly: true,
        title: 'SSH private key',
        description: 'OpenSSH or PEM private key; preferred over the password when both are given.',
      },
      passphrase: { type: 'string', maxLength: 1024, writeOnly: true, title: 'Private key passphrase' },
      password: { type: 'string', minLength: 1, maxLength: 1024, writeOnly: true, title: 'SSH password' },
    },
  },
  settingsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['host'],
    properties: {
      host: { type: 'string', minLength: 1, maxLength: 255, title: 'Hypervisor host' },
      port: { type: 'integer', minimum: 1, maximum: 65535, default: D.port, title: 'SSH port' },
      hostKeyFingerprint: {
        type: 'string',
        pattern: '^[Ss][Hh][Aa]256:[A-Za-z0-9+/]{43}=?$',
        title: 'SSH host key fingerprint',
        description: 'SHA256:... as ssh-keygen -lf prints it. Left empty, the first key seen is pinned.',
      },
      uri: { type: 'string', pattern: '^[a-z0-9+]+://', default: D.uri, title: 'libvirt URI' },
      storagePool: { type: 'string', pattern: LIBVIRT_NAME, default: D.storagePool, title: 'Storage pool' },
      imagePrefix: {
        type: 'string',
        pattern: '^[A-Za-z0-9_.-]{0,64}$',
        default: D.imagePrefix,
        title: 'Base image prefix',
        description: 'Volumes of the pool whose names start with this are offered as images.',
      },
      network: {
        type: 'string',
        pattern: `(${LIBVIRT_NAME})|^$`,
        default: D.network,
        title: 'Network',
        description: 'libvirt network for the node NIC; empty for no NIC.',
      },
      domainType: { type: 'string', enum: ['kvm', 'qemu'], default: D.domainType, title: 'Domain type' },
      defaultMemoryMb: { type: 'integer', minimum: 16, maximum: 4194304, default: D.defaultMemoryMb, title: 'Default memory (MiB)' },
      sizes: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        default: DEFAULT_SIZES,
        title: 'Sizes',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'cpus', 'diskGb'],
          properties: {
            id: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
            name: { type: 'string', minLength: 1, maxLength: 128 },
            cpus: { type: 'integer', minimum: 1, maximum: 1024 },
            ramMb: { type: 'integer', minimum: 16, maximum: 4194304 },
            diskGb: { type: 'integer', minimum: 0, maximum: 65536, description: '0 keeps the base volume size.' },
          },
        },
      },
      addressSource: { type: 'string', enum: ['lease', 'arp', 'agent'], default: D.addressSource, title: 'Address source' },
      shutdownTimeoutSeconds: {
        type: 'integer',
        minimum: 0,
        maximum: 3600,
        default: D.shutdownTimeoutSeconds,
        title: 'Graceful shutdown timeout (s)',
      },
      forceStopAfterTimeout: {
        type: 'boolean',
        default: D.forceStopAfterTimeout,
        title: 'Force off after the timeout',
        description: 'Runs virsh destroy when the guest ignores the ACPI shutdown.',
      },
      commandTimeoutSeconds: { type: 'integer', minimum: 1, maximum: 3600, default: D.commandTimeoutSeconds, title: 'Command timeout (s)' },
      cloneTimeoutSeconds: { type: 'integer', minimum: 1, maximum: 86400, default: D.cloneTimeoutSeconds, title: 'Volume clone timeout (s)' },
    },
  },
  // The SSH login goes to host:port, to the server holding the pinned key. `uri` is read on that host
  // and sends nothing of ours.
  endpointSettings: ['host', 'port', 'hostKeyFingerprint'],
  capabilities: CLOUD_CAPABILITIES,
  createDriver: (config) => new LibvirtDriver(config),
};
