import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The commands each user ran through `POST /nodes/actions/run`, for the console's command history:
 * the text as the audit log keeps it (variables' values masked), the nodes, and the job.
 */
export class CommandHistory1764000000020 implements MigrationInterface {
  name = 'CommandHistory1764000000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE command_history (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        command text NOT NULL,
        node_ids uuid[] NOT NULL,
        job_id uuid REFERENCES jobs(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX command_history_user_idx ON command_history (user_id, created_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE command_history');
  }
}
