import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Readings history (docs/architecture.md, "Readings and metrics"). Raw readings are one row per node
 * per reading; the roll-ups are one row per series per chunk of consecutive buckets (an array of
 * averages), which keeps a node's 13 months under 2 MB where a row per point would take ten times
 * that. Every history table is partitioned by time (partitions are made ahead and dropped when
 * expired by the maintenance task, src/modules/metrics/metric-partitions.ts). The latest reading of
 * each node sits in a small side table the node list joins, so readings never rewrite node rows.
 */
export class Metrics1764000000010 implements MigrationInterface {
  name = 'Metrics1764000000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE metric_series (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        node_id uuid NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (node_id, name)
      );

      -- One reading: the node's series ids and their values, side by side.
      CREATE TABLE metric_raw (
        node_id uuid NOT NULL,
        at timestamptz NOT NULL,
        series integer[] NOT NULL,
        vals real[] NOT NULL
      ) PARTITION BY RANGE (at);
      CREATE INDEX metric_raw_node_at_idx ON metric_raw (node_id, at);

      -- v[i] is the average of the bucket starting at start + (i - 1) * step; NULL where none.
      CREATE TABLE metric_1m (series_id integer NOT NULL, start timestamptz NOT NULL, v real[] NOT NULL, PRIMARY KEY (series_id, start)) PARTITION BY RANGE (start);
      CREATE TABLE metric_5m (series_id integer NOT NULL, start timestamptz NOT NULL, v real[] NOT NULL, PRIMARY KEY (series_id, start)) PARTITION BY RANGE (start);
      CREATE TABLE metric_1h (series_id integer NOT NULL, start timestamptz NOT NULL, v real[] NOT NULL, PRIMARY KEY (series_id, start)) PARTITION BY RANGE (start);

      -- How far each roll-up has gone: buckets before done_until are complete.
      CREATE TABLE metric_rollups (tier text PRIMARY KEY, done_until timestamptz NOT NULL);

      CREATE TABLE node_readings (
        node_id uuid PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        cpu real,
        memory real,
        disk real,
        load1 real,
        -- The node's "readings" property in the API's Node schema, spliced into list pages as it is.
        json text NOT NULL
      );

      -- An array of length max(pos) with vals placed at their positions (lower bound 1), NULL elsewhere.
      CREATE FUNCTION metric_place(pos integer[], vals real[]) RETURNS real[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
      DECLARE
        out real[];
      BEGIN
        out := array_fill(NULL::real, ARRAY[(SELECT max(p) FROM unnest(pos) AS p)]);
        FOR i IN 1 .. coalesce(array_length(pos, 1), 0) LOOP
          out[pos[i]] := vals[i];
        END LOOP;
        RETURN out;
      END
      $fn$;

      -- Element by element: the newer value where it has one, else the older.
      CREATE FUNCTION metric_merge(older real[], newer real[]) RETURNS real[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
        SELECT array_agg(coalesce(newer[i], older[i]) ORDER BY i)
          FROM generate_series(1, greatest(coalesce(cardinality(older), 0), coalesce(cardinality(newer), 0))) AS i
      $fn$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION metric_merge(real[], real[]);
      DROP FUNCTION metric_place(integer[], real[]);
      DROP TABLE node_readings, metric_rollups, metric_1h, metric_5m, metric_1m, metric_raw, metric_series;
    `);
  }
}
