/**
 * The service guarantee at scale, on an embedded Postgres (in-process app, API only, no workers):
 *  1. `POST /constellations/{id}/plan` for a constellation of 1,000 members (every member's
 *     configuration stale, so all 1,000 are computed), next to the same diff by computePlan on
 *     in-memory arrays (the ceiling).
 *  2. One reconciler pass over 10,000 member nodes in 100 guaranteed constellations (1 % of them
 *     failed (node state error), inside their grace period, so the first pass writes their ladder rows; a few with a
 *     job running), its database time (the time its queries took, summed), next to the ceiling: the
 *     same rows read by one bare SQL query on a plain pg client.
 * Sizes: NODES (10000), CONSTELLATIONS (100), PLAN_MEMBERS (1000). Run: npm run bench -- reconciler
 */
import pg from 'pg';
import { computePlan, createGuaranteeReconciler, createGuaranteeSteps, currentMembers } from '@overmind/api';
import { withInProcessApp } from './in-process-app.js';

const RUNS = 10;
const NODES = Number(process.env.NODES ?? 10_000);
const CONSTELLATIONS = Number(process.env.CONSTELLATIONS ?? 100);
const PLAN_MEMBERS = Number(process.env.PLAN_MEMBERS ?? 1000);
const PER = Math.floor(NODES / CONSTELLATIONS);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

type Db = Parameters<typeof createGuaranteeReconciler>[0]['db'];
interface Queryable { query(sql: string, params?: unknown[]): Promise<unknown> }
interface Clock { ms: number; queries: { sql: string; ms: number }[] }

/** The data source with every query of a transaction timed: the pass's database time. */
function timed(db: Db, clock: Clock): Db {
  const wrap = (m: Queryable) => new Proxy(m, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver);
      return async (sql: string, params?: unknown[]) => {
        const t0 = performance.now();
        try {
          return await target.query(sql, params);
        } finally {
          const took = performance.now() - t0;
          clock.ms += took;
          clock.queries.push({ sql: sql.replace(/\s+/g, ' ').slice(0, 60), ms: took });
        }
      };
    },
  });
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'transaction') return Reflect.get(target, prop, receiver);
      const transaction = target.transaction.bind(target) as (fn: (m: Queryable) => Promise<unknown>) => Promise<unknown>;
      return (fn: (m: Queryable) => Promise<unknown>) => transaction((m) => fn(wrap(m)));
    },
  });
}

async function main() {
  await withInProcessApp('reconciler', 18475, async ({ app, call, providerId, databaseUrl }) => {
    const provider = { id: providerId };
    const insertMembers = (constellationId: string, tier: string, count: number, prefix: string) => app.db.query(
      `WITH m AS (SELECT g AS ordinal, gen_random_uuid() AS node_id FROM generate_series(1, $2::int) g),
            n AS (INSERT INTO nodes (id, provider_id, provider_node_id, name, state, public_ips, private_ips, image_id, size_id, location_id, extra, tags, agent_state, health, health_since)
                  SELECT node_id, $4, 'p-' || node_id, $5 || '-' || ordinal, CASE WHEN ordinal % 100 = 7 THEN 'error' ELSE 'running' END,
                         ARRAY['172.31.0.' || (ordinal % 250)], ARRAY['10.0.' || (ordinal / 250) || '.' || (ordinal % 250)],
                         'debian-12', 'small', 'lab-1', '{}', '{}', 'connected', NULL, NULL FROM m RETURNING id)
       INSERT INTO constellation_members (constellation_id, tier, ordinal, node_id, applied_hash) SELECT $1, $3, ordinal, node_id, 'stale' FROM m`,
      [constellationId, count, tier, provider.id, prefix],
    );

    // 1. The plan of one constellation of PLAN_MEMBERS members.
    const tiers = [{ name: 'web', serverRole: 'member', count: PLAN_MEMBERS }];
    const big = await call('POST', '/constellations', { name: 'big', tiers });
    await insertMembers(big.id, 'web', PLAN_MEMBERS, 'big-web');
    const api: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const t0 = performance.now();
      const plan = await call('POST', `/constellations/${big.id}/plan`);
      if (i > 0) api.push(performance.now() - t0);
      if (plan.steps.length !== PLAN_MEMBERS) throw new Error(`unexpected plan: ${JSON.stringify(plan.summary)}`);
    }
    const resolved = await app.services.constellations.resolve({ tiers }, 'spec');
    const members = await currentMembers(app.db, big.id);
    const mem: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      computePlan('big', resolved, members);
      mem.push(performance.now() - t0);
    }

    // 2. CONSTELLATIONS guaranteed constellations of PER members each (written directly: no apply runs here).
    const health = { gracePeriodSeconds: 3600, maxUnavailable: 2, remediation: ['converge', 'reboot', 'replace'] };
    for (let i = 1; i <= CONSTELLATIONS; i++) {
      const [{ id }] = await app.db.query(`INSERT INTO constellations (name, target_version) VALUES ($1, 1) RETURNING id`, [`g-${i}`]);
      await app.db.query('INSERT INTO constellation_versions (constellation_id, version, spec) VALUES ($1, 1, $2)', [id, JSON.stringify({ tiers: [{ name: 'web', serverRole: 'member', count: PER, health }] })]);
      await insertMembers(id, 'web', PER, `g-${i}-web`);
    }
    // A few members with a job running on them (not judged meanwhile).
    await app.db.query(
      `INSERT INTO jobs (id, type, target_type, target_id, state, progress, attempts, max_attempts, payload)
       SELECT gen_random_uuid(), 'node.facts', 'node', node_id, 'running', 0, 1, 1, '{}' FROM constellation_members WHERE ordinal % 500 = 3`,
    );
    await app.db.query('ANALYZE');
    const clock: Clock = { ms: 0, queries: [] };
    const reconciler = createGuaranteeReconciler({
      db: timed(app.db, clock), audit: app.services.audit, events: app.events, instance: 'bench',
      steps: createGuaranteeSteps({ db: app.db, events: app.events, jobs: app.services.jobs, nodes: app.services.nodes, commands: app.services.commands }),
    });
    const passes: { wall: number; db: number; members: number; ladders: number; slowest: Clock['queries'] }[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      clock.ms = 0;
      clock.queries = [];
      const t0 = performance.now();
      const r = await reconciler.pass();
      const wall = performance.now() - t0;
      if (!r) throw new Error('the lock was taken');
      const [{ n }] = await app.db.query('SELECT count(*)::int AS n FROM guarantee_members');
      passes.push({ wall, db: clock.ms, members: r.members, ladders: n, slowest: [...clock.queries].sort((a, b) => b.ms - a.ms).slice(0, 3) });
    }
    const [{ critical }] = await app.db.query(`SELECT count(*)::int AS critical FROM nodes n JOIN constellation_members mb ON mb.node_id = n.id WHERE n.state = 'error' AND mb.constellation_id <> $1`, [big.id]);
    if (passes[0]!.ladders !== critical) throw new Error(`the first pass wrote ${passes[0]!.ladders} ladder rows for ${critical} critical members`);
    const [firstPass, ...steady] = passes;
    if (firstPass!.members !== PER * CONSTELLATIONS) throw new Error(`the pass saw ${firstPass!.members} members`);
    // The ceiling: the same member rows with their health, read by one bare query.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const raw: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const { rowCount } = await client.query(
        `SELECT mb.constellation_id, mb.tier, mb.ordinal, mb.node_id, n.state, n.health, n.agent_state, g.rung
           FROM constellation_members mb JOIN nodes n ON n.id = mb.node_id LEFT JOIN guarantee_members g ON g.node_id = mb.node_id
          WHERE mb.constellation_id IN (SELECT constellation_id FROM constellation_versions WHERE spec->'tiers' @> '[{"health": {}}]')`,
      );
      raw.push(performance.now() - t0);
      if (rowCount !== PER * CONSTELLATIONS) throw new Error(`raw read ${rowCount} rows`);
    }
    await client.end();

    const steadyDb = sorted(steady.map((p) => p.db));
    const steadyWall = sorted(steady.map((p) => p.wall));
    const r = sorted(raw);
    const rows = [
      [`plan, ${PLAN_MEMBERS} members, API (HTTP inject → JSON)`, ms(percentile(sorted(api), 50)), ms(percentile(sorted(api), 95)), '< 1 s'],
      ['same diff on in-memory arrays (ceiling)', ms(percentile(sorted(mem), 50)), ms(percentile(sorted(mem), 95)), ''],
      ['ratio plan / ceiling (p50)', `${(percentile(sorted(api), 50) / percentile(sorted(mem), 50)).toFixed(1)}×`, '', ''],
      [`reconciler pass, ${PER * CONSTELLATIONS} nodes in ${CONSTELLATIONS} constellations: database time, first pass (writes ${firstPass!.ladders} ladder rows)`, ms(firstPass!.db), '', '< 2 s'],
      ['reconciler pass: database time, later passes', ms(percentile(steadyDb, 50)), ms(percentile(steadyDb, 95)), '< 2 s'],
      ['reconciler pass: wall time, later passes (database + deciding in JS)', ms(percentile(steadyWall, 50)), ms(percentile(steadyWall, 95)), ''],
      ['the same member rows by one bare SQL query (ceiling)', ms(percentile(r, 50)), ms(percentile(r, 95)), ''],
      ['ratio pass database time / ceiling (p50)', `${(percentile(steadyDb, 50) / percentile(r, 50)).toFixed(1)}×`, '', ''],
    ];
    console.log('slowest queries of the first pass:', passes[0]!.slowest.map((q) => `${q.ms.toFixed(0)} ms ${q.sql}`).join(' | '));
    console.log(`load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log('| What | p50 | p95 | Target |\n| --- | --- | --- | --- |');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
    if (percentile(sorted(api), 95) >= 1000 || firstPass!.db >= 2000 || percentile(steadyDb, 95) >= 2000) process.exitCode = 1;
  });
}

await main();
