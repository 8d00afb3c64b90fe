import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role, UserRow } from '../db/entities/index.js';
import { hasRole, type Actor } from '../lib/actor.js';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../lib/errors.js';
import { createAuthService, type AuthService, type JwtClaims } from '../modules/auth/auth-service.js';
import { TOKEN_PREFIX } from '../modules/tokens/token-service.js';
import { VerifiedTokens } from '../modules/auth/verified-tokens.js';

export type Access = Role | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Least role a route needs, or `public`. Every /api/v1 route must say. */
    access?: Access;
    /** Also accept the token as `?access_token=` (for EventSource, which cannot send headers). */
    queryToken?: boolean;
  }
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyInstance {
    auth: AuthService;
    /**
     * Checks a request's credentials again, as its onRequest hook did, with the user re-read from the
     * database: for requests that outlive their check, like an event stream. Throws 401/403 errors.
     */
    reauthenticate(request: FastifyRequest): Promise<UserRow>;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: JwtClaims;
  }
}

// A user's row is re-read at most this often per process, so role changes, password resets and
// deletions take effect within seconds without a query on every request.
const USER_CACHE_MS = 5_000;

export const authPlugin = fp(
  async (app: FastifyInstance, opts: { jwtKey: Buffer; tokenTtlSeconds: number }) => {
    await app.register(fastifyJwt, {
      secret: opts.jwtKey,
      sign: { expiresIn: opts.tokenTtlSeconds, algorithm: 'HS256' },
      verify: { algorithms: ['HS256'] },
    });
    // A token seen before is not verified again until it expires (1,000 tokens); revocation is the
    // user check below, on every request.
    const verified = new VerifiedTokens((token) => app.jwt.verify<JwtClaims & { exp?: number }>(token));
    const { users, tokens, audit, passwords } = app.services;
    app.decorate(
      'auth',
      createAuthService({
        passwords,
        users,
        audit,
        sign: (claims) => app.jwt.sign(claims),
        tokenTtlSeconds: opts.tokenTtlSeconds,
      }),
    );
    app.decorateRequest('actor', null as unknown as Actor);

    const cache = new Map<string, { user: UserRow | null; at: number }>();
    async function loadUser(id: string, fresh: boolean): Promise<UserRow | null> {
      const hit = cache.get(id);
      if (!fresh && hit && Date.now() - hit.at < USER_CACHE_MS) return hit.user;
      // Only a user that does not exist is no user: a database that cannot answer is an error, not a
      // 401 (an event stream being re-checked keeps going through a moment without its database).
      const user = await users.get(id).catch((err: unknown) => {
        if (err instanceof NotFoundError) return null;
        throw err;
      });
      if (cache.size > 10_000) cache.clear();
      cache.set(id, { user, at: Date.now() });
      return user;
    }

    function presented(request: FastifyRequest): string | null {
      const header = request.headers.authorization;
      if (header) {
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match) throw new UnauthorizedError('Authorization header must be "Bearer <token>"');
        return match[1]!;
      }
      if (request.routeOptions.config.queryToken) {
        const q = (request.query as Record<string, unknown> | undefined)?.access_token;
        if (typeof q === 'string' && q) return q;
      }
      return null;
    }

    async function authenticate(request: FastifyRequest, fresh = false): Promise<UserRow> {
      const token = presented(request);
      if (!token) throw new UnauthorizedError();
      if (token.startsWith(TOKEN_PREFIX)) {
        const found = await tokens.authenticate(token);
        if (!found) throw new UnauthorizedError('API token is unknown, revoked or expired');
        return found.user;
      }
      let claims: JwtClaims;
      try {
        claims = verified.claimsOf(token);
      } catch {
        throw new UnauthorizedError('Token is invalid or expired: log in again');
      }
      const user = await loadUser(claims.sub, fresh);
      if (!user || user.passwordChangedAt.getTime() !== claims.pwd) {
        throw new UnauthorizedError('Token is no longer valid: log in again');
      }
      return user;
    }

    // Changes made through this process take effect at once here; other processes see them when
    // the database announces them (a trigger), or within USER_CACHE_MS should that be missed.
    app.events.onPrincipalChange((userId) => cache.delete(userId));
    app.events.subscribe((event) => {
      if (event.type === 'resync') cache.clear();
    });
    app.addHook('onResponse', (request, _reply, done) => {
      const url = request.routeOptions.url;
      if (request.method !== 'GET' && url !== undefined) {
        if (url.startsWith('/api/v1/users/')) cache.delete((request.params as { id?: string }).id ?? '');
        if (url === '/api/v1/auth/password' && request.actor) cache.delete(request.actor.id ?? '');
      }
      done();
    });

    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/api/v1/') && !route.config?.access) {
        throw new Error(`Route ${route.method} ${route.url} does not declare config.access`);
      }
    });

    function authorize(user: UserRow, access: Role): void {
      if (!hasRole(user.role, access)) {
        throw new ForbiddenError(`Your role (${user.role}) cannot do this; it needs ${access}`);
      }
    }

    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config?.access;
      if (!access || access === 'public') return;
      const user = await authenticate(request);
      request.actor = { id: user.id, username: user.username, role: user.role, ip: request.ip, requestId: String(request.id) };
      authorize(user, access);
    });

    app.decorate('reauthenticate', async (request: FastifyRequest) => {
      const access = request.routeOptions.config?.access;
      if (!access || access === 'public') throw new Error('reauthenticate() is for routes that need a role');
      const user = await authenticate(request, true);
      authorize(user, access);
      return user;
    });
  },
  { name: 'auth', fastify: '5.x', dependencies: ['services', 'events'] },
);
