import type { DataSource } from 'typeorm';

/** One node as the inventory query reads it; `facts` stays JSON text, spliced in unparsed. */
interface InventoryRow {
  id: string;
  name: string;
  state: string;
  public_ips: string[];
  private_ips: string[];
  tags: string[];
  location_id: string | null;
  health: string | null;
  provider_name: string;
  provider_type: string;
  role_name: string | null;
  facts: string | null;
}

/**
 * Ansible group names may hold letters, digits and underscores only (anything else draws a warning
 * and, depending on TRANSFORM_INVALID_GROUP_CHARS, a rename): every other character becomes `_`.
 */
export function ansibleGroupName(prefix: string, value: string): string {
  return `${prefix}_${value.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * Ansible's dynamic inventory JSON (what an inventory script prints for `--list`): one group per
 * provider, tag, server role and state, and `_meta.hostvars` so Ansible never calls `--host`.
 */
export function createAnsibleInventory(db: DataSource) {
  return {
    /** The whole inventory as JSON text: built as text so 10,000 nodes' facts are never parsed and re-serialized. */
    async render(): Promise<string> {
      const rows: InventoryRow[] = await db.query(
        `SELECT n.id, n.name, n.state, n.public_ips, n.private_ips, n.tags, n.location_id, n.health,
                p.name AS provider_name, p.type AS provider_type, r.name AS role_name, n.facts::text AS facts
           FROM nodes n
           JOIN providers p ON p.id = n.provider_id
           LEFT JOIN server_role_nodes srn ON srn.node_id = n.id
           LEFT JOIN server_roles r ON r.id = srn.server_role_id
          WHERE n.destroyed_at IS NULL AND n.decommissioned_at IS NULL
          ORDER BY n.name, n.id`,
      );
      // Host names must be unique in an inventory; node names are unique only per provider.
      const seen = new Map<string, number>();
      for (const row of rows) seen.set(row.name, (seen.get(row.name) ?? 0) + 1);
      const groups = new Map<string, string[]>();
      const add = (group: string, host: string) => {
        const hosts = groups.get(group);
        if (hosts) hosts.push(host);
        else groups.set(group, [host]);
      };
      const hostvars: string[] = [];
      for (const row of rows) {
        const host = seen.get(row.name)! > 1 ? `${row.name}-${row.id.slice(0, 8)}` : row.name;
        add(ansibleGroupName('provider', row.provider_name), host);
        add(ansibleGroupName('state', row.state), host);
        for (const tag of row.tags) add(ansibleGroupName('tag', tag), host);
        if (row.role_name) add(ansibleGroupName('role', row.role_name), host);
        const address = row.public_ips[0] ?? row.private_ips[0];
        const vars = JSON.stringify({
          ...(address ? { ansible_host: address } : {}),
          overmind_id: row.id,
          overmind_name: row.name,
          overmind_provider: row.provider_name,
          overmind_provider_type: row.provider_type,
          overmind_state: row.state,
          overmind_health: row.health,
          overmind_tags: row.tags,
          overmind_server_role: row.role_name,
          overmind_location: row.location_id,
          overmind_public_ips: row.public_ips,
          overmind_private_ips: row.private_ips,
        });
        hostvars.push(`${JSON.stringify(host)}:${vars.slice(0, -1)},"overmind_facts":${row.facts ?? 'null'}}`);
      }
      const groupTexts = [...groups].map(([name, hosts]) => `${JSON.stringify(name)}:${JSON.stringify({ hosts })}`);
      const all = JSON.stringify({ children: [...groups.keys(), 'ungrouped'] });
      return `{"_meta":{"hostvars":{${hostvars.join(',')}}},"all":${all}${groupTexts.map((g) => `,${g}`).join('')}}`;
    },
  };
}

export type AnsibleInventory = ReturnType<typeof createAnsibleInventory>;
