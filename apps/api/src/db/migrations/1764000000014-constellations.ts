import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Constellations: a named group of tiers kept as versioned specs (each change a new version row),
 * the members (one node per tier and ordinal: `web-2` stays `web-2` whatever else is removed), and
 * the steps of each apply, one row per member action, keyed by the apply's parent job.
 */
export class Constellations1764000000014 implements MigrationInterface {
  name = 'Constellations1764000000014';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE constellations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        latest_version integer NOT NULL DEFAULT 1,
        -- The version the members are being (or were last) brought to: what a configure reads.
        target_version integer,
        applied_version integer,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        destroyed_at timestamptz
      );
      CREATE UNIQUE INDEX constellations_live_name ON constellations (lower(name)) WHERE destroyed_at IS NULL;

      CREATE TABLE constellation_versions (
        constellation_id uuid NOT NULL REFERENCES constellations(id) ON DELETE CASCADE,
        version integer NOT NULL,
        spec jsonb NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (constellation_id, version)
      );

      CREATE TABLE constellation_members (
        constellation_id uuid NOT NULL REFERENCES constellations(id) ON DELETE CASCADE,
        tier text NOT NULL,
        ordinal integer NOT NULL CHECK (ordinal > 0),
        node_id uuid NOT NULL UNIQUE REFERENCES nodes(id) ON DELETE CASCADE,
        -- Hash of what the member was last configured with (role, run list, attributes, outputs).
        applied_hash text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (constellation_id, tier, ordinal)
      );

      CREATE TABLE constellation_steps (
        job_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        seq integer NOT NULL,
        tier text NOT NULL,
        ordinal integer NOT NULL,
        action text NOT NULL CHECK (action IN ('create', 'configure', 'replace', 'destroy')),
        reasons text[] NOT NULL DEFAULT '{}',
        node_id uuid,
        phase text NOT NULL DEFAULT 'pending',
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
        child_job_id uuid,
        error text,
        PRIMARY KEY (job_id, seq)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE constellation_steps; DROP TABLE constellation_members; DROP TABLE constellation_versions; DROP TABLE constellations');
  }
}
