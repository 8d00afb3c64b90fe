import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts: rules (a check state, or a reading over or under a threshold, held for a duration, for the
 * nodes of a server role, a tag, one node or all nodes) and the alerts they raise. At most one alert
 * per rule and node is firing at a time (a partial unique index), whichever process evaluates.
 */
export class Alerts1764000000012 implements MigrationInterface {
  name = 'Alerts1764000000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        kind text NOT NULL CHECK (kind IN ('check', 'reading')),
        -- kind = check: the least severity that fires (1 warning, 2 unknown, 3 critical), optionally one check.
        check_severity smallint CHECK (check_severity BETWEEN 1 AND 3),
        check_id uuid,
        -- kind = reading: a series name (cpu.total, memory.used_pct, fs./.used_pct, load.1, ...).
        metric text,
        op text CHECK (op IN ('above', 'below')),
        threshold double precision,
        duration_seconds integer NOT NULL DEFAULT 0 CHECK (duration_seconds >= 0),
        scope_kind text NOT NULL CHECK (scope_kind IN ('all', 'role', 'tag', 'node')),
        scope_role_id uuid REFERENCES server_roles (id) ON DELETE CASCADE,
        scope_tag text,
        scope_node_id uuid REFERENCES nodes (id) ON DELETE CASCADE,
        webhook_url text,
        webhook_secret_enc text,
        emails text[] NOT NULL DEFAULT '{}',
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'check') = (check_severity IS NOT NULL)
           AND (kind = 'reading') = (metric IS NOT NULL AND op IS NOT NULL AND threshold IS NOT NULL)),
        CHECK ((scope_kind = 'role') = (scope_role_id IS NOT NULL)
           AND (scope_kind = 'tag') = (scope_tag IS NOT NULL)
           AND (scope_kind = 'node') = (scope_node_id IS NOT NULL)),
        CHECK ((webhook_url IS NULL) = (webhook_secret_enc IS NULL))
      );

      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Kept when the rule is deleted (its alerts are resolved first): the name says what it was.
        rule_id uuid REFERENCES alert_rules (id) ON DELETE SET NULL,
        rule_name text NOT NULL,
        node_id uuid NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
        state text NOT NULL CHECK (state IN ('firing', 'resolved')),
        summary text NOT NULL,
        value double precision,
        fired_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        acknowledged_by uuid REFERENCES users (id) ON DELETE SET NULL,
        acknowledged_at timestamptz,
        CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))
      );
      CREATE UNIQUE INDEX alerts_open_uq ON alerts (rule_id, node_id) WHERE state = 'firing';
      CREATE INDEX alerts_fired_idx ON alerts (fired_at DESC, id);
      CREATE INDEX alerts_node_idx ON alerts (node_id, fired_at DESC);
      CREATE INDEX alerts_rule_idx ON alerts (rule_id, fired_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE alerts; DROP TABLE alert_rules;');
  }
}
