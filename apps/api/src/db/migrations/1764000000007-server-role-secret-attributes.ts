import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secret attributes of server roles: the values sealed like provider credentials, their paths in
 * the clear (the API shows which are set, never their values).
 */
export class ServerRoleSecretAttributes1764000000007 implements MigrationInterface {
  name = 'ServerRoleSecretAttributes1764000000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE server_roles ADD COLUMN secret_attributes_enc text, ADD COLUMN secret_attribute_keys text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE server_roles DROP COLUMN secret_attributes_enc, DROP COLUMN secret_attribute_keys`);
  }
}
