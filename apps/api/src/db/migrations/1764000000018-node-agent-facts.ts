import type { MigrationInterface, QueryRunner } from 'typeorm';

const iso = (column: string) => `to_char(NEW.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The node list's JSON as 1764000000011 left it, but with `facts` given by the expression `facts`. */
const listJson = (facts: string) => `
      CREATE OR REPLACE FUNCTION nodes_list_json() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        NEW.list_json := row_to_json(v)::text FROM (SELECT
          NEW.id AS "id", NEW.provider_id AS "providerId", NEW.provider_node_id AS "providerNodeId",
          NEW.name AS "name", NEW.state AS "state", NEW.public_ips AS "publicIps", NEW.private_ips AS "privateIps",
          NEW.image_id AS "imageId", NEW.size_id AS "sizeId", NEW.location_id AS "locationId",
          NEW.extra AS "extra", NEW.tags AS "tags", ${facts} AS "facts", NEW.created_by AS "createdBy",
          ${iso('created_at')} AS "createdAt", ${iso('updated_at')} AS "updatedAt",
          NEW.destroyed_by AS "destroyedBy", ${iso('destroyed_at')} AS "destroyedAt",
          ${iso('decommissioned_at')} AS "decommissionedAt",
          NEW.config_mode AS "configMode",
          CASE WHEN NEW.agent_id IS NULL THEN NULL
               ELSE json_build_object('id', NEW.agent_id, 'state', NEW.agent_state, 'since', ${iso('agent_state_since')}) END AS "agent",
          NEW.health AS "health", ${iso('health_since')} AS "healthSince") v;
        RETURN NEW;
      END
      $fn$;
      UPDATE nodes SET list_json = NULL;`;

/**
 * A node's facts as shown and searched: the registration's (gathered over SSH) where it has them,
 * else its agent's. The agent's are copied onto the node row (`agent_facts`) so the node list stays
 * one query on one table with a GIN index over the shown facts; they change rarely (the agent sends
 * facts only when their hash changes), so the copy costs a node-row write now and then. A trigger on
 * agents keeps the copy; one on nodes fetches it when the node gets another agent.
 */
export class NodeAgentFacts1764000000018 implements MigrationInterface {
  name = 'NodeAgentFacts1764000000018';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE nodes ADD COLUMN agent_facts jsonb;
      -- Fires before nodes_list_json (triggers of a kind run in name order), so the view sees the copy.
      CREATE FUNCTION nodes_agent_facts() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        NEW.agent_facts := (SELECT facts FROM agents WHERE id = NEW.agent_id);
        RETURN NEW;
      END
      $fn$;
      CREATE TRIGGER nodes_agent_facts BEFORE INSERT OR UPDATE OF agent_id ON nodes
        FOR EACH ROW EXECUTE FUNCTION nodes_agent_facts();
      CREATE FUNCTION agents_facts_to_node() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        -- By the node's primary key (nodes.agent_id has no index: 10,000 agents' first facts would
        -- each scan the table), and only the node this agent is the agent of.
        UPDATE nodes SET agent_facts = NEW.facts
          WHERE id = NEW.node_id AND agent_id = NEW.id AND agent_facts IS DISTINCT FROM NEW.facts;
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER agents_facts_to_node AFTER INSERT OR UPDATE OF facts ON agents
        FOR EACH ROW EXECUTE FUNCTION agents_facts_to_node();
      UPDATE nodes n SET agent_facts = a.facts FROM agents a WHERE a.id = n.agent_id AND a.facts IS NOT NULL;
      CREATE INDEX nodes_shown_facts_idx ON nodes USING gin ((coalesce(facts, agent_facts)) jsonb_path_ops);
    ` + listJson('coalesce(NEW.facts, NEW.agent_facts)'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX nodes_shown_facts_idx;
      DROP TRIGGER agents_facts_to_node ON agents;
      DROP FUNCTION agents_facts_to_node();
      DROP TRIGGER nodes_agent_facts ON nodes;
      DROP FUNCTION nodes_agent_facts();
      ALTER TABLE nodes DROP COLUMN agent_facts;
    ` + listJson('NEW.facts'));
  }
}
