import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { RetryLaterError, UnprocessableError } from '../lib/errors.js';
import { errors } from '../lib/schemas.js';
import type { Claim } from '../modules/idempotency/idempotency-service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes an `Idempotency-Key` header: a repeat gets the first answer instead of running again. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotencyClaim: Claim | null;
  }
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

const KeyHeader = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^[\\x20-\\x7E]+$',
  description:
    'Any 1–255 printable ASCII characters, unique per operation (e.g. a UUID). A repeat of the request with the same key ' +
    'within 24 hours gets the first answer (with `Idempotent-Replayed: true`) instead of running again; the same key with ' +
    'another body answers 422, and while the first request still runs, 409 with Retry-After.',
});

function header(reply: FastifyReply, name: string): string | null {
  const value = reply.getHeader(name);
  return value === undefined ? null : String(value);
}

/**
 * The `Idempotency-Key` header on routes with `config.idempotent`: declared in their schema (so it
 * is validated and in the OpenAPI document), claimed before the handler runs, and the handler's
 * answer kept when it succeeded. Errors free the key: they changed nothing, and the client may retry.
 */
export const idempotencyPlugin = fp(
  async (app: FastifyInstance) => {
    const store = app.services.idempotency;
    app.decorateRequest('idempotencyClaim', null);

    app.addHook('onRoute', (route) => {
      if (!route.config?.idempotent) return;
      const methods = [route.method].flat();
      if (methods.some((m) => m !== 'POST') || route.config.access === 'public' || !route.schema) {
        throw new Error(`Route ${methods.join(',')} ${route.url}: idempotent routes are authenticated POSTs with a schema`);
      }
      const headers = (route.schema.headers ?? Type.Object({})) as ReturnType<typeof Type.Object>;
      route.schema.headers = Type.Object({ ...headers.properties, [IDEMPOTENCY_HEADER]: Type.Optional(KeyHeader) });
      // The answers a key can bring, where the route did not declare them already.
      route.schema.response = { ...errors(400, 409, 422), ...(route.schema.response as object) };
      // Hooks of these routes only: no other request pays for them.
      route.preHandler = [claim, ...[route.preHandler ?? []].flat()];
      route.onSend = [...[route.onSend ?? []].flat(), record];
    });

    async function claim(request: FastifyRequest, reply: FastifyReply) {
      const key = request.headers[IDEMPOTENCY_HEADER];
      if (typeof key !== 'string' || !request.actor?.id) return;
      const outcome = await store.claim({
        userId: request.actor.id,
        route: `${request.method} ${request.routeOptions.url}`,
        key,
        method: request.method,
        url: request.url,
        body: request.body,
      });
      switch (outcome.kind) {
        case 'claimed':
          request.idempotencyClaim = outcome.claim;
          return;
        case 'mismatch':
          throw new UnprocessableError('This Idempotency-Key was already used for a different request (another path or body): send a new key');
        case 'in-progress':
          throw new RetryLaterError('A request with this Idempotency-Key is still being processed: retry in a moment to get its answer', 1);
        case 'replay': {
          const { status, contentType, location, body } = outcome.response;
          reply.code(status).header(REPLAYED_HEADER, 'true');
          if (location) reply.header('location', location);
          if (contentType) reply.type(contentType);
          return reply.send(body);
        }
      }
    }

    async function record(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
      const claim = request.idempotencyClaim;
      if (!claim) return payload;
      request.idempotencyClaim = null;
      const ok = reply.statusCode >= 200 && reply.statusCode < 300 && (typeof payload === 'string' || Buffer.isBuffer(payload));
      try {
        if (ok) {
          const body = String(payload);
          await store.complete(claim, { status: reply.statusCode, contentType: header(reply, 'content-type'), location: header(reply, 'location'), body });
        } else {
          await store.release(claim);
        }
      } catch (err) {
        // The answer still goes out; the key stays in progress until its lease ends.
        request.log.error({ err }, 'could not record the outcome of an idempotent request');
      }
      return payload;
    }
  },
  { name: 'idempotency', fastify: '5.x', dependencies: ['services', 'auth'] },
);
