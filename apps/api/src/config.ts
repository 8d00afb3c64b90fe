import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { HaproxySettings } from '@overmind/lb-haproxy';
import { AGENT_PREFIX_PATTERN } from './modules/agents/agent-prefix.js';

/** Every environment variable Overmind reads. Documented in the README's configuration table. */
const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  OVERMIND_HOME: Type.String({ minLength: 1, default: './.overmind' }),
  OVERMIND_EMBEDDED_PG_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 54329 }),
  OVERMIND_SECRET_KEY: Type.Optional(Type.String({ minLength: 32 })),
  OVERMIND_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 8 })),
  OVERMIND_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 60, default: 43200 }),
  OVERMIND_API_TOKEN_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 90 }),
  OVERMIND_API_TOKEN_MAX_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 365 }),
  OVERMIND_LOGIN_WINDOW_SECONDS: Type.Integer({ minimum: 10, maximum: 86400, default: 300 }),
  OVERMIND_LOGIN_FAILURES_PER_USER: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
  OVERMIND_LOGIN_FAILURES_PER_ADDRESS: Type.Integer({ minimum: 1, maximum: 100000, default: 30 }),
  OVERMIND_TRUST_PROXY: Type.String({ minLength: 1, default: 'false' }),
  OVERMIND_WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  OVERMIND_JOB_TIMEOUT_SECONDS: Type.Integer({ minimum: 1, maximum: 86000, default: 900 }),
  OVERMIND_JOB_RETRIES: Type.Integer({ minimum: 0, maximum: 20, default: 3 }),
  OVERMIND_MAINTENANCE_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 30 }),
  OVERMIND_SYNC_INTERVAL_SECONDS: Type.Integer({ minimum: 60, default: 300 }),
  OVERMIND_CATALOG_REFRESH_SECONDS: Type.Integer({ minimum: 300, default: 86400 }),
  OVERMIND_WEB_DIR: Type.Optional(Type.String({ minLength: 1 })),
  OVERMIND_KITCHEN_DIR: Type.Optional(Type.String({ minLength: 1 })),
  OVERMIND_KITCHEN_MAX_UPLOAD_BYTES: Type.Integer({ minimum: 1024, default: 16 * 1024 * 1024 }),
  OVERMIND_KITCHEN_MAX_UNPACKED_BYTES: Type.Integer({ minimum: 1024, default: 128 * 1024 * 1024 }),
  OVERMIND_KITCHEN_MAX_ENTRIES: Type.Integer({ minimum: 1, default: 10_000 }),
  OVERMIND_SSH_WAIT_SECONDS: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
  OVERMIND_HAPROXY_DIR: Type.Optional(Type.String({ minLength: 2, maxLength: 200, pattern: '^/[A-Za-z0-9._/-]+$' })),
  OVERMIND_HAPROXY_RELOAD: Type.Enum(['systemd', 'daemon'], { default: 'systemd' }),
  OVERMIND_HAPROXY_BIND: Type.String({ minLength: 2, maxLength: 45, default: '0.0.0.0' }),
  OVERMIND_HAPROXY_DRAIN_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 30 }),
  OVERMIND_SHUTDOWN_SECONDS: Type.Integer({ minimum: 15, maximum: 600, default: 30 }),
  OVERMIND_EVENT_STREAMS_PER_USER: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
  OVERMIND_EVENT_STREAMS_MAX: Type.Integer({ minimum: 1, maximum: 100000, default: 1000 }),
  OVERMIND_EVENT_STREAM_BUFFER_BYTES: Type.Integer({ minimum: 65536, maximum: 1073741824, default: 1048576 }),
  OVERMIND_EVENT_STREAM_RECHECK_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 60 }),
  OVERMIND_HTTP_REQUEST_TIMEOUT_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 60 }),
  // Above the event stream's 15 s heartbeat, which is what keeps an open stream from looking idle.
  OVERMIND_HTTP_IDLE_TIMEOUT_SECONDS: Type.Integer({ minimum: 30, maximum: 3600, default: 120 }),
  OVERMIND_PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^/?#\\s]+(/[^?#\\s]*)?$' })),
  OVERMIND_AGENT_HEARTBEAT_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 15 }),
  OVERMIND_AGENT_HANDSHAKES: Type.Integer({ minimum: 1, maximum: 100000, default: 256 }),
  OVERMIND_AGENT_CONNECTIONS_MAX: Type.Integer({ minimum: 1, maximum: 1000000, default: 20000 }),
  OVERMIND_AGENT_RUN_DEADLINE_SECONDS: Type.Integer({ minimum: 5, maximum: 7 * 86400, default: 3600 }),
  OVERMIND_AGENT_DIST_DIR: Type.Optional(Type.String({ minLength: 1 })),
  OVERMIND_AGENT_INSTALL_PREFIX: Type.Optional(Type.String({ pattern: AGENT_PREFIX_PATTERN, maxLength: 255 })),
  OVERMIND_READINGS_INTERVAL_SECONDS: Type.Integer({ minimum: 0, maximum: 3600, default: 15 }),
  OVERMIND_METRICS_RAW_HOURS: Type.Integer({ minimum: 1, maximum: 168, default: 2 }),
  OVERMIND_METRICS_1M_DAYS: Type.Integer({ minimum: 1, maximum: 90, default: 2 }),
  OVERMIND_METRICS_5M_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 14 }),
  OVERMIND_METRICS_1H_DAYS: Type.Integer({ minimum: 1, maximum: 3660, default: 395 }),
  OVERMIND_CHECK_STALE_SECONDS: Type.Integer({ minimum: 5, maximum: 7 * 86400, default: 180 }),
  OVERMIND_ALERT_EVALUATE_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 15 }),
  OVERMIND_GUARANTEE_PASS_SECONDS: Type.Number({ minimum: 0, maximum: 3600, default: 10 }),
  OVERMIND_ALERT_NOTIFY_RETRIES: Type.Integer({ minimum: 0, maximum: 30, default: 10 }),
  OVERMIND_SMTP_HOST: Type.Optional(Type.String({ minLength: 1 })),
  OVERMIND_SMTP_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 587 }),
  OVERMIND_SMTP_TLS: Type.Enum(['starttls', 'tls', 'none'], { default: 'starttls' }),
  OVERMIND_SMTP_USER: Type.Optional(Type.String({ minLength: 1 })),
  OVERMIND_SMTP_PASSWORD: Type.Optional(Type.String({ minLength: 1 })),
  OVERMIND_SMTP_FROM: Type.Optional(Type.String({ minLength: 3 })),
  OVERMIND_CHECK_HISTORY_DAYS: Type.Integer({ minimum: 1, maximum: 3660, default: 395 }),
  LOG_LEVEL: Type.Enum(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    { default: 'info' },
  ),
  // Unset: readable lines on an interactive terminal, JSON lines otherwise (log collectors).
  LOG_FORMAT: Type.Optional(Type.Enum(['json', 'pretty'])),
});

type Env = Static<typeof EnvSchema>;

export interface Config {
  port: number;
  host: string;
  /** Undefined means: run the embedded Postgres under `home`. */
  databaseUrl: string | undefined;
  home: string;
  embeddedPgPort: number;
  secretKey: string | undefined;
  adminPassword: string | undefined;
  tokenTtlSeconds: number;
  /** Lifetime of an API token made without one, and the longest one may ask for. */
  apiTokenDays: { default: number; max: number };
  /** Failed logins allowed per window: for one username from one address, and from one address. */
  loginLimits: { windowSeconds: number; perUserAndAddress: number; perAddress: number };
  /** Fastify's `trustProxy`: which peers may say, in X-Forwarded-For, whom they forward. */
  trustProxy: TrustProxy;
  workerConcurrency: number;
  jobTimeoutSeconds: number;
  jobRetries: number;
  maintenanceSeconds: number;
  defaultSyncIntervalSeconds: number;
  catalogRefreshSeconds: number;
  webDir: string | undefined;
  /** The Chef kitchen store (`current` -> `releases/<id>`). */
  kitchenDir: string;
  /** What one kitchen upload may be: its .tar.gz, the tar inside once decompressed, its entries. */
  kitchenLimits: KitchenLimits;
  /** How long a configure job waits for a new node's SSH to answer. */
  sshWaitSeconds: number;
  /** How HAProxy runs on balancer hosts of libvirt and dedicated providers (their address comes from the host node). */
  haproxy: Omit<HaproxySettings, 'address'>;
  /** A stop that has not finished after this long ends the process anyway (exit code 1). */
  shutdownSeconds: number;
  /** Limits of `GET /events` in one API process. */
  eventStreams: EventStreamLimits;
  /** Headers and body of a request must have arrived within this (slow clients get 408). */
  httpRequestTimeoutSeconds: number;
  /** A connection with no traffic either way for this long is closed. */
  httpIdleTimeoutSeconds: number;
  /** Where nodes reach this API (install scripts, cloud user data); defaults to http://HOST:PORT. */
  publicUrl: string;
  agents: AgentSettings;
  metrics: MetricsSettings;
  checks: CheckSettings;
  alerts: AlertSettings;
  /** How often each worker runs a pass of the service guarantee's reconciler (one at a time across workers); 0: never in this process. */
  guarantee: { passSeconds: number };
  logLevel: string;
  /** null: pretty when standard output is a terminal, else JSON lines. */
  logFormat: 'json' | 'pretty' | null;
}

export interface AlertSettings {
  /** How often rules are evaluated (by one API process at a time). */
  evaluateSeconds: number;
  /** Attempts after the first to deliver a notification, with exponential backoff. */
  notifyRetries: number;
  /** Where e-mail goes out; null: rules cannot e-mail. */
  smtp: SmtpSettings | null;
}

export interface SmtpSettings {
  host: string;
  port: number;
  /** `tls`: TLS from the start (465); `starttls`: STARTTLS required; `none`: plain text (a relay on loopback). */
  tls: 'starttls' | 'tls' | 'none';
  user: string | null;
  password: string | null;
  from: string;
}

export interface MetricsSettings {
  /** How often agents send readings (welcome.features.readings); 0: never asked. */
  readingsIntervalSeconds: number;
  /** How long each tier keeps its points: raw readings, then 1-minute, 5-minute and 1-hour averages. */
  retentionSeconds: { raw: number; '1m': number; '5m': number; '1h': number };
}

export interface AgentSettings {
  heartbeatSeconds: number;
  /** Agent handshakes in progress at once in one API process; more are told to come back later. */
  maxHandshakes: number;
  /** Agent connections one API process holds. */
  maxConnections: number;
  /** How long a pull run waits for its agent and its result, from when it is queued. */
  runDeadlineSeconds: number;
  /** The built agent (`overmind-agent.mjs`, `release.json`). */
  distDir: string;
  /**
   * Installs over SSH put every agent path under this root, as the login user (no sudo, no systemd),
   * unless the request names its own; null: the real paths, as root.
   */
  installPrefix: string | null;
}

export interface CheckSettings {
  /** A node whose agent has sent no check result for this long (or twice a check's interval plus its timeout, if longer) is `stale`. */
  staleSeconds: number;
  /** Check state changes older than this many days are deleted (the worker's once-a-minute task). */
  historyDays: number;
}

export interface KitchenLimits {
  maxArchiveBytes: number;
  maxUnpackedBytes: number;
  maxEntries: number;
}

export interface EventStreamLimits {
  /** Open streams one user may hold (each browser tab holds one). */
  perUser: number;
  /** Open streams in all. */
  total: number;
  /** A stream whose client has not read this many bytes yet is dropped, not buffered further. */
  maxBufferedBytes: number;
  /** How often a stream's credentials are checked again (changes to a user or token are seen at once). */
  recheckSeconds: number;
}

export class ConfigError extends Error {}

/** false (the default): nobody; true: every peer; a hop count; or addresses and CIDR ranges. */
export type TrustProxy = boolean | number | string[];

const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address!);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function parseTrustProxy(raw: string): TrustProxy {
  const value = raw.trim().toLowerCase();
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > 100) throw new ConfigError(`Invalid configuration:\n  OVERMIND_TRUST_PROXY: a hop count must be 1 to 100, not ${value}`);
    return hops;
  }
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => !isAddressOrRange(e));
  if (entries.length === 0 || bad.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n  OVERMIND_TRUST_PROXY: ${bad.map((b) => `"${b}"`).join(', ') || 'empty list'} is not an address, CIDR range (` +
        'e.g. 10.0.0.0/8), loopback, linklocal or uniquelocal; the value is a comma-separated list of those, a hop count, true or false',
    );
  }
  return entries;
}

/** Reads and validates the environment once, at boot. Nothing else reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.properties)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  const value = Value.Convert(EnvSchema, Value.Default(EnvSchema, known));
  const errors = [...Value.Errors(EnvSchema, value)];
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.instancePath.slice(1) || '(env)'}: ${e.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = value as Env;
  // The wait runs inside a configure job: a job that expires first would be retried mid-wait. By
  // default it is 5 minutes, or less when jobs time out sooner; a value set by hand must fit.
  const sshWaitSeconds = e.OVERMIND_SSH_WAIT_SECONDS ?? Math.min(300, Math.floor(e.OVERMIND_JOB_TIMEOUT_SECONDS * 0.8));
  if (sshWaitSeconds >= e.OVERMIND_JOB_TIMEOUT_SECONDS) {
    throw new ConfigError(
      `Invalid configuration:\n  OVERMIND_SSH_WAIT_SECONDS (${e.OVERMIND_SSH_WAIT_SECONDS}) must be less than OVERMIND_JOB_TIMEOUT_SECONDS (${e.OVERMIND_JOB_TIMEOUT_SECONDS})`,
    );
  }
  const tiers = [
    ['OVERMIND_METRICS_RAW_HOURS', e.OVERMIND_METRICS_RAW_HOURS * 3600],
    ['OVERMIND_METRICS_1M_DAYS', e.OVERMIND_METRICS_1M_DAYS * 86400],
    ['OVERMIND_METRICS_5M_DAYS', e.OVERMIND_METRICS_5M_DAYS * 86400],
    ['OVERMIND_METRICS_1H_DAYS', e.OVERMIND_METRICS_1H_DAYS * 86400],
  ] as const;
  // Each tier is rolled up from the one before: it must outlive it, or the graph would have a hole.
  for (let i = 1; i < tiers.length; i++) {
    if (tiers[i]![1] < tiers[i - 1]![1]) {
      throw new ConfigError(`Invalid configuration:\n  ${tiers[i]![0]} must keep points at least as long as ${tiers[i - 1]![0]}`);
    }
  }
  if (e.OVERMIND_API_TOKEN_DAYS > e.OVERMIND_API_TOKEN_MAX_DAYS) {
    throw new ConfigError(
      `Invalid configuration:\n  OVERMIND_API_TOKEN_DAYS (${e.OVERMIND_API_TOKEN_DAYS}) must not exceed OVERMIND_API_TOKEN_MAX_DAYS (${e.OVERMIND_API_TOKEN_MAX_DAYS})`,
    );
  }
  const trustProxy = parseTrustProxy(e.OVERMIND_TRUST_PROXY);
  if (e.OVERMIND_SMTP_HOST && !e.OVERMIND_SMTP_FROM) {
    throw new ConfigError('Invalid configuration:\n  OVERMIND_SMTP_FROM is required with OVERMIND_SMTP_HOST (the sender of alert e-mail)');
  }
  if (Boolean(e.OVERMIND_SMTP_USER) !== Boolean(e.OVERMIND_SMTP_PASSWORD)) {
    throw new ConfigError('Invalid configuration:\n  OVERMIND_SMTP_USER and OVERMIND_SMTP_PASSWORD go together');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    home: resolve(e.OVERMIND_HOME),
    embeddedPgPort: e.OVERMIND_EMBEDDED_PG_PORT,
    secretKey: e.OVERMIND_SECRET_KEY,
    adminPassword: e.OVERMIND_ADMIN_PASSWORD,
    tokenTtlSeconds: e.OVERMIND_TOKEN_TTL_SECONDS,
    apiTokenDays: { default: e.OVERMIND_API_TOKEN_DAYS, max: e.OVERMIND_API_TOKEN_MAX_DAYS },
    loginLimits: {
      windowSeconds: e.OVERMIND_LOGIN_WINDOW_SECONDS,
      perUserAndAddress: e.OVERMIND_LOGIN_FAILURES_PER_USER,
      perAddress: e.OVERMIND_LOGIN_FAILURES_PER_ADDRESS,
    },
    trustProxy,
    workerConcurrency: e.OVERMIND_WORKER_CONCURRENCY,
    jobTimeoutSeconds: e.OVERMIND_JOB_TIMEOUT_SECONDS,
    jobRetries: e.OVERMIND_JOB_RETRIES,
    maintenanceSeconds: e.OVERMIND_MAINTENANCE_SECONDS,
    defaultSyncIntervalSeconds: e.OVERMIND_SYNC_INTERVAL_SECONDS,
    catalogRefreshSeconds: e.OVERMIND_CATALOG_REFRESH_SECONDS,
    webDir: e.OVERMIND_WEB_DIR,
    kitchenDir: resolve(e.OVERMIND_KITCHEN_DIR ?? join(e.OVERMIND_HOME, 'kitchen')),
    kitchenLimits: {
      maxArchiveBytes: e.OVERMIND_KITCHEN_MAX_UPLOAD_BYTES,
      maxUnpackedBytes: e.OVERMIND_KITCHEN_MAX_UNPACKED_BYTES,
      maxEntries: e.OVERMIND_KITCHEN_MAX_ENTRIES,
    },
    sshWaitSeconds,
    haproxy: haproxySettings(e.OVERMIND_HAPROXY_DIR, e.OVERMIND_HAPROXY_RELOAD, e.OVERMIND_HAPROXY_BIND, e.OVERMIND_HAPROXY_DRAIN_SECONDS),
    shutdownSeconds: e.OVERMIND_SHUTDOWN_SECONDS,
    eventStreams: {
      perUser: e.OVERMIND_EVENT_STREAMS_PER_USER,
      total: e.OVERMIND_EVENT_STREAMS_MAX,
      maxBufferedBytes: e.OVERMIND_EVENT_STREAM_BUFFER_BYTES,
      recheckSeconds: e.OVERMIND_EVENT_STREAM_RECHECK_SECONDS,
    },
    httpRequestTimeoutSeconds: e.OVERMIND_HTTP_REQUEST_TIMEOUT_SECONDS,
    httpIdleTimeoutSeconds: e.OVERMIND_HTTP_IDLE_TIMEOUT_SECONDS,
    publicUrl: (e.OVERMIND_PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    agents: {
      heartbeatSeconds: e.OVERMIND_AGENT_HEARTBEAT_SECONDS,
      maxHandshakes: e.OVERMIND_AGENT_HANDSHAKES,
      maxConnections: e.OVERMIND_AGENT_CONNECTIONS_MAX,
      runDeadlineSeconds: e.OVERMIND_AGENT_RUN_DEADLINE_SECONDS,
      distDir: resolve(e.OVERMIND_AGENT_DIST_DIR ?? new URL('../../agent/dist', import.meta.url).pathname),
      installPrefix: e.OVERMIND_AGENT_INSTALL_PREFIX ?? null,
    },
    metrics: {
      readingsIntervalSeconds: e.OVERMIND_READINGS_INTERVAL_SECONDS,
      retentionSeconds: { raw: tiers[0][1], '1m': tiers[1][1], '5m': tiers[2][1], '1h': tiers[3][1] },
    },
    checks: { staleSeconds: e.OVERMIND_CHECK_STALE_SECONDS, historyDays: e.OVERMIND_CHECK_HISTORY_DAYS },
    alerts: {
      evaluateSeconds: e.OVERMIND_ALERT_EVALUATE_SECONDS,
      notifyRetries: e.OVERMIND_ALERT_NOTIFY_RETRIES,
      smtp: e.OVERMIND_SMTP_HOST
        ? { host: e.OVERMIND_SMTP_HOST, port: e.OVERMIND_SMTP_PORT, tls: e.OVERMIND_SMTP_TLS as SmtpSettings['tls'], user: e.OVERMIND_SMTP_USER ?? null, password: e.OVERMIND_SMTP_PASSWORD ?? null, from: e.OVERMIND_SMTP_FROM! }
        : null,
    },
    guarantee: { passSeconds: e.OVERMIND_GUARANTEE_PASS_SECONDS },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? null,
  };
}

/**
 * How HAProxy runs on the hosts of balancers of libvirt and dedicated providers (docs/load-balancers.md):
 * Debian's package and systemd unit by default; with a directory, Overmind keeps its files there and,
 * in `daemon` mode, runs haproxy itself (hosts without systemd).
 */
function haproxySettings(dir: string | undefined, reload: string, bindAddress: string, drainSeconds: number): Omit<HaproxySettings, 'address'> {
  if (isIP(bindAddress) === 0) throw new ConfigError(`Invalid configuration:\n  OVERMIND_HAPROXY_BIND (${bindAddress}) must be an IP address`);
  const base = { bindAddress, drainSeconds };
  if (!dir) {
    if (reload === 'daemon') throw new ConfigError('Invalid configuration:\n  OVERMIND_HAPROXY_RELOAD=daemon needs OVERMIND_HAPROXY_DIR (where its pid file and configuration live)');
    return base;
  }
  const d = dir.replace(/\/+$/, '');
  return {
    ...base,
    configPath: `${d}/haproxy.cfg`,
    statePath: `${d}/overmind-balancers.json`,
    socketPath: `${d}/admin.sock`,
    reload: reload === 'daemon' ? { mode: 'daemon', pidFile: `${d}/haproxy.pid` } : { mode: 'systemd' },
  };
}
