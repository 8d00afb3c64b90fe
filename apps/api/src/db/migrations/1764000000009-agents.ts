import type { MigrationInterface, QueryRunner } from 'typeorm';

const iso = (column: string) => `to_char(NEW.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The pull architecture: join tokens, enrolled agents (public keys only), runs offered to them, and
 * the configuration mode of nodes and server roles. A node row carries its agent's connection state
 * (changed on connect and disconnect, never on heartbeats) so the node list shows it from list_json.
 */
export class Agents1764000000009 implements MigrationInterface {
  name = 'Agents1764000000009';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agent_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        node_id uuid REFERENCES nodes (id) ON DELETE CASCADE,
        description text,
        expires_at timestamptz NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        agent_id uuid,
        revoked_at timestamptz,
        revoked_by uuid
      );

      CREATE TABLE agents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        node_id uuid REFERENCES nodes (id) ON DELETE SET NULL,
        public_key text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('pending', 'active', 'rejected', 'revoked')),
        hostname text NOT NULL,
        agent_version text NOT NULL,
        capabilities text[] NOT NULL DEFAULT '{}',
        token_id uuid,
        connected boolean NOT NULL DEFAULT false,
        connection_id text,
        state_since timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz,
        last_run_id uuid,
        facts jsonb,
        facts_hash text,
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid,
        decided_at timestamptz
      );
      CREATE UNIQUE INDEX agents_one_active_per_node ON agents (node_id) WHERE status = 'active';
      CREATE INDEX agents_status_idx ON agents (status, created_at);

      CREATE TABLE agent_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        node_id uuid NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
        agent_id uuid,
        kind text NOT NULL CHECK (kind IN ('command', 'converge')),
        spec_enc text NOT NULL,
        state text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed-out')),
        deadline timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        accepted_at timestamptz,
        finished_at timestamptz,
        exit_code integer,
        signal text,
        summary text,
        error text,
        failed_step text,
        log_lines integer,
        duration_ms integer,
        UNIQUE (job_id, node_id)
      );
      CREATE INDEX agent_runs_open_node_idx ON agent_runs (node_id) WHERE state IN ('queued', 'running');
      CREATE INDEX agent_runs_open_deadline_idx ON agent_runs (deadline) WHERE state IN ('queued', 'running');

      ALTER TABLE job_logs ADD COLUMN run_id uuid, ADD COLUMN run_seq integer;
      CREATE UNIQUE INDEX job_logs_run_seq_idx ON job_logs (run_id, run_seq) WHERE run_id IS NOT NULL;

      ALTER TABLE server_roles
        ADD COLUMN config_mode text NOT NULL DEFAULT 'push' CHECK (config_mode IN ('push', 'pull')),
        ADD COLUMN converge_interval_seconds integer,
        ADD COLUMN converge_splay_seconds integer NOT NULL DEFAULT 0;

      ALTER TABLE nodes
        ADD COLUMN config_mode text CHECK (config_mode IN ('push', 'pull')),
        ADD COLUMN agent_id uuid,
        ADD COLUMN agent_state text CHECK (agent_state IN ('pending', 'connected', 'disconnected')),
        ADD COLUMN agent_state_since timestamptz;

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
               ELSE json_build_object('id', NEW.agent_id, 'state', NEW.agent_state, 'since', ${iso('agent_state_since')}) END AS "agent") v;
        RETURN NEW;
      END
      $fn$;
      UPDATE nodes SET list_json = NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION nodes_list_json() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        NEW.list_json := row_to_json(v)::text FROM (SELECT
          NEW.id AS "id", NEW.provider_id AS "providerId", NEW.provider_node_id AS "providerNodeId",
          NEW.name AS "name", NEW.state AS "state", NEW.public_ips AS "publicIps", NEW.private_ips AS "privateIps",
          NEW.image_id AS "imageId", NEW.size_id AS "sizeId", NEW.location_id AS "locationId",
          NEW.extra AS "extra", NEW.tags AS "tags", NEW.facts AS "facts", NEW.created_by AS "createdBy",
          ${iso('created_at')} AS "createdAt", ${iso('updated_at')} AS "updatedAt",
          NEW.destroyed_by AS "destroyedBy", ${iso('destroyed_at')} AS "destroyedAt",
          ${iso('decommissioned_at')} AS "decommissionedAt") v;
        RETURN NEW;
      END
      $fn$;
      ALTER TABLE nodes DROP COLUMN config_mode, DROP COLUMN agent_id, DROP COLUMN agent_state, DROP COLUMN agent_state_since;
      ALTER TABLE server_roles DROP COLUMN config_mode, DROP COLUMN converge_interval_seconds, DROP COLUMN converge_splay_seconds;
      DROP INDEX job_logs_run_seq_idx;
      ALTER TABLE job_logs DROP COLUMN run_id, DROP COLUMN run_seq;
      DROP TABLE agent_runs, agents, agent_tokens;
      UPDATE nodes SET list_json = NULL;
    `);
  }
}
