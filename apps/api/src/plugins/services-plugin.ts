import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { SecretBox, deriveKey } from '../lib/secret-box.js';
import type { ProviderRegistry } from '@overmind/provider';
import { createServices, type Services } from '../services.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    services: Services;
  }
}

export const servicesPlugin = fp(
  async (app: FastifyInstance, opts: { config: Config; masterKey: Buffer; registry: ProviderRegistry }) => {
    app.decorate('config', opts.config);
    app.decorate(
      'services',
      createServices({
        config: opts.config,
        db: app.db,
        boss: app.boss,
        events: app.events,
        secrets: new SecretBox(opts.masterKey),
        fingerprintKey: deriveKey(opts.masterKey, 'idempotency'),
        registry: opts.registry,
        log: app.log,
      }),
    );
  },
  { name: 'services', fastify: '5.x', dependencies: ['db', 'queue', 'events'] },
);
