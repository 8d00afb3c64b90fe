import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES } from '../../db/entities/index.js';
import { PageOf, PageQuery } from '../../lib/pagination.js';
import { BODY_ERRORS, DateTime, IdParams, Uuid, errors } from '../../lib/schemas.js';
import { toPublicUser } from './user-service.js';

export const RoleSchema = Type.Enum(ROLES, {
  description: 'admin: everything; operator: providers, nodes, jobs; observer: read only',
});

export const PublicUserSchema = Type.Object(
  { id: Uuid, username: Type.String(), role: RoleSchema, createdAt: DateTime, updatedAt: DateTime },
  { title: 'User' },
);

const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]*$' });
const Password = Type.String({ minLength: 8, maxLength: 256 });

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const users = app.services.users;

  app.get('/users', {
    config: { access: 'admin' },
    schema: {
      tags: ['users'],
      operationId: 'listUsers',
      querystring: Type.Object({ ...PageQuery, search: Type.Optional(Type.String({ maxLength: 64 })), role: Type.Optional(RoleSchema) }),
      response: { 200: PageOf(PublicUserSchema, 'User'), ...errors(400) },
    },
  }, async (request) => {
    const page = await users.list(request.query);
    return { ...page, items: page.items.map(toPublicUser) };
  });

  app.post('/users', {
    config: { access: 'admin', idempotent: true },
    schema: {
      tags: ['users'],
      operationId: 'createUser',
      body: Type.Object({ username: Username, password: Password, role: RoleSchema }, { additionalProperties: false }),
      response: { 201: PublicUserSchema, ...errors(...BODY_ERRORS, 409) },
    },
  }, async (request, reply) => reply.code(201).send(toPublicUser(await users.create(request.actor, request.body))));

  app.get('/users/:id', {
    config: { access: 'admin' },
    schema: { tags: ['users'], operationId: 'getUser', params: IdParams, response: { 200: PublicUserSchema, ...errors(400, 404) } },
  }, async (request) => toPublicUser(await users.get(request.params.id)));

  app.patch('/users/:id', {
    config: { access: 'admin' },
    schema: {
      tags: ['users'],
      operationId: 'updateUser',
      summary: "Change a user's role or reset their password",
      params: IdParams,
      body: Type.Object({ role: Type.Optional(RoleSchema), password: Type.Optional(Password) }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: PublicUserSchema, ...errors(...BODY_ERRORS, 404, 409) },
    },
  }, async (request) => toPublicUser(await users.update(request.actor, request.params.id, request.body)));

  app.delete('/users/:id', {
    config: { access: 'admin' },
    schema: { tags: ['users'], operationId: 'deleteUser', params: IdParams, response: { 204: Type.Null(), ...errors(400, 404, 409) } },
  }, async (request, reply) => {
    await users.remove(request.actor, request.params.id);
    return reply.code(204).send(null);
  });
};
