import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys of creating requests (the `Idempotency-Key` header): one row per user, route and
 * key. The primary key is what decides, atomically, which of two concurrent repeats runs.
 */
export class IdempotencyKeys1764000000006 implements MigrationInterface {
  name = 'IdempotencyKeys1764000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        route text NOT NULL,
        key text NOT NULL,
        fingerprint bytea NOT NULL,
        claim_id uuid NOT NULL,
        status smallint,
        response text,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, route, key)
      );
      CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
  }
}
