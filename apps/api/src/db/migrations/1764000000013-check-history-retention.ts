import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Check state history expires (OVERMIND_CHECK_HISTORY_DAYS): the purge finds the oldest rows by
 * time, in batches, through this index instead of reading the whole table every run.
 */
export class CheckHistoryRetention1764000000013 implements MigrationInterface {
  name = 'CheckHistoryRetention1764000000013';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX check_state_changes_at_idx ON check_state_changes (at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX check_state_changes_at_idx');
  }
}
