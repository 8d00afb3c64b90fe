import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The service guarantee (docs/constellations.md): per member, where it is on its tier's remediation
 * ladder; per tier, its circuit breaker; every ladder step started, with who started it and how it
 * ended. And `after_seq` on apply steps: a replacement's destroy waits for its create.
 */
export class ServiceGuarantee1764000000021 implements MigrationInterface {
  name = 'ServiceGuarantee1764000000021';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE constellation_steps ADD COLUMN after_seq integer;

      CREATE TABLE guarantee_members (
        node_id uuid PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
        constellation_id uuid NOT NULL REFERENCES constellations(id) ON DELETE CASCADE,
        tier text NOT NULL,
        -- Seen unhealthy since (null: healthy), and why.
        unhealthy_since timestamptz,
        reason text,
        -- The next step of the ladder (an index into the tier's remediation list).
        rung integer NOT NULL DEFAULT 0,
        -- Steps started on it lately (the backoff doubles with each); reset once it stays healthy.
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        recovered_at timestamptz,
        -- The attempt in flight, if any.
        attempt_id uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX guarantee_members_constellation_idx ON guarantee_members (constellation_id, tier);

      CREATE TABLE guarantee_tiers (
        constellation_id uuid NOT NULL REFERENCES constellations(id) ON DELETE CASCADE,
        tier text NOT NULL,
        breaker text NOT NULL DEFAULT 'closed' CHECK (breaker IN ('closed', 'open')),
        -- When remediations failed lately (failed jobs, relapses, ladders run out), within the breaker's window.
        failures timestamptz[] NOT NULL DEFAULT '{}',
        tripped_at timestamptz,
        tripped_reason text,
        alert_id uuid REFERENCES alerts(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (constellation_id, tier)
      );

      CREATE TABLE guarantee_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        constellation_id uuid NOT NULL REFERENCES constellations(id) ON DELETE CASCADE,
        tier text NOT NULL,
        member_key text NOT NULL,
        node_id uuid NOT NULL,
        step text NOT NULL CHECK (step IN ('restart-service', 'converge', 'reboot', 'replace')),
        reason text NOT NULL,
        job_id uuid UNIQUE,
        -- The reconciler instance (host, process, random id) that started it.
        started_by text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        job_finished_at timestamptz,
        finished_at timestamptz,
        outcome text CHECK (outcome IN ('recovered', 'ineffective', 'failed', 'replaced')),
        detail text
      );
      CREATE INDEX guarantee_attempts_tier_idx ON guarantee_attempts (constellation_id, tier, started_at DESC);
      CREATE INDEX guarantee_attempts_node_idx ON guarantee_attempts (node_id, started_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE guarantee_attempts; DROP TABLE guarantee_tiers; DROP TABLE guarantee_members; ALTER TABLE constellation_steps DROP COLUMN after_seq');
  }
}
