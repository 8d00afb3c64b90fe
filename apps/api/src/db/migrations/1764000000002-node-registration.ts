import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registered (dedicated) nodes: their registration (address, SSH and BMC login) sealed like provider
 * credentials, and the driver's non-secret state (pinned host key, facts, last power action).
 */
export class NodeRegistration1764000000002 implements MigrationInterface {
  name = 'NodeRegistration1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE nodes ADD COLUMN registration_enc text, ADD COLUMN driver_state jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE nodes DROP COLUMN registration_enc, DROP COLUMN driver_state`);
  }
}
