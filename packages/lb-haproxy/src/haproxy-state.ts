/**
 * What Overmind keeps on the HAProxy host about its balancers (`statePath`, JSON): the host is the
 * source of truth, as a cloud's API is for its balancers, so any worker can change it and list it.
 * haproxy.cfg is rendered from it. Everything read back is checked: a hand-edited file fails with a
 * message, never with a crash or an unchecked value reaching the configuration.
 */
import { isIP } from 'node:net';
import {
  BALANCER_ALGORITHMS,
  BALANCER_PROTOCOLS,
  ProviderError,
  type BalancerAlgorithm,
  type BalancerProtocol,
  type HealthCheck,
} from '@overmind/provider';

export interface StoredMember {
  id: string;
  ip: string;
  port: number;
  nodeId: string | null;
}

export interface StoredBalancer {
  id: string;
  name: string;
  port: number;
  protocol: BalancerProtocol;
  algorithm: BalancerAlgorithm;
  healthCheck: HealthCheck | null;
  members: StoredMember[];
  idempotencyKey: string;
  /** For https: the PEM (certificate and key) on the host. */
  certificatePath: string | null;
  createdAt: string;
}

export interface HaproxyState {
  version: 1;
  balancers: StoredBalancer[];
}

export const EMPTY_STATE: HaproxyState = { version: 1, balancers: [] };

/** Names haproxy sees (proxy and server names): generated, never user text. */
export const ID_PATTERN = /^[a-z]{1,3}-[0-9a-f]{8,32}$/;
/** An absolute path of plain characters: it goes into haproxy.cfg as one word. */
export const PATH_PATTERN = /^\/[A-Za-z0-9._/-]{1,255}$/;
/** An HTTP request path for the health check: printable, no spaces (one word in haproxy.cfg). */
export const CHECK_PATH_PATTERN = /^\/[\x21-\x7e]{0,254}$/;

function fail(what: string): never {
  throw new ProviderError(`HAProxy state: ${what}`);
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

function isSmallInt(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
}

export function checkHealthCheck(hc: unknown, where: string): HealthCheck {
  if (typeof hc !== 'object' || hc === null) fail(`${where}: health check is not an object`);
  const h = hc as Record<string, unknown>;
  if (h.protocol !== 'http' && h.protocol !== 'tcp') fail(`${where}: health check protocol must be http or tcp`);
  if (h.path !== undefined && (typeof h.path !== 'string' || !CHECK_PATH_PATTERN.test(h.path))) {
    fail(`${where}: health check path must start with / and hold no spaces`);
  }
  if (h.port !== undefined && !isPort(h.port)) fail(`${where}: health check port must be 1-65535`);
  for (const k of ['intervalSeconds', 'timeoutSeconds'] as const) if (!isSmallInt(h[k], 3600)) fail(`${where}: ${k} must be 1-3600`);
  for (const k of ['healthyThreshold', 'unhealthyThreshold'] as const) if (!isSmallInt(h[k], 100)) fail(`${where}: ${k} must be 1-100`);
  const out: HealthCheck = {
    protocol: h.protocol,
    intervalSeconds: h.intervalSeconds as number,
    timeoutSeconds: h.timeoutSeconds as number,
    healthyThreshold: h.healthyThreshold as number,
    unhealthyThreshold: h.unhealthyThreshold as number,
  };
  if (typeof h.path === 'string') out.path = h.path;
  if (typeof h.port === 'number') out.port = h.port;
  return out;
}

export function checkMember(m: unknown, where: string): StoredMember {
  if (typeof m !== 'object' || m === null) fail(`${where}: member is not an object`);
  const r = m as Record<string, unknown>;
  if (typeof r.id !== 'string' || !ID_PATTERN.test(r.id)) fail(`${where}: bad member id`);
  if (typeof r.ip !== 'string' || isIP(r.ip) === 0) fail(`${where}: member ip must be an IP address`);
  if (!isPort(r.port)) fail(`${where}: member port must be 1-65535`);
  if (r.nodeId !== null && typeof r.nodeId !== 'string') fail(`${where}: member nodeId must be a string or null`);
  return { id: r.id, ip: r.ip, port: r.port, nodeId: r.nodeId };
}

export function checkBalancer(b: unknown, index: number): StoredBalancer {
  const where = `balancer ${index}`;
  if (typeof b !== 'object' || b === null) fail(`${where} is not an object`);
  const r = b as Record<string, unknown>;
  if (typeof r.id !== 'string' || !ID_PATTERN.test(r.id)) fail(`${where}: bad id`);
  if (typeof r.name !== 'string' || r.name.length === 0 || r.name.length > 255) fail(`${where}: bad name`);
  if (!isPort(r.port)) fail(`${where}: port must be 1-65535`);
  if (!(BALANCER_PROTOCOLS as readonly unknown[]).includes(r.protocol)) fail(`${where}: unknown protocol`);
  if (!(BALANCER_ALGORITHMS as readonly unknown[]).includes(r.algorithm)) fail(`${where}: unknown algorithm`);
  if (!Array.isArray(r.members)) fail(`${where}: members is not a list`);
  if (typeof r.idempotencyKey !== 'string') fail(`${where}: bad idempotency key`);
  if (r.certificatePath !== null && (typeof r.certificatePath !== 'string' || !PATH_PATTERN.test(r.certificatePath))) {
    fail(`${where}: bad certificate path`);
  }
  if (typeof r.createdAt !== 'string') fail(`${where}: bad createdAt`);
  return {
    id: r.id,
    name: r.name,
    port: r.port,
    protocol: r.protocol as BalancerProtocol,
    algorithm: r.algorithm as BalancerAlgorithm,
    healthCheck: r.healthCheck === null ? null : checkHealthCheck(r.healthCheck, where),
    members: r.members.map((m, i) => checkMember(m, `${where} member ${i}`)),
    idempotencyKey: r.idempotencyKey,
    certificatePath: r.certificatePath as string | null,
    createdAt: r.createdAt,
  };
}

/** Parses the state file's text; an absent file (empty text) is no balancers. */
export function parseState(text: string): HaproxyState {
  if (text.trim() === '') return EMPTY_STATE;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    fail('the state file is not JSON');
  }
  const r = raw as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || r.version !== 1 || !Array.isArray(r.balancers)) fail('unknown state file format');
  return { version: 1, balancers: r.balancers.map((b, i) => checkBalancer(b, i)) };
}
