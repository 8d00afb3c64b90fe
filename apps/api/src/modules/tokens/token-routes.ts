import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiTokenRow } from '../../db/entities/index.js';
import { PageOf, PageQuery } from '../../lib/pagination.js';
import { BODY_ERRORS, DateTime, IdParams, NullableDateTime, Uuid, errors } from '../../lib/schemas.js';

const TokenSchema = Type.Object(
  {
    id: Uuid,
    userId: Uuid,
    name: Type.String(),
    prefix: Type.String({ description: 'First characters of the secret, to recognise it' }),
    createdAt: DateTime,
    expiresAt: DateTime,
    lastUsedAt: NullableDateTime,
    revokedAt: NullableDateTime,
  },
  { title: 'ApiToken' },
);

function view(t: ApiTokenRow) {
  const { tokenHash: _hash, ...rest } = t;
  return rest;
}

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tokens = app.services.tokens;

  app.get('/tokens', {
    config: { access: 'observer' },
    schema: {
      tags: ['tokens'],
      operationId: 'listApiTokens',
      summary: 'Your API tokens (admins: everyone\'s)',
      querystring: Type.Object({ page: PageQuery.page, limit: PageQuery.limit }),
      response: { 200: PageOf(TokenSchema, 'ApiToken'), ...errors(400) },
    },
  }, async (request) => {
    const page = await tokens.list(request.actor, request.query);
    return { ...page, items: page.items.map(view) };
  });

  app.post('/tokens', {
    config: { access: 'observer', idempotent: true },
    schema: {
      tags: ['tokens'],
      operationId: 'createApiToken',
      summary: 'Create an API token for automation; its secret is shown only in this response',
      description:
        'Needs your password again: a wrong one is 403 and counts against the login limits (429 when they are used up). ' +
        'The token acts with your role until it expires (by default after OVERMIND_API_TOKEN_DAYS, 90 days), is revoked, ' +
        'or your password is changed or reset.',
      body: Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 100 }),
          password: Type.String({ minLength: 1, maxLength: 256, description: 'Your current password' }),
          expiresInDays: Type.Optional(Type.Integer({
            minimum: 1,
            maximum: 3650,
            description: "Lifetime; the server's default when absent, at most its OVERMIND_API_TOKEN_MAX_DAYS (365 unless configured)",
          })),
        },
        { additionalProperties: false },
      ),
      response: { 201: Type.Object({ token: TokenSchema, secret: Type.String() }), ...errors(...BODY_ERRORS, 429) },
    },
  }, async (request, reply) => {
    const { row, secret } = await tokens.create(request.actor, request.body);
    return reply.code(201).send({ token: view(row), secret });
  });

  app.delete('/tokens/:id', {
    config: { access: 'observer' },
    schema: { tags: ['tokens'], operationId: 'revokeApiToken', params: IdParams, response: { 200: TokenSchema, ...errors(400, 404) } },
  }, async (request) => view(await tokens.revoke(request.actor, request.params.id)));
};
