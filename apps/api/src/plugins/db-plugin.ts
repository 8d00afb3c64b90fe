import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../db/data-source.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: DataSource;
  }
}

/** The TypeORM data source over `pg`. Migrations are applied before the app starts, never synchronize. */
export const dbPlugin = fp(
  async (app: FastifyInstance, opts: { url: string; poolSize?: number }) => {
    const db = createDataSource(opts.url, { poolSize: opts.poolSize });
    await db.initialize();
    app.decorate('db', db);
    app.addHook('onClose', async () => {
      await db.destroy();
    });
  },
  { name: 'db', fastify: '5.x' },
);
