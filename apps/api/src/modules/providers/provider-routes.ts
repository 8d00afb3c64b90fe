import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CatalogKind } from '../../db/entities/index.js';
import { PageOf, PageQuery } from '../../lib/pagination.js';
import { BODY_ERRORS, IdParams, Uuid, errors } from '../../lib/schemas.js';
import { JobSchema, jobView } from '../jobs/job-schemas.js';
import {
  CatalogItemSchema,
  ProviderName,
  ProviderSchema,
  ProviderTypeSchema,
  SyncInterval,
  catalogView,
  providerView,
} from './provider-schemas.js';

const Json = Type.Record(Type.String(), Type.Unknown());

export const providerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const providers = app.services.providers;

  app.get('/provider-types', {
    config: { access: 'observer' },
    schema: {
      tags: ['providers'],
      operationId: 'listProviderTypes',
      summary: 'The registered provider plugins, with the credentials each needs',
      response: { 200: Type.Object({ items: Type.Array(ProviderTypeSchema) }), ...errors() },
    },
  }, async () => ({
    items: (await providers.types()).map((p) => ({
      kind: p.kind,
      displayName: p.displayName,
      description: p.description,
      credentialSchema: p.credentialSchema,
      settingsSchema: p.settingsSchema,
      ...(p.registrationSchema ? { registrationSchema: p.registrationSchema } : {}),
      endpointSettings: [...p.endpointSettings],
      capabilities: [...p.capabilities],
    })),
  }));

  app.get('/providers', {
    config: { access: 'observer' },
    schema: {
      tags: ['providers'],
      operationId: 'listProviders',
      querystring: Type.Object({ ...PageQuery, type: Type.Optional(Type.String({ maxLength: 64 })), search: Type.Optional(Type.String({ maxLength: 100 })) }),
      response: { 200: PageOf(ProviderSchema, 'Provider'), ...errors(400) },
    },
  }, async (request) => {
    const page = await providers.list(request.query);
    return { ...page, items: page.items.map(providerView) };
  });

  app.post('/providers', {
    config: { access: 'operator', idempotent: true },
    schema: {
      tags: ['providers'],
      operationId: 'createProvider',
      summary: 'Register a provider; its credentials are checked with the provider first',
      body: Type.Object(
        {
          name: ProviderName,
          type: Type.String({ minLength: 1, maxLength: 64 }),
          credentials: Json,
          settings: Type.Optional(Json),
          syncIntervalSeconds: Type.Optional(SyncInterval),
        },
        { additionalProperties: false },
      ),
      response: { 201: ProviderSchema, ...errors(...BODY_ERRORS, 409, 422, 502) },
    },
  }, async (request, reply) => {
    const { provider } = await providers.create(request.actor, request.body);
    return reply.code(201).header('location', `/api/v1/providers/${provider.id}`).send(providerView(provider));
  });

  app.get('/providers/:id', {
    config: { access: 'observer' },
    schema: { tags: ['providers'], operationId: 'getProvider', params: IdParams, response: { 200: ProviderSchema, ...errors(400, 404) } },
  }, async (request) => {
    const provider = await providers.get(request.params.id);
    const counts = await providers.nodeCounts([provider.id]);
    return providerView({ ...provider, nodeCount: counts.get(provider.id) ?? 0 });
  });

  app.patch('/providers/:id', {
    config: { access: 'operator' },
    schema: {
      tags: ['providers'],
      operationId: 'updateProvider',
      summary: 'Rename, change settings or replace credentials (checked with the provider first)',
      description:
        "Changing one of the type's `endpointSettings` (an address its credentials are sent to) needs the credentials " +
        'in the same request; without them the answer is 422 naming `body.credentials`, whatever the role.',
      params: IdParams,
      body: Type.Object(
        { name: Type.Optional(ProviderName), credentials: Type.Optional(Json), settings: Type.Optional(Json), syncIntervalSeconds: Type.Optional(SyncInterval) },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: { 200: ProviderSchema, ...errors(...BODY_ERRORS, 404, 409, 422, 502) },
    },
  }, async (request) => providerView(await providers.update(request.actor, request.params.id, request.body)));

  app.delete('/providers/:id', {
    config: { access: 'operator' },
    schema: {
      tags: ['providers'],
      operationId: 'deleteProvider',
      summary: 'Stop managing a provider. Its machines are left running; its nodes are marked decommissioned',
      params: IdParams,
      response: { 200: Type.Object({ decommissioned: Type.Integer() }), ...errors(400, 404, 409) },
    },
  }, async (request) => providers.remove(request.actor, request.params.id));

  for (const [path, type, operationId, summary] of [
    ['refresh', 'provider.refresh', 'refreshProviderCatalog', 'Refresh the cached images, sizes, locations and networks'],
    ['sync', 'provider.sync', 'syncProvider', 'Sync nodes with what the provider lists now'],
  ] as const) {
    app.post(`/providers/:id/${path}`, {
      config: { access: 'operator' },
      schema: { tags: ['providers'], operationId, summary, params: IdParams, response: { 202: JobSchema, ...errors(400, 404) } },
    }, async (request, reply) => reply.code(202).send(jobView(await providers.enqueue(request.actor, request.params.id, type))));
  }

  const catalogQuery = Type.Object({
    page: PageQuery.page,
    limit: PageQuery.limit,
    search: Type.Optional(Type.String({ maxLength: 100 })),
    favourite: Type.Optional(Type.Boolean()),
  });
  for (const [kind, path, operationId] of [
    ['image', 'images', 'listProviderImages'],
    ['size', 'sizes', 'listProviderSizes'],
    ['location', 'locations', 'listProviderLocations'],
    ['network', 'networks', 'listProviderNetworks'],
  ] as const satisfies readonly (readonly [CatalogKind, string, string])[]) {
    app.get(`/providers/:id/${path}`, {
      config: { access: 'observer' },
      schema: {
        tags: ['providers'],
        operationId,
        summary: `Cached ${path}: favourites first, then recently used`,
        params: IdParams,
        querystring: catalogQuery,
        response: { 200: PageOf(CatalogItemSchema, 'CatalogItem'), ...errors(400, 404) },
      },
    }, async (request) => {
      await providers.get(request.params.id);
      const page = await app.services.catalog.list(request.params.id, kind, request.query);
      return { ...page, items: page.items.map(catalogView) };
    });
  }

  const FavouriteParams = Type.Object({ id: Uuid, imageId: Type.String({ minLength: 1, maxLength: 512 }) });
  for (const [method, favourite, operationId] of [
    ['put', true, 'addImageFavourite'],
    ['delete', false, 'removeImageFavourite'],
  ] as const) {
    app[method]('/providers/:id/images/:imageId/favourite', {
      config: { access: 'operator' },
      schema: { tags: ['providers'], operationId, params: FavouriteParams, response: { 200: CatalogItemSchema, ...errors(400, 404) } },
    }, async (request) => {
      await providers.get(request.params.id);
      return catalogView(await app.services.catalog.setFavourite(request.actor, request.params.id, request.params.imageId, favourite));
    });
  }
};
