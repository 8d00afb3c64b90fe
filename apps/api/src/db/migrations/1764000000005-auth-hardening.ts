import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login attempts counted atomically in the database (shared by every API process), and API tokens
 * that always expire: those made without an expiry get one default lifetime (90 days) from now.
 */
export class AuthHardening1764000000005 implements MigrationInterface {
  name = 'AuthHardening1764000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_attempts (
        ip text NOT NULL,
        username text NOT NULL,
        attempts integer NOT NULL CHECK (attempts >= 0),
        window_ends_at timestamptz NOT NULL,
        PRIMARY KEY (ip, username)
      );
      COMMENT ON COLUMN login_attempts.username IS 'lower-cased; the empty string counts every username from the address';
      CREATE INDEX login_attempts_window_idx ON login_attempts (window_ends_at);

      UPDATE api_tokens SET expires_at = coalesce(revoked_at, greatest(now(), created_at) + interval '90 days')
       WHERE expires_at IS NULL;
      ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_tokens ALTER COLUMN expires_at DROP NOT NULL; DROP TABLE login_attempts');
  }
}
