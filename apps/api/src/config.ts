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
  OVERMIND_WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  OVERMIND_JOB_TIMEOUT_SECONDS: Type.Integer({ minimum: 1, maximum: 86000, default: 900 }),
  OVERMIND_JOB_RETRIES: Type.Integer({ minimum: 0, maximum: 20, default: 3 }),
  OVERMIND_MAINTENANCE_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 30 }),
  OVERMIND_SYNC_INTERVAL_SECONDS: Type.Integer({ minimum: 60, default: 300 }),
  OVERMIND_CATALOG_REFRESH_SECONDS: Type.Integer({ minimum: 300, default: 86400 }),
  OVERMIND_WEB_DIR: Type.Optional(Type.String({ minLength: 1 })),
  OVERMIND_KITCHEN_DIR: Type.Optional(Type.String({ minLength: 1 })),
  OVERMIND_SSH_WAIT_SECONDS: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
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
  workerConcurrency: number;
  jobTimeoutSeconds: number;
  jobRetries: number;
  maintenanceSeconds: number;
  defaultSyncIntervalSeconds: number;
  catalogRefreshSeconds: number;
  webDir: string | undefined;
  /** The Chef kitchen store (`current` -> `releases/<id>`). */
  kitchenDir: string;
  /** How long a configure job waits for a new node's SSH to answer. */
  sshWaitSeconds: number;
  /** Headers and body of a request must have arrived within this (slow clients get 408). */
  httpRequestTimeoutSeconds: number;
  /** A connection with no traffic either way for this long is closed. */
  httpIdleTimeoutSeconds: number;
  logLevel: string;
}

export class ConfigError extends Error {}

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
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    home: resolve(e.OVERMIND_HOME),
    embeddedPgPort: e.OVERMIND_EMBEDDED_PG_PORT,
    secretKey: e.OVERMIND_SECRET_KEY,
    adminPassword: e.OVERMIND_ADMIN_PASSWORD,
    tokenTtlSeconds: e.OVERMIND_TOKEN_TTL_SECONDS,
    workerConcurrency: e.OVERMIND_WORKER_CONCURRENCY,
    jobTimeoutSeconds: e.OVERMIND_JOB_TIMEOUT_SECONDS,
    jobRetries: e.OVERMIND_JOB_RETRIES,
    maintenanceSeconds: e.OVERMIND_MAINTENANCE_SECONDS,
    defaultSyncIntervalSeconds: e.OVERMIND_SYNC_INTERVAL_SECONDS,
    catalogRefreshSeconds: e.OVERMIND_CATALOG_REFRESH_SECONDS,
    webDir: e.OVERMIND_WEB_DIR,
    kitchenDir: resolve(e.OVERMIND_KITCHEN_DIR ?? join(e.OVERMIND_HOME, 'kitchen')),
    sshWaitSeconds,
    httpRequestTimeoutSeconds: e.OVERMIND_HTTP_REQUEST_TIMEOUT_SECONDS,
    httpIdleTimeoutSeconds: e.OVERMIND_HTTP_IDLE_TIMEOUT_SECONDS,
    logLevel: e.LOG_LEVEL,
  };
}
