import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A change to a user (deleted, role, password...) or to an API token (revoked, expiry, deleted) is
 * announced on `overmind_events` as `{"type":"principal","userId":...}`, whatever writes the row, so
 * every API process re-checks that user's open event streams and forgets its cached row at once.
 * Updates that change nothing of that kind (a token's last use) stay quiet. Postgres delivers one
 * notification per distinct payload per transaction, so deleting a user with many tokens sends one.
 */
export class PrincipalChangeNotify1764000000008 implements MigrationInterface {
  name = 'PrincipalChangeNotify1764000000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION overmind_principal_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        uid uuid;
      BEGIN
        IF TG_TABLE_NAME = 'users' THEN uid := OLD.id; ELSE uid := OLD.user_id; END IF;
        PERFORM pg_notify('overmind_events', json_build_object('type', 'principal', 'userId', uid)::text);
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER users_principal_changed AFTER UPDATE ON users
        FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION overmind_principal_changed();
      CREATE TRIGGER users_principal_deleted AFTER DELETE ON users
        FOR EACH ROW EXECUTE FUNCTION overmind_principal_changed();
      CREATE TRIGGER api_tokens_principal_changed AFTER UPDATE ON api_tokens
        FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
                           OR OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.token_hash IS DISTINCT FROM NEW.token_hash)
        EXECUTE FUNCTION overmind_principal_changed();
      CREATE TRIGGER api_tokens_principal_deleted AFTER DELETE ON api_tokens
        FOR EACH ROW EXECUTE FUNCTION overmind_principal_changed();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER api_tokens_principal_deleted ON api_tokens;
      DROP TRIGGER api_tokens_principal_changed ON api_tokens;
      DROP TRIGGER users_principal_deleted ON users;
      DROP TRIGGER users_principal_changed ON users;
      DROP FUNCTION overmind_principal_changed();
    `);
  }
}
