import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A constellation tier's balancer: the balancer row names its constellation and tier (one live
 * balancer per tier), and apply steps may attach an existing member to it. `phase_started_at` is
 * when a step entered its phase: how long a new member may take to become healthy is measured from it.
 */
export class ConstellationBalancers1764000000022 implements MigrationInterface {
  name = 'ConstellationBalancers1764000000022';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE balancers
        ADD COLUMN constellation_id uuid REFERENCES constellations(id) ON DELETE SET NULL,
        ADD COLUMN tier text,
        ADD CONSTRAINT balancers_tier_with_constellation CHECK ((constellation_id IS NULL) = (tier IS NULL));
      CREATE UNIQUE INDEX balancers_live_tier ON balancers (constellation_id, tier) WHERE constellation_id IS NOT NULL AND destroyed_at IS NULL;
      ALTER TABLE constellation_steps
        DROP CONSTRAINT constellation_steps_action_check,
        ADD CONSTRAINT constellation_steps_action_check CHECK (action IN ('create', 'configure', 'replace', 'destroy', 'attach')),
        ADD COLUMN phase_started_at timestamptz;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM constellation_steps WHERE action = 'attach';
      ALTER TABLE constellation_steps
        DROP COLUMN phase_started_at,
        DROP CONSTRAINT constellation_steps_action_check,
        ADD CONSTRAINT constellation_steps_action_check CHECK (action IN ('create', 'configure', 'replace', 'destroy'));
      DROP INDEX balancers_live_tier;
      ALTER TABLE balancers DROP CONSTRAINT balancers_tier_with_constellation, DROP COLUMN tier, DROP COLUMN constellation_id;
    `);
  }
}
