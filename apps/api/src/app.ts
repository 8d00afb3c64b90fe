import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { ProviderRegistry } from '@overmind/provider';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config, TrustProxy } from './config.js';
import { BadRequestError } from './lib/errors.js';
import { findUnstorableInput } from './lib/input-guard.js';
import { lazyRequestLogger } from './lib/lazy-request-logger.js';
import { deriveKey } from './lib/secret-box.js';
import { agentRoutes } from './modules/agents/agent-routes.js';
import { auditRoutes } from './modules/audit/audit-routes.js';
import { balancerRoutes } from './modules/balancers/balancer-routes.js';
import { checkRoutes } from './modules/checks/check-routes.js';
import { constellationRoutes } from './modules/constellations/constellation-routes.js';
import { kitchenRoutes } from './modules/cm/kitchen-routes.js';
import { serverRoleRoutes } from './modules/cm/server-role-routes.js';
import { authRoutes } from './modules/auth/auth-routes.js';
import { eventRoutes } from './modules/events/event-routes.js';
import { healthRoutes } from './modules/health/health-routes.js';
import { inventoryRoutes } from './modules/inventory/inventory-routes.js';
import { jobRoutes } from './modules/jobs/job-routes.js';
import { nodeCommandRoutes } from './modules/nodes/node-command-routes.js';
import { nodeRegistrationRoutes } from './modules/nodes/node-registration-routes.js';
import { metricRoutes } from './modules/metrics/metric-routes.js';
import { nodeRoutes } from './modules/nodes/node-routes.js';
import { prometheusRoutes } from './modules/prometheus/prometheus-routes.js';
import { providerRoutes } from './modules/providers/provider-routes.js';
import { createProviderRegistry } from './modules/providers/provider-registry.js';
import { tokenRoutes } from './modules/tokens/token-routes.js';
import { userRoutes } from './modules/users/user-routes.js';
import { alertsPlugin } from './plugins/alerts-plugin.js';
import { alertRoutes } from './modules/alerts/alert-routes.js';
import { agentGatewayPlugin } from './plugins/agent-gateway-plugin.js';
import { authPlugin } from './plugins/auth-plugin.js';
import { dbPlugin } from './plugins/db-plugin.js';
import { consoleAssetHeaders, sendConsolePage } from './plugins/console-page.js';
import { clientErrorHandler, errorHandlerPlugin, sendFrameworkError } from './plugins/error-handler-plugin.js';
import { eventsPlugin } from './plugins/events-plugin.js';
import { idempotencyPlugin } from './plugins/idempotency-plugin.js';
import { openapiPlugin } from './plugins/openapi-plugin.js';
import { prometheusPlugin } from './plugins/prometheus-plugin.js';
import { queuePlugin } from './plugins/queue-plugin.js';
import { securityHeadersPlugin } from './plugins/security-headers-plugin.js';
import { servicesPlugin } from './plugins/services-plugin.js';
import { guaranteePlugin } from './plugins/guarantee-plugin.js';
import { workerPlugin, type WorkerOptions } from './plugins/worker-plugin.js';

export interface AppOptions {
  config: Config;
  databaseUrl: string;
  masterKey: Buffer;
  /** Serve the HTTP API (and the console, when built). */
  api: boolean;
  /** Run jobs in this process. */
  worker: boolean;
  logger?: FastifyServerOptions['loggerInstance'];
  /** The provider plugins; defaults to every registered driver. */
  registry?: ProviderRegistry;
  /** Worker timings; tests shorten them. */
  workerTuning?: Partial<Pick<WorkerOptions, 'retryBaseMs' | 'pollingIntervalSeconds' | 'settlePollMs' | 'settleGraceMs' | 'stepPollMs'>>;
}

export const BODY_LIMIT = 1024 * 1024;

/** Secrets that must never reach a log line, wherever they appear in a logged object. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'password',
  '*.password',
  'credentials',
  '*.credentials',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'registration',
  '*.registration',
  // A failed query carries its parameters and Postgres's "Failing row contains (...)".
  'err.parameters',
  'err.detail',
  'err.driverError.detail',
  'err.driverError.parameters',
  // pg attaches the whole client (connection settings, buffers) to errors from a pooled connection.
  'err.client',
];

export function loggerOptions(level: string) {
  return {
    level,
    redact: { paths: LOG_REDACT, censor: '[REDACTED]' },
    serializers: {
      req: (req: { method: string; url: string; ip?: string; id?: string }) => ({
        method: req.method,
        url: req.url.replace(/([?&]access_token=)[^&]*/g, '$1[REDACTED]'),
        ip: req.ip,
      }),
    },
  };
}

/**
 * Query strings and path params are strings on the wire, so they are coerced; bodies are JSON and
 * must have the declared types. Neither ever has unknown fields silently removed.
 */
function validators() {
  const make = (coerce: boolean) => {
    const ajv = new Ajv({ allErrors: true, useDefaults: true, removeAdditional: false, coerceTypes: coerce ? 'array' : false, strict: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    // ajv-formats also takes `urn:uuid:…`, which Postgres's uuid type refuses (a 500 from the query).
    ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    return ajv;
  };
  const body = make(false);
  const other = make(true);
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) =>
    (httpPart === 'body' ? body : other).compile(schema);
}

/** Fastify's types take no hop count (its runtime does): the same rule as a function. */
function fastifyTrustProxy(trust: TrustProxy): Exclude<FastifyServerOptions['trustProxy'], number> {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}

/**
 * Slow clients must not hold connections: the request line, headers and body have to arrive within
 * the request timeout (Node answers 408 and closes), and a connection silent both ways for the idle
 * timeout is closed. The request timeout ends once a request has arrived, so answers that take long
 * to send (the event stream) are not cut; the stream's heartbeat keeps it from being idle.
 */
export function serverTimeouts(config: Pick<Config, 'httpRequestTimeoutSeconds' | 'httpIdleTimeoutSeconds'>) {
  const requestTimeout = config.httpRequestTimeoutSeconds * 1000;
  return {
    requestTimeout,
    connectionTimeout: config.httpIdleTimeoutSeconds * 1000,
    http: {
      requestTimeout,
      headersTimeout: requestTimeout,
      // Node looks for expired requests this often (30 s by default, which would stretch the bound).
      connectionsCheckingInterval: Math.min(1000, requestTimeout),
    },
  };
}

function defaultWebDir(): string {
  return new URL('../../web/dist', import.meta.url).pathname;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: loggerOptions(opts.config.logLevel) }),
    bodyLimit: BODY_LIMIT,
    ...serverTimeouts(opts.config),
    genReqId: () => crypto.randomUUID(),
    childLoggerFactory: lazyRequestLogger,
    // Path parameters are bounded by their schemas (400 naming the field), not by the router's
    // default of 100 characters (a bare 414 before validation; catalog ids may be up to 512).
    routerOptions: { maxParamLength: 2048 },
    frameworkErrors: sendFrameworkError,
    clientErrorHandler,
    requestIdHeader: false,
    // Only a configured proxy may name the client (X-Forwarded-For): request.ip is the address login
    // limits count and the audit log records, so a forged header must not choose it.
    trustProxy: fastifyTrustProxy(opts.config.trustProxy),
    ajv: undefined,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validators());
  // The API speaks JSON only: anything else is 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  // Clients often send `content-type: application/json` on body-less POSTs (actions): an empty
  // body is no body, and routes that need one say so through their schema.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    body === '' ? done(null, undefined) : json(request, body as string, done),
  );
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', String(request.id));
    done();
  });
  // Text Postgres cannot store, or JSON nested past any use, is refused before validation (400
  // naming the field) on every route, instead of failing later in a query or a recursive copy.
  app.addHook('preValidation', (request, _reply, done) => {
    for (const [part, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
      const problem = findUnstorableInput(value, part);
      if (problem) return done(new BadRequestError(`${problem.field} ${problem.message}`, { errors: [problem] }));
    }
    done();
  });

  const { config } = opts;
  await app.register(securityHeadersPlugin);
  await app.register(errorHandlerPlugin);
  await app.register(dbPlugin, { url: opts.databaseUrl });
  await app.register(queuePlugin, { url: opts.databaseUrl, config });
  await app.register(eventsPlugin, { url: opts.databaseUrl, listen: opts.api });
  await app.register(servicesPlugin, { config, masterKey: opts.masterKey, registry: opts.registry ?? createProviderRegistry() });

  if (opts.api) {
    await app.register(openapiPlugin);
    await app.register(authPlugin, { jwtKey: deriveKey(opts.masterKey, 'jwt'), tokenTtlSeconds: config.tokenTtlSeconds });
    await app.register(idempotencyPlugin);
    await app.register(prometheusPlugin);
    await app.register(agentGatewayPlugin, { url: opts.databaseUrl });
    await app.register(alertsPlugin, { evaluateSeconds: config.alerts.evaluateSeconds });
    await app.register(
      async (api) => {
        for (const routes of [healthRoutes, authRoutes, userRoutes, tokenRoutes, providerRoutes, nodeRoutes, nodeRegistrationRoutes, nodeCommandRoutes, kitchenRoutes, serverRoleRoutes, jobRoutes, eventRoutes, auditRoutes, agentRoutes, metricRoutes, checkRoutes, inventoryRoutes, alertRoutes, prometheusRoutes, constellationRoutes, balancerRoutes]) {
          await api.register(routes);
        }
      },
      { prefix: '/api/v1' },
    );
    const webDir = config.webDir ?? defaultWebDir();
    if (existsSync(webDir)) {
      // index.html only through sendConsolePage (its style nonce); the static files as built, brotli or gzip copies
      // to browsers that accept them, the content-hashed assets cached for good.
      await app.register(fastifyStatic, {
        root: webDir, wildcard: false, index: false, preCompressed: true,
        allowedPath: (path) => path !== '/index.html',
        setHeaders: consoleAssetHeaders(webDir),
      });
      // The console is a single-page app: other non-API paths get its index.html.
      app.get('/*', { schema: { hide: true } }, (request, reply) => {
        if (request.url.startsWith('/api/')) return reply.callNotFound();
        return sendConsolePage(webDir, reply);
      });
    }
  }

  if (opts.worker) {
    await app.register(workerPlugin, {
      url: opts.databaseUrl,
      concurrency: config.workerConcurrency,
      timeoutSeconds: config.jobTimeoutSeconds,
      catalogRefreshSeconds: config.catalogRefreshSeconds,
      retryBaseMs: opts.workerTuning?.retryBaseMs ?? 1000,
      pollingIntervalSeconds: opts.workerTuning?.pollingIntervalSeconds ?? 2,
      settlePollMs: opts.workerTuning?.settlePollMs ?? { first: 500, max: 5000 },
      settleGraceMs: opts.workerTuning?.settleGraceMs ?? 60_000,
      stepPollMs: opts.workerTuning?.stepPollMs ?? 1000,
    });
    await app.register(guaranteePlugin, { passSeconds: config.guarantee.passSeconds });
  }
  return app;
}
