import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'operator', 'observer')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        password_changed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_username_key ON users (lower(username));

      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

      CREATE TABLE providers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type text NOT NULL,
        name text NOT NULL,
        credentials_enc text NOT NULL,
        settings jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'unknown' CHECK (status IN ('ok', 'error', 'unknown')),
        status_message text,
        sync_interval_seconds integer NOT NULL CHECK (sync_interval_seconds >= 60),
        last_sync_at timestamptz,
        last_sync_status text,
        catalog_refreshed_at timestamptz,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      );
      CREATE UNIQUE INDEX providers_name_key ON providers (lower(name)) WHERE deleted_at IS NULL;

      CREATE TABLE nodes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider_id uuid NOT NULL REFERENCES providers (id),
        provider_node_id text,
        name text NOT NULL,
        state text NOT NULL,
        public_ips text[] NOT NULL DEFAULT '{}',
        private_ips text[] NOT NULL DEFAULT '{}',
        image_id text,
        size_id text,
        location_id text,
        extra jsonb NOT NULL DEFAULT '{}',
        tags text[] NOT NULL DEFAULT '{}',
        facts jsonb,
        idempotency_key uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        destroyed_by uuid REFERENCES users (id) ON DELETE SET NULL,
        destroyed_at timestamptz,
        decommissioned_at timestamptz,
        UNIQUE (provider_id, provider_node_id)
      );
      CREATE INDEX nodes_provider_idx ON nodes (provider_id, name);
      CREATE INDEX nodes_name_idx ON nodes (name, id);
      CREATE INDEX nodes_state_idx ON nodes (state);
      CREATE INDEX nodes_tags_idx ON nodes USING gin (tags);

      CREATE TABLE catalog_items (
        provider_id uuid NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('image', 'size', 'location')),
        item_id text NOT NULL,
        name text NOT NULL,
        data jsonb NOT NULL,
        favourite boolean NOT NULL DEFAULT false,
        last_used_at timestamptz,
        refreshed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider_id, kind, item_id)
      );

      CREATE TABLE jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type text NOT NULL,
        target_type text NOT NULL,
        target_id uuid NOT NULL,
        provider_id uuid REFERENCES providers (id),
        state text NOT NULL DEFAULT 'queued'
          CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        result jsonb,
        error text,
        queue_job_id uuid,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX jobs_target_idx ON jobs (target_id, created_at DESC);
      CREATE INDEX jobs_created_idx ON jobs (created_at DESC);
      CREATE INDEX jobs_state_idx ON jobs (state) WHERE state IN ('queued', 'running');

      CREATE TABLE job_logs (
        id bigserial PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        level text NOT NULL DEFAULT 'info',
        line text NOT NULL
      );
      CREATE INDEX job_logs_job_idx ON job_logs (job_id, id);

      CREATE TABLE audit_events (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_name text,
        action text NOT NULL,
        target_type text,
        target_id text,
        ip text,
        request_id text,
        outcome text NOT NULL DEFAULT 'success',
        details jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_events_at_idx ON audit_events (at DESC);
      CREATE INDEX audit_events_action_idx ON audit_events (action, at DESC);
      CREATE INDEX audit_events_target_idx ON audit_events (target_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_events, job_logs, jobs, catalog_items, nodes, providers, api_tokens, users;
    `);
  }
}
