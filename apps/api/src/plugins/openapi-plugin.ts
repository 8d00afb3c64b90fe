import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { VERSION } from '../version.js';

/**
 * A query parameter with a default need not be sent: the validator fills it in. The schemas list it
 * as required (so handlers see a value); the published document says what callers must send.
 */
function optionalDefaults<T>(schema: T): T {
  const s = schema as { querystring?: { required?: string[]; properties?: Record<string, { default?: unknown }> } } | undefined;
  const qs = s?.querystring;
  if (!qs?.required || !qs.properties) return schema;
  const required = qs.required.filter((k) => qs.properties![k]?.default === undefined);
  return { ...s, querystring: { ...qs, required } } as T;
}

/** OpenAPI 3.1 generated from the route schemas, served as JSON and through Swagger UI. */
export const openapiPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Overmind API',
          version: VERSION,
          description: 'One API for public clouds, private clouds and dedicated servers.',
        },
        servers: [{ url: '/' }],
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer', description: 'A token from /api/v1/auth/login, or an API token (om_...)' },
          },
        },
        security: [{ bearer: [] }],
        tags: ['auth', 'users', 'tokens', 'providers', 'nodes', 'configuration', 'jobs', 'events', 'audit', 'health', 'inventory', 'checks', 'alerts'].map((name) => ({ name })),
      },
      transform: ({ schema, url }) => ({ schema: optionalDefaults(schema), url }),
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs' });
    app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi', fastify: '5.x' },
);
