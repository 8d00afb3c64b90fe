/**
 * Turns a node's stored registration (validated by the API against `registrationSchema`, but read
 * defensively: it comes from a database) plus the rack defaults into typed settings. A default
 * secret fills in only for an address inside the defaults' scope (`defaultCredentialNetworks`);
 * default user names fill in anywhere.
 */
import { normalizeFingerprint, type SshAuth } from '@overmind/ssh';
import { RegistrationError } from './baremetal-errors.js';
import type { DedicatedCredentials } from './dedicated-schemas.js';
import type { DefaultsScope } from './defaults-scope.js';

/** The rack's default logins and where their secrets may be sent. */
export interface RackDefaults {
  credentials: DedicatedCredentials;
  scope: DefaultsScope;
}

export type IpmiPrivilege = 'user' | 'operator' | 'administrator';

export interface IpmiRegistration {
  type: 'ipmi';
  address: string;
  port: number;
  username: string;
  password: string;
  privilege: IpmiPrivilege;
  cipherSuite: number;
}

export interface RedfishRegistration {
  type: 'redfish';
  /** Base URL, without a trailing slash: `https://host[:port]`. */
  url: string;
  username: string;
  password: string;
  auth: 'session' | 'basic';
  systemId?: string;
  insecure: boolean;
  /** Upper-case hex with colons, as Node's `fingerprint256`. */
  tlsFingerprint?: string;
}

export type BmcRegistration = IpmiRegistration | RedfishRegistration;

export interface NodeRegistration {
  address: string;
  ssh: {
    port: number;
    username: string;
    auth: SshAuth;
    sudoPassword?: string;
    hostKeyFingerprint?: string;
  };
  bmc?: BmcRegistration;
}

type Raw = Record<string, unknown>;

function fail(message: string): never {
  throw new RegistrationError(`Invalid node registration: ${message}`);
}

function object(value: unknown, field: string): Raw | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) fail(`${field} must be an object`);
  return value as Raw;
}

function text(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') fail(`${field} must be a string`);
  return value;
}

function port(value: unknown, field: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    fail(`${field} must be a port number`);
  }
  return value;
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) fail(`${field} is required (on the node or as a provider default)`);
  return value;
}

export function normalizeTlsFingerprint(value: string): string {
  const hex = value.replace(/:/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) fail('bmc.tlsFingerprint must be a SHA-256 fingerprint (64 hex digits)');
  return hex.match(/../g)!.join(':');
}

/** Why a rack default secret may not go to `host`; the message names the setting, never a secret. */
function outOfScope(field: string, host: string, scope: DefaultsScope): never {
  return fail(
    `${field} is required: the provider's default is only sent to IP addresses in defaultCredentialNetworks ` +
      `(${scope.describe()}), and ${host} is not one`,
  );
}

function sshAuth(address: string, ssh: Raw, rack: RackDefaults): SshAuth {
  const key = text(ssh.privateKey, 'ssh.privateKey');
  const password = text(ssh.password, 'ssh.password');
  // A node's own secret wins over the rack default; a key wins over a password.
  if (key) return { type: 'key', privateKey: key, passphrase: text(ssh.passphrase, 'ssh.passphrase') };
  if (password) return { type: 'password', password };
  const defaults = rack.credentials;
  if (!defaults.sshPrivateKey && !defaults.sshPassword) return fail('ssh.privateKey or ssh.password is required (on the node or as a provider default)');
  if (!rack.scope.covers(address)) return outOfScope('ssh.privateKey or ssh.password', address, rack.scope);
  if (defaults.sshPrivateKey) return { type: 'key', privateKey: defaults.sshPrivateKey, passphrase: defaults.sshPassphrase };
  return { type: 'password', password: defaults.sshPassword! };
}

/** The node's BMC password, or the rack default when the BMC's host is in scope. */
function bmcPassword(bmc: Raw, host: string, rack: RackDefaults): string {
  const own = text(bmc.password, 'bmc.password');
  if (own) return own;
  const fallback = rack.credentials.bmcPassword;
  if (fallback === undefined) return fail('bmc.password is required (on the node or as a provider default)');
  if (!rack.scope.covers(host)) return outOfScope('bmc.password', host, rack.scope);
  return fallback;
}

function parseIpmi(bmc: Raw, rack: RackDefaults): IpmiRegistration {
  const privilege = bmc.privilege ?? 'operator';
  if (privilege !== 'user' && privilege !== 'operator' && privilege !== 'administrator') {
    fail('bmc.privilege must be user, operator or administrator');
  }
  const cipherSuite = bmc.cipherSuite ?? 3;
  if (typeof cipherSuite !== 'number' || !Number.isInteger(cipherSuite) || cipherSuite < 0 || cipherSuite > 17) {
    fail('bmc.cipherSuite must be an integer from 0 to 17');
  }
  const address = required(text(bmc.address, 'bmc.address'), 'bmc.address');
  return {
    type: 'ipmi',
    address,
    port: port(bmc.port, 'bmc.port', 623),
    username: required(text(bmc.username, 'bmc.username') ?? rack.credentials.bmcUsername, 'bmc.username'),
    password: bmcPassword(bmc, address, rack),
    privilege,
    cipherSuite,
  };
}

function parseRedfish(bmc: Raw, rack: RackDefaults): RedfishRegistration {
  const raw = required(text(bmc.url, 'bmc.url'), 'bmc.url');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('bmc.url is not a URL');
  }
  if (url.protocol !== 'https:') fail('bmc.url must use https');
  const auth = bmc.auth ?? 'session';
  if (auth !== 'session' && auth !== 'basic') fail('bmc.auth must be session or basic');
  const tlsFingerprint = text(bmc.tlsFingerprint, 'bmc.tlsFingerprint');
  const systemId = text(bmc.systemId, 'bmc.systemId');
  return {
    type: 'redfish',
    url: `${url.protocol}//${url.host}`,
    username: required(text(bmc.username, 'bmc.username') ?? rack.credentials.bmcUsername, 'bmc.username'),
    password: bmcPassword(bmc, url.hostname, rack),
    auth,
    insecure: bmc.insecure === true,
    ...(systemId ? { systemId } : {}),
    ...(tlsFingerprint ? { tlsFingerprint: normalizeTlsFingerprint(tlsFingerprint) } : {}),
  };
}

export function parseRegistration(raw: Raw, rack: RackDefaults): NodeRegistration {
  const address = required(text(raw.address, 'address'), 'address');
  const ssh = object(raw.ssh, 'ssh') ?? {};
  const pin = text(ssh.hostKeyFingerprint, 'ssh.hostKeyFingerprint');
  let hostKeyFingerprint: string | undefined;
  try {
    hostKeyFingerprint = pin ? normalizeFingerprint(pin) : undefined;
  } catch {
    fail('ssh.hostKeyFingerprint must be an OpenSSH SHA256 fingerprint');
  }
  const bmc = object(raw.bmc, 'bmc');
  const sudoPassword = text(ssh.sudoPassword, 'ssh.sudoPassword');
  return {
    address,
    ssh: {
      port: port(ssh.port, 'ssh.port', 22),
      username: required(text(ssh.username, 'ssh.username') ?? rack.credentials.sshUsername, 'ssh.username'),
      auth: sshAuth(address, ssh, rack),
      ...(sudoPassword ? { sudoPassword } : {}),
      ...(hostKeyFingerprint ? { hostKeyFingerprint } : {}),
    },
    ...(bmc === undefined
      ? {}
      : { bmc: bmc.type === 'ipmi' ? parseIpmi(bmc, rack) : bmc.type === 'redfish' ? parseRedfish(bmc, rack) : fail('bmc.type must be ipmi or redfish') }),
  };
}

/** Where the BMC lives, without secrets: for ProviderNode.extra and log lines. */
export function describeBmc(bmc: BmcRegistration): { type: 'ipmi' | 'redfish'; endpoint: string } {
  return bmc.type === 'ipmi' ? { type: 'ipmi', endpoint: `${bmc.address}:${bmc.port}` } : { type: 'redfish', endpoint: bmc.url };
}
