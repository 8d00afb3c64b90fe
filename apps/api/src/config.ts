import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

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
  OVERMIND_SHUTDOWN_SECONDS: Type.Integer({ minimum: 15, maximum: 600, default: 30 }),
  OVERMIND_EVENT_STREAMS_PER_USER: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
  OVERMIND_EVENT_STREAMS_MAX: Type.Integer({ minimum: 1, maximum: 100000, default: 1000 }),
  OVERMIND_EVENT_STREAM_BUFFER_BYTES: Type.Integer({ minimum: 65536, maximum: 1073741824, default: 1048576 }),
  OVERMIND_EVENT_STREAM_RECHECK_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 60 }),
  OVERMIND_HTTP_REQUEST_TIMEOUT_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 60 }),
  // Above the event stream's 15 s heartbeat, which is what keeps an open stream from looking idle.
  OVERMIND_HTTP_IDLE_TIMEOUT_SECONDS: Type.Integer({ minimum: 30, maximum: 3600, default: 120 }),
  LOG_LEVEL: Type.Enum(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    { default: 'info' },
  ),
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
  /** A stop that has not finished after this long ends the process anyway (exit code 1). */
  shutdownSeconds: number;
  /** Limits of `GET /events` in one API process. */
  eventStreams: EventStreamLimits;
  /** Headers and body of a request must have arrived within this (slow clients get 408). */
  httpRequestTimeoutSeconds: number;
  /** A connection with no traffic either way for this long is closed. */
  httpIdleTimeoutSeconds: number;
  logLevel: string;
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
  if (e.OVERMIND_API_TOKEN_DAYS > e.OVERMIND_API_TOKEN_MAX_DAYS) {
    throw new ConfigError(
      `Invalid configuration:\n  OVERMIND_API_TOKEN_DAYS (${e.OVERMIND_API_TOKEN_DAYS}) must not exceed OVERMIND_API_TOKEN_MAX_DAYS (${e.OVERMIND_API_TOKEN_MAX_DAYS})`,
    );
  }
  const trustProxy = parseTrustProxy(e.OVERMIND_TRUST_PROXY);
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
    shutdownSeconds: e.OVERMIND_SHUTDOWN_SECONDS,
    eventStreams: {
      perUser: e.OVERMIND_EVENT_STREAMS_PER_USER,
      total: e.OVERMIND_EVENT_STREAMS_MAX,
      maxBufferedBytes: e.OVERMIND_EVENT_STREAM_BUFFER_BYTES,
      recheckSeconds: e.OVERMIND_EVENT_STREAM_RECHECK_SECONDS,
    },
    httpRequestTimeoutSeconds: e.OVERMIND_HTTP_REQUEST_TIMEOUT_SECONDS,
    httpIdleTimeoutSeconds: e.OVERMIND_HTTP_IDLE_TIMEOUT_SECONDS,
    logLevel: e.LOG_LEVEL,
  };
}
