import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BODY_ERRORS, DateTime, errors, publicErrors } from '../../lib/schemas.js';
import { PublicUserSchema } from '../users/user-routes.js';
import { toPublicUser } from '../users/user-service.js';

const Password = Type.String({ minLength: 8, maxLength: 256 });

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      operationId: 'login',
      summary: 'Exchange a username and password for a bearer token',
      security: [],
      body: Type.Object(
        { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({ token: Type.String(), expiresAt: DateTime, user: PublicUserSchema }),
        ...publicErrors(...BODY_ERRORS, 401, 429),
      },
    },
  }, async (request) => {
    const { token, expiresAt, user } = await app.auth.login(request.body, { ip: request.ip, requestId: String(request.id) });
    return { token, expiresAt, user: toPublicUser(user) };
  });

  app.get('/auth/me', {
    config: { access: 'observer' },
    schema: {
      tags: ['auth'],
      operationId: 'getCurrentUser',
      summary: 'The user the presented token belongs to',
      response: { 200: PublicUserSchema, ...errors() },
    },
  }, async (request) => toPublicUser(await app.services.users.get(request.actor.id!)));

  app.post('/auth/password', {
    config: { access: 'observer' },
    schema: {
      tags: ['auth'],
      operationId: 'changeOwnPassword',
      summary: 'Change your own password (existing sessions end, API tokens are revoked)',
      description: 'A wrong current password is 403 and counts against the login limits (429 when they are used up).',
      body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Password }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...errors(...BODY_ERRORS, 429) },
    },
  }, async (request, reply) => {
    await app.auth.changeOwnPassword(request.actor, request.body);
    return reply.code(204).send(null);
  });
};
