/** JSON Schemas of the dedicated provider: rack-wide defaults, settings, and per-node registration. */
import type { JsonSchema } from '@overmind/provider';

/**
 * Rack-wide defaults, used where a node's registration leaves the field out. All optional. The
 * secrets among them only go to addresses in the `defaultCredentialNetworks` setting.
 */
export interface DedicatedCredentials {
  sshUsername?: string;
  sshPrivateKey?: string;
  sshPassphrase?: string;
  sshPassword?: string;
  bmcUsername?: string;
  bmcPassword?: string;
}

export interface DedicatedSettings {
  /** TCP connect plus SSH handshake and authentication, per node. */
  connectTimeoutMs?: number;
  /** Default limit for runCommand; the caller may pass its own. */
  commandTimeoutMs?: number;
  /** Most SSH connections and BMC calls in flight at once for this provider. */
  concurrency?: number;
  /** One BMC call (one ipmitool run, one Redfish request). */
  bmcTimeoutMs?: number;
  /** Extra attempts after a BMC call timed out. */
  bmcRetries?: number;
  /** After a power on or reboot, how long a node whose SSH is down reports starting instead of unknown. */
  bootTimeoutMs?: number;
  /** CIDRs: the default secrets are sent only to nodes and BMCs whose IP address is in one. */
  defaultCredentialNetworks?: string[];
  /** How long a stop waits for the OS to power the server off after the ACPI soft off. */
  shutdownTimeoutMs?: number;
  /** After that wait, a hard power off through the BMC instead of failing the stop. */
  forceStopAfterTimeout?: boolean;
  /** How long a hard power on, off or cycle may take to show in the BMC's power status. */
  powerTimeoutMs?: number;
}

type TimingSettings = Omit<DedicatedSettings, 'defaultCredentialNetworks'>;

export const DEDICATED_DEFAULTS: Required<TimingSettings> = {
  connectTimeoutMs: 10_000,
  commandTimeoutMs: 10 * 60_000,
  concurrency: 20,
  bmcTimeoutMs: 10_000,
  bmcRetries: 1,
  bootTimeoutMs: 10 * 60_000,
  // Within the default job timeout (15 min) with room for the hard power off that may follow.
  shutdownTimeoutMs: 5 * 60_000,
  forceStopAfterTimeout: true,
  powerTimeoutMs: 60_000,
};

export function resolveSettings(settings: DedicatedSettings): Required<DedicatedSettings> {
  const out: Record<string, unknown> = { ...DEDICATED_DEFAULTS };
  for (const [key, fallback] of Object.entries(DEDICATED_DEFAULTS)) {
    const value = (settings as Record<string, unknown>)[key];
    if (typeof fallback === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === typeof fallback) out[key] = value;
  }
  const networks = Array.isArray(settings.defaultCredentialNetworks) ? settings.defaultCredentialNetworks.filter((n) => typeof n === 'string') : [];
  return { ...(out as Required<TimingSettings>), defaultCredentialNetworks: networks };
}

const IPV4 = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
/** `a.b.c.d/n` exactly, or an IPv6 network (its address is checked again where it is used). */
const CIDR = `^(${IPV4}(\\.${IPV4}){3}/(3[0-2]|[12]?[0-9])|[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))$`;

const secret = (title: string, maxLength = 1024): JsonSchema => ({ type: 'string', minLength: 1, maxLength, writeOnly: true, title });
const fingerprint: JsonSchema = {
  type: 'string',
  pattern: '^[Ss][Hh][Aa]256:[A-Za-z0-9+/]{43}=?$',
  title: 'SHA-256 fingerprint',
};

export const credentialSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sshUsername: { type: 'string', minLength: 1, maxLength: 64, title: 'Default SSH user' },
    sshPrivateKey: secret('Default SSH private key (OpenSSH or PEM)', 16_384),
    sshPassphrase: secret('Passphrase of the default key'),
    sshPassword: secret('Default SSH password'),
    bmcUsername: { type: 'string', minLength: 1, maxLength: 64, title: 'Default BMC user' },
    bmcPassword: secret('Default BMC password'),
  },
};

export const settingsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    connectTimeoutMs: { type: 'integer', minimum: 500, maximum: 120_000, default: DEDICATED_DEFAULTS.connectTimeoutMs, title: 'SSH connect timeout (ms)' },
    commandTimeoutMs: { type: 'integer', minimum: 1000, maximum: 86_400_000, default: DEDICATED_DEFAULTS.commandTimeoutMs, title: 'Command timeout (ms)' },
    concurrency: { type: 'integer', minimum: 1, maximum: 500, default: DEDICATED_DEFAULTS.concurrency, title: 'Parallel connections' },
    bmcTimeoutMs: { type: 'integer', minimum: 1000, maximum: 120_000, default: DEDICATED_DEFAULTS.bmcTimeoutMs, title: 'BMC call timeout (ms)' },
    bmcRetries: { type: 'integer', minimum: 0, maximum: 5, default: DEDICATED_DEFAULTS.bmcRetries, title: 'BMC retries after a timeout' },
    bootTimeoutMs: { type: 'integer', minimum: 0, maximum: 3_600_000, default: DEDICATED_DEFAULTS.bootTimeoutMs, title: 'Boot grace period (ms)' },
    defaultCredentialNetworks: {
      type: 'array',
      maxItems: 100,
      uniqueItems: true,
      default: [],
      items: { type: 'string', pattern: CIDR },
      title: 'Networks the default logins may be sent to',
      description:
        'CIDRs such as 10.20.0.0/16. The default SSH key or password and BMC password are used only for a node ' +
        'whose address (an IP, not a host name) is in one of these; any other node must bring its own. ' +
        'Changing this needs the credentials again.',
    },
    shutdownTimeoutMs: {
      type: 'integer',
      minimum: 0,
      maximum: 3_600_000,
      default: DEDICATED_DEFAULTS.shutdownTimeoutMs,
      title: 'Graceful shutdown timeout (ms)',
      description: 'How long a stop waits for the OS to power off after the ACPI soft off. Keep stops within the job timeout.',
    },
    forceStopAfterTimeout: {
      type: 'boolean',
      default: DEDICATED_DEFAULTS.forceStopAfterTimeout,
      title: 'Force off after the timeout',
      description: 'A hard power off through the BMC when the OS ignores the soft off; otherwise the stop fails.',
    },
    powerTimeoutMs: {
      type: 'integer',
      minimum: 1000,
      maximum: 600_000,
      default: DEDICATED_DEFAULTS.powerTimeoutMs,
      title: 'Power change timeout (ms)',
      description: 'How long a hard power on, off or cycle may take to show in the BMC power status before the action fails.',
    },
  },
};

const ipmiSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'address'],
  properties: {
    type: { const: 'ipmi' },
    address: { type: 'string', minLength: 1, maxLength: 253, title: 'BMC address' },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 623 },
    username: { type: 'string', minLength: 1, maxLength: 16, title: 'IPMI user' },
    password: secret('IPMI password', 20),
    privilege: { enum: ['user', 'operator', 'administrator'], default: 'operator', title: 'Session privilege' },
    cipherSuite: { type: 'integer', minimum: 0, maximum: 17, default: 3, title: 'RMCP+ cipher suite' },
  },
};

const redfishSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'url'],
  properties: {
    type: { const: 'redfish' },
    url: { type: 'string', pattern: '^https://', maxLength: 2048, title: 'BMC URL, e.g. https://10.0.0.5' },
    username: { type: 'string', minLength: 1, maxLength: 64, title: 'Redfish user' },
    password: secret('Redfish password', 256),
    auth: { enum: ['session', 'basic'], default: 'session', title: 'Authentication' },
    systemId: { type: 'string', minLength: 1, maxLength: 256, title: 'ComputerSystem id (when the BMC has several)' },
    insecure: { type: 'boolean', default: false, title: 'Accept any certificate' },
    tlsFingerprint: {
      type: 'string',
      pattern: '^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$',
      title: 'Pinned certificate SHA-256 fingerprint',
    },
  },
};

export const registrationSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['address'],
  properties: {
    address: { type: 'string', minLength: 1, maxLength: 253, title: 'SSH address (IP or host name)' },
    ssh: {
      type: 'object',
      additionalProperties: false,
      properties: {
        port: { type: 'integer', minimum: 1, maximum: 65535, default: 22 },
        username: { type: 'string', minLength: 1, maxLength: 64 },
        privateKey: secret('Private key (OpenSSH or PEM)', 16_384),
        passphrase: secret('Key passphrase'),
        password: secret('Password'),
        sudoPassword: secret('sudo password (defaults to the login password)'),
        hostKeyFingerprint: { ...fingerprint, title: 'Expected host key (pinned on first use when absent)' },
      },
    },
    bmc: { oneOf: [ipmiSchema, redfishSchema] },
  },
};
