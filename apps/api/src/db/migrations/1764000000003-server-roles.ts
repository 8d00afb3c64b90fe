import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Server roles (a machine type plus a configuration to apply) and which nodes belong to which role,
 * with the host key pinned at the first configure and the initial configure job queued once.
 */
export class ServerRoles1764000000003 implements MigrationInterface {
  name = 'ServerRoles1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE server_roles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        provider_id uuid NOT NULL REFERENCES providers (id),
        location_id text NOT NULL,
        size_id text NOT NULL,
        image_id text NOT NULL,
        run_list text[] NOT NULL DEFAULT '{}',
        attributes jsonb NOT NULL DEFAULT '{}',
        environment text,
        cm_kind text NOT NULL DEFAULT 'chef-solo',
        cm_settings jsonb NOT NULL DEFAULT '{}',
        ssh jsonb NOT NULL,
        ssh_key_enc text NOT NULL,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX server_roles_name_key ON server_roles (lower(name));
      CREATE TABLE server_role_nodes (
        node_id uuid PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
        server_role_id uuid NOT NULL REFERENCES server_roles (id) ON DELETE CASCADE,
        host_key_fingerprint text,
        first_configure_job_id uuid,
        last_configured_at timestamptz,
        last_configure_status text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX server_role_nodes_role_idx ON server_role_nodes (server_role_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE server_role_nodes; DROP TABLE server_roles');
  }
}
