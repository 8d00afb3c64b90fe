import type { MigrationInterface, QueryRunner } from 'typeorm';

const iso = (column: string) => `to_char(NEW.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The node list's JSON (see 1764000000004) up to the agent's state (1764000000009), then `extra`. */
const listJson = (extra: string) => `
      CREATE OR REPLACE FUNCTION nodes_list_json() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        NEW.list_json := row_to_json(v)::text FROM (SELECT
          NEW.id AS "id", NEW.provider_id AS "providerId", NEW.provider_node_id AS "providerNodeId",
          NEW.name AS "name", NEW.state AS "state", NEW.public_ips AS "publicIps", NEW.private_ips AS "privateIps",
          NEW.image_id AS "imageId", NEW.size_id AS "sizeId", NEW.location_id AS "locationId",
          NEW.extra AS "extra", NEW.tags AS "tags", NEW.facts AS "facts", NEW.created_by AS "createdBy",
          ${iso('created_at')} AS "createdAt", ${iso('updated_at')} AS "updatedAt",
          NEW.destroyed_by AS "destroyedBy", ${iso('destroyed_at')} AS "destroyedAt",
          ${iso('decommissioned_at')} AS "decommissionedAt",
          NEW.config_mode AS "configMode",
          CASE WHEN NEW.agent_id IS NULL THEN NULL
               ELSE json_build_object('id', NEW.agent_id, 'state', NEW.agent_state, 'since', ${iso('agent_state_since')}) END AS "agent"${extra}) v;
        RETURN NEW;
      END
      $fn$;
      UPDATE nodes SET list_json = NULL;`;

/**
 * Nagios-style checks run by agents: definitions scoped to a server role, a tag or one node; the
 * latest result of each check on each node; the history of state changes; and the node's health (the
 * worst of its check states, or `stale`) on the node row, in list_json for the node list.
 *
 * What applies to a node changes with its tags and its server role, which other code writes: triggers
 * tell the agent gateways (NOTIFY on the agents' channel) so the node's agent gets its new set.
 */
export class Checks1764000000011 implements MigrationInterface {
  name = 'Checks1764000000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE checks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        command text NOT NULL,
        args text[] NOT NULL DEFAULT '{}',
        shell boolean NOT NULL DEFAULT false,
        interval_seconds integer NOT NULL CHECK (interval_seconds > 0),
        timeout_seconds integer NOT NULL CHECK (timeout_seconds > 0),
        scope_kind text NOT NULL CHECK (scope_kind IN ('role', 'tag', 'node')),
        scope_role_id uuid REFERENCES server_roles (id) ON DELETE CASCADE,
        scope_tag text,
        scope_node_id uuid REFERENCES nodes (id) ON DELETE CASCADE,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((scope_kind = 'role') = (scope_role_id IS NOT NULL)
           AND (scope_kind = 'tag') = (scope_tag IS NOT NULL)
           AND (scope_kind = 'node') = (scope_node_id IS NOT NULL))
      );
      CREATE INDEX checks_scope_role_idx ON checks (scope_role_id) WHERE scope_role_id IS NOT NULL;
      CREATE INDEX checks_scope_tag_idx ON checks (scope_tag) WHERE scope_tag IS NOT NULL;
      CREATE INDEX checks_scope_node_idx ON checks (scope_node_id) WHERE scope_node_id IS NOT NULL;

      -- The latest result of each check on each node.
      CREATE TABLE node_checks (
        node_id uuid NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
        check_id uuid NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
        state smallint NOT NULL CHECK (state BETWEEN 0 AND 3),
        output text NOT NULL,
        long_output text NOT NULL,
        perfdata jsonb NOT NULL,
        duration_ms integer NOT NULL,
        checked_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        state_since timestamptz NOT NULL,
        PRIMARY KEY (node_id, check_id)
      );
      CREATE INDEX node_checks_check_idx ON node_checks (check_id);
      -- Health goes stale when no result arrived for a while: found from here, so results do not rewrite the node row.
      CREATE INDEX node_checks_received_idx ON node_checks (node_id, received_at DESC);

      -- Every change of a check's state on a node (the first result counts as one). Kept when the
      -- check is deleted: the name says what it was.
      CREATE TABLE check_state_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        node_id uuid NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
        check_id uuid NOT NULL,
        check_name text NOT NULL,
        state smallint NOT NULL CHECK (state BETWEEN 0 AND 3),
        previous_state smallint CHECK (previous_state BETWEEN 0 AND 3),
        output text NOT NULL,
        at timestamptz NOT NULL
      );
      CREATE INDEX check_state_changes_node_idx ON check_state_changes (node_id, at DESC, id DESC);

      ALTER TABLE nodes
        ADD COLUMN health text CHECK (health IN ('ok', 'warning', 'critical', 'unknown', 'stale')),
        ADD COLUMN health_since timestamptz;
      CREATE INDEX nodes_health_idx ON nodes (health) WHERE health IS NOT NULL;

      CREATE FUNCTION checks_scope_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        node uuid;
      BEGIN
        IF TG_TABLE_NAME = 'nodes' THEN node := NEW.id;
        ELSIF TG_OP = 'DELETE' THEN node := OLD.node_id;
        ELSE node := NEW.node_id;
        END IF;
        PERFORM pg_notify('overmind_agents', json_build_object('t', 'checks', 'nodes', json_build_array(node))::text);
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER nodes_checks_scope AFTER UPDATE OF tags ON nodes
        FOR EACH ROW WHEN (OLD.tags IS DISTINCT FROM NEW.tags) EXECUTE FUNCTION checks_scope_changed();
      CREATE TRIGGER server_role_nodes_checks_scope AFTER INSERT OR DELETE OR UPDATE OF server_role_id ON server_role_nodes
        FOR EACH ROW EXECUTE FUNCTION checks_scope_changed();
    ` + listJson(`,
          NEW.health AS "health", ${iso('health_since')} AS "healthSince"`));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER nodes_checks_scope ON nodes;
      DROP TRIGGER server_role_nodes_checks_scope ON server_role_nodes;
      DROP FUNCTION checks_scope_changed();
      DROP INDEX nodes_health_idx;
      ALTER TABLE nodes DROP COLUMN health, DROP COLUMN health_since;
      DROP TABLE check_state_changes, node_checks, checks;
    ` + listJson(''));
  }
}
