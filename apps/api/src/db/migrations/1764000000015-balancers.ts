import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Load balancers of providers and the nodes in their rotation (docs/load-balancers.md). */
export class Balancers1764000000015 implements MigrationInterface {
  name = 'Balancers1764000000015';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE balancers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider_id uuid NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
        provider_balancer_id text,
        name text NOT NULL,
        state text NOT NULL,
        state_message text,
        protocol text NOT NULL,
        port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
        member_port integer NOT NULL CHECK (member_port BETWEEN 1 AND 65535),
        algorithm text NOT NULL,
        address text,
        health_check jsonb,
        location_id text,
        host_node_id uuid REFERENCES nodes(id) ON DELETE SET NULL,
        options jsonb NOT NULL DEFAULT '{}',
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        destroyed_at timestamptz
      );
      CREATE INDEX balancers_provider_idx ON balancers (provider_id, created_at DESC, id DESC);
      CREATE TABLE balancer_members (
        balancer_id uuid NOT NULL REFERENCES balancers(id) ON DELETE CASCADE,
        node_id uuid NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
        member_id text,
        state text NOT NULL,
        state_message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (balancer_id, node_id)
      );
      CREATE INDEX balancer_members_node_idx ON balancer_members (node_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE balancer_members; DROP TABLE balancers;');
  }
}
