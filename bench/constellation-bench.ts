/**
 * `POST /constellations/{id}/plan` for a constellation of 1,000 members (db 100, app 400, web 500,
 * each app and web member depending on the tier before it), every member's configuration hash
 * stale so that the plan computes all 1,000 (the worst case: 1,000 configure steps in the answer).
 * Next to it, the ceiling: the same diff computed by computePlan on plain in-memory arrays (no
 * database, no HTTP), and the ratio. In-process app (API only) on an embedded Postgres.
 * Run: npm run bench -- constellations
 */
import { computePlan, currentMembers } from '@overmind/api';
import { withInProcessApp } from './in-process-app.js';

const RUNS = 30;
const COUNTS = { db: 100, app: 400, web: 500 };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
  await withInProcessApp('const', 18473, async ({ app, call, providerId }) => {
    const provider = { id: providerId };
    const tiers = [
      { name: 'db', serverRole: 'member', count: COUNTS.db },
      { name: 'app', serverRole: 'member', count: COUNTS.app, dependsOn: ['db'], attributes: { app: { workers: 4 } } },
      { name: 'web', serverRole: 'member', count: COUNTS.web, dependsOn: ['app'] },
    ];
    const c = await call('POST', '/constellations', { name: 'big', tiers });
    // 1,000 running members with addresses, each configured with something else than now (a stale hash).
    await app.db.query(
      `WITH t(tier, n) AS (VALUES ('db', $2::int), ('app', $3::int), ('web', $4::int)),
            m AS (SELECT tier, g AS ordinal, gen_random_uuid() AS node_id FROM t, generate_series(1, t.n) g),
            n AS (INSERT INTO nodes (id, provider_id, provider_node_id, name, state, public_ips, private_ips, image_id, size_id, location_id, extra, tags)
                  SELECT node_id, $5, 'p-' || node_id, 'big-' || tier || '-' || ordinal, 'running',
                         ARRAY['172.31.0.' || (ordinal % 250)], ARRAY['10.0.' || (ordinal / 250) || '.' || (ordinal % 250)],
                         'debian-12', 'small', 'lab-1', '{}', '{}' FROM m RETURNING id)
       INSERT INTO constellation_members (constellation_id, tier, ordinal, node_id, applied_hash) SELECT $1, tier, ordinal, node_id, 'stale' FROM m`,
      [c.id, COUNTS.db, COUNTS.app, COUNTS.web, provider.id],
    );

    const first = await call('POST', `/constellations/${c.id}/plan`);
    if (first.steps.length !== 1000 || first.summary.configure !== 1000) throw new Error(`unexpected plan: ${JSON.stringify(first.summary)}`);
    const api: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await call('POST', `/constellations/${c.id}/plan`);
      api.push(performance.now() - t0);
    }
    // The ceiling: the same inputs, already in memory.
    const resolved = await app.services.constellations.resolve({ tiers }, 'spec');
    const members = await currentMembers(app.db, c.id);
    const mem: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const plan = computePlan('big', resolved, members);
      mem.push(performance.now() - t0);
      if (plan.steps.length !== 1000) throw new Error('in-memory plan differs');
    }
    api.sort((a, b) => a - b);
    mem.sort((a, b) => a - b);
    const rows = [
      ['plan, 1,000 members, API (HTTP inject → JSON)', ms(percentile(api, 50)), ms(percentile(api, 95)), '< 1 s'],
      ['same diff on in-memory arrays (ceiling)', ms(percentile(mem, 50)), ms(percentile(mem, 95)), ''],
      ['ratio API / ceiling (p50)', `${(percentile(api, 50) / percentile(mem, 50)).toFixed(1)}×`, '', ''],
    ];
    console.log('| What | p50 | p95 | Target |\n| --- | --- | --- | --- |');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    if (percentile(api, 95) >= 1000) process.exitCode = 1;
  });
}

await main();
