import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let sql: pg.Client;
beforeAll(async () => {
  t = await createTestApp({ worker: false });
  sql = new pg.Client({ connectionString: t.databaseUrl });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

type Inventory = Record<string, { hosts?: string[]; children?: string[]; hostvars?: Record<string, Record<string, unknown>> }>;

async function inventory(role: 'observer' | null = 'observer') {
  return t.request(role, { method: 'GET', url: '/api/v1/inventory/ansible' });
}

async function provider(name: string): Promise<string> {
  const [row] = (await sql.query(`INSERT INTO providers (type, name, credentials_enc, sync_interval_seconds) VALUES ('dummy', $1, 'sealed', 300) RETURNING id`, [name])).rows;
  return row.id;
}

async function node(providerId: string, name: string, fields: { state?: string; publicIps?: string[]; privateIps?: string[]; tags?: string[]; facts?: object; gone?: 'destroyed_at' | 'decommissioned_at' } = {}): Promise<string> {
  const [row] = (await sql.query(
    `INSERT INTO nodes (provider_id, name, state, public_ips, private_ips, tags, extra, facts ${fields.gone ? `, ${fields.gone}` : ''})
     VALUES ($1, $2, $3, $4, $5, $6, '{}', $7 ${fields.gone ? ', now()' : ''}) RETURNING id`,
    [providerId, name, fields.state ?? 'running', fields.publicIps ?? [], fields.privateIps ?? [], fields.tags ?? [], fields.facts ? JSON.stringify(fields.facts) : null],
  )).rows;
  return row.id;
}

describe('GET /api/v1/inventory/ansible', () => {
  it("groups live nodes by provider, tag, server role and state, with addresses and facts in _meta.hostvars", async () => {
    const lab = await provider('lab-one');
    const rack = await provider('rack');
    const web = await node(lab, 'web-1', { publicIps: ['203.0.113.10'], privateIps: ['10.0.0.10'], tags: ['web', 'eu-west/1'], facts: { os: { name: 'debian', version: '12' } } });
    const db = await node(rack, 'db-1', { state: 'stopped', privateIps: ['10.0.0.20'] });
    const dupA = await node(lab, 'dup');
    const dupB = await node(rack, 'dup');
    await node(lab, 'gone-1', { gone: 'destroyed_at' });
    await node(lab, 'gone-2', { gone: 'decommissioned_at' });
    const [role] = (await sql.query(
      `INSERT INTO server_roles (name, provider_id, location_id, size_id, image_id, ssh, ssh_key_enc) VALUES ('web server', $1, 'l', 's', 'i', '{"username":"root"}', 'sealed') RETURNING id`,
      [lab],
    )).rows;
    await sql.query('INSERT INTO server_role_nodes (node_id, server_role_id) VALUES ($1, $2)', [web, role.id]);

    const res = await inventory();
    expect(res.statusCode, res.body).toBe(200);
    const inv = res.json() as Inventory;
    const dup = (id: string) => `dup-${id.slice(0, 8)}`;
    expect(inv.provider_lab_one!.hosts!.sort()).toEqual(['web-1', dup(dupA)].sort());
    expect(inv.provider_rack!.hosts!.sort()).toEqual(['db-1', dup(dupB)].sort());
    expect(inv.tag_web!.hosts).toEqual(['web-1']);
    expect(inv.tag_eu_west_1!.hosts).toEqual(['web-1']);
    expect(inv.role_web_server!.hosts).toEqual(['web-1']);
    expect(inv.state_stopped!.hosts).toEqual(['db-1']);
    expect(inv.state_running!.hosts!.sort()).toEqual(['web-1', dup(dupA), dup(dupB)].sort());
    expect(JSON.stringify(inv)).not.toContain('gone-');
    expect(inv.all!.children).toEqual(expect.arrayContaining(['provider_lab_one', 'tag_web', 'role_web_server', 'state_running', 'ungrouped']));
    const vars = inv._meta!.hostvars!;
    expect(Object.keys(vars).sort()).toEqual(['db-1', 'web-1', dup(dupA), dup(dupB)].sort());
    expect(vars['web-1']).toMatchObject({
      ansible_host: '203.0.113.10',
      overmind_id: web,
      overmind_provider: 'lab-one',
      overmind_provider_type: 'dummy',
      overmind_state: 'running',
      overmind_tags: ['web', 'eu-west/1'],
      overmind_server_role: 'web server',
      overmind_public_ips: ['203.0.113.10'],
      overmind_private_ips: ['10.0.0.10'],
      overmind_facts: { os: { name: 'debian', version: '12' } },
    });
    // No public address: the private one; none at all: no ansible_host (Ansible then uses the name).
    expect(vars['db-1']).toMatchObject({ ansible_host: '10.0.0.20', overmind_id: db, overmind_facts: null });
    expect(vars[dup(dupA)]).not.toHaveProperty('ansible_host');
  });

  it('needs a token', async () => {
    expect((await inventory(null)).statusCode).toBe(401);
  });

  it('answers for 10,000 nodes with facts in one query, within a wide bound', async () => {
    const many = await provider('many');
    await sql.query(
      `INSERT INTO nodes (provider_id, name, state, public_ips, private_ips, tags, extra, facts)
       SELECT $1, 'n-' || i, 'running', ARRAY['198.51.100.' || (i % 250)], ARRAY['10.1.' || (i / 250) || '.' || (i % 250)],
              ARRAY['t' || (i % 20)], '{}', jsonb_build_object('cpu', jsonb_build_object('count', 4, 'model', 'x86_64 test cpu'), 'memory', jsonb_build_object('total', 8589934592), 'kernel', 'Linux 6.1.0')
         FROM generate_series(1, 10000) AS i`,
      [many],
    );
    const started = performance.now();
    const res = await inventory();
    const ms = performance.now() - started;
    expect(res.statusCode).toBe(200);
    const inv = res.json() as Inventory;
    expect(inv.provider_many!.hosts).toHaveLength(10_000);
    expect(inv.tag_t7!.hosts).toHaveLength(500);
    expect(inv._meta!.hostvars!['n-4321']!.overmind_facts).toEqual({ cpu: { count: 4, model: 'x86_64 test cpu' }, memory: { total: 8589934592 }, kernel: 'Linux 6.1.0' });
    // About 0.1 s on an idle machine; the bound only catches a per-node round trip or quadratic work.
    expect(ms).toBeLessThan(10_000);
  }, 60_000);
});
