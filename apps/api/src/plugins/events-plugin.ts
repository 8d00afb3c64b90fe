import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { EventBus } from '../modules/events/event-bus.js';

declare module 'fastify' {
  interface FastifyInstance {
    events: EventBus;
  }
}

/** The event bus over Postgres LISTEN/NOTIFY. */
export const eventsPlugin = fp(
  async (app: FastifyInstance, opts: { url: string; listen: boolean }) => {
    const bus = new EventBus(app.db, opts.url, app.log);
    if (opts.listen) await bus.start();
    app.decorate('events', bus);
    app.addHook('onClose', async () => {
      await bus.close();
    });
  },
  { name: 'events', fastify: '5.x', dependencies: ['db'] },
);
