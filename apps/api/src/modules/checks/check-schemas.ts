import { CHECK_STATE_NAMES, OUTPUT_LIMITS, PERFDATA_LIMITS } from '@overmind/checks';
import { Type } from 'typebox';
import { NODE_HEALTHS } from '../../db/entities/index.js';
import { DateTime, Nullable, NullableDateTime, Uuid } from '../../lib/schemas.js';

/** The shortest interval: keeps a fleet's results affordable. */
export const MIN_INTERVAL_SECONDS = 5;
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\r\\n]+$', description: 'What it checks, shown with its state' });
const Command = Type.String({
  minLength: 1,
  maxLength: 4096,
  description: 'The plugin: an absolute path (e.g. /usr/lib/nagios/plugins/check_disk) or a name on the agent\'s PATH; with `shell`, a /bin/sh command',
});
const Args = Type.Array(Type.String({ maxLength: 4096 }), {
  maxItems: 64,
  description: 'Arguments, one per element, passed as they are (no shell, no word splitting; with `shell` they are $1, $2...). Every observer can read them: no secrets here',
});
const Shell = Type.Boolean({ description: 'Run `command` by /bin/sh -c (pipes, variables); off by default' });
const Interval = (extra: { default?: number } = {}) => Type.Integer({ minimum: MIN_INTERVAL_SECONDS, maximum: 86_400, description: 'Seconds between runs on each node', ...extra });
const Timeout = (extra: { default?: number } = {}) =>
  Type.Integer({ minimum: 1, maximum: 3600, description: 'Seconds a run may take; past it the plugin is killed and the state is UNKNOWN. At most the interval', ...extra });
const Tag = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s,]+$' });

export const CheckScope = Type.Union(
  [
    Type.Object({ kind: Type.Literal('role'), serverRoleId: Uuid }, { additionalProperties: false, title: 'CheckScopeRole' }),
    Type.Object({ kind: Type.Literal('tag'), tag: Tag }, { additionalProperties: false, title: 'CheckScopeTag' }),
    Type.Object({ kind: Type.Literal('node'), nodeId: Uuid }, { additionalProperties: false, title: 'CheckScopeNode' }),
  ],
  { description: 'Which nodes run it: the nodes of a server role, the nodes with a tag, or one node' },
);

export const CheckBody = Type.Object(
  {
    name: Name,
    command: Command,
    args: Type.Optional(Args),
    shell: Type.Optional(Shell),
    intervalSeconds: Type.Optional(Interval({ default: 60 })),
    timeoutSeconds: Type.Optional(Timeout({ default: 10 })),
    scope: CheckScope,
  },
  { additionalProperties: false },
);

export const CheckPatch = Type.Object(
  {
    name: Type.Optional(Name),
    command: Type.Optional(Command),
    args: Type.Optional(Args),
    shell: Type.Optional(Shell),
    intervalSeconds: Type.Optional(Interval()),
    timeoutSeconds: Type.Optional(Timeout()),
    scope: Type.Optional(CheckScope),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CheckSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    command: Type.String(),
    args: Type.Array(Type.String()),
    shell: Type.Boolean(),
    intervalSeconds: Type.Integer(),
    timeoutSeconds: Type.Integer(),
    scope: CheckScope,
    createdBy: Nullable(Uuid),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { title: 'Check' },
);

export const CheckStateName = Type.Enum(CHECK_STATE_NAMES, { description: 'The plugin\'s exit code: 0 ok, 1 warning, 2 critical, 3 unknown (also a timeout, a signal, another code, a missing command)' });
export const NodeHealthSchema = Type.Enum(NODE_HEALTHS, {
  description: 'The worst state of its checks (critical over unknown over warning over ok), or `stale` when its agent has not reported for a while',
});

export const PerfDatumSchema = Type.Object(
  {
    label: Type.String({ maxLength: PERFDATA_LIMITS.labelChars }),
    value: Nullable(Type.Number({ description: 'null: the plugin said U (could not be determined)' })),
    uom: Type.String({ description: 'As printed: "" (a count), s, ms, us, %, B, KB, MB, TB, c...' }),
    warn: Nullable(Type.String({ description: 'A threshold range as printed (10, 10:, ~:10, 10:20, @10:20)' })),
    crit: Nullable(Type.String()),
    min: Nullable(Type.Number()),
    max: Nullable(Type.Number()),
  },
  { title: 'PerfDatum' },
);

export const CheckResultSchema = Type.Object(
  {
    state: CheckStateName,
    output: Type.String({ maxLength: OUTPUT_LIMITS.outputChars, description: 'The status text (first line before |), or why the state is unknown' }),
    longOutput: Type.String({ description: 'Later lines of the output' }),
    perfdata: Type.Array(PerfDatumSchema),
    durationMs: Type.Integer(),
    checkedAt: DateTime,
    receivedAt: DateTime,
    stateSince: DateTime,
  },
  { title: 'CheckResult' },
);

export const NodeChecksSchema = Type.Object(
  {
    nodeId: Uuid,
    health: Nullable(NodeHealthSchema),
    healthSince: NullableDateTime,
    items: Type.Array(
      Type.Object(
        {
          checkId: Uuid,
          name: Type.String(),
          intervalSeconds: Type.Integer(),
          result: Nullable(CheckResultSchema),
        },
        { title: 'NodeCheck', description: 'A check that applies to the node, with its latest result (null until the agent reports one)' },
      ),
    ),
  },
  { title: 'NodeChecks' },
);

export const CheckStateChangeSchema = Type.Object(
  {
    id: Type.String({ description: 'Increases with time' }),
    checkId: Uuid,
    name: Type.String({ description: 'The check\'s name at the time' }),
    state: CheckStateName,
    previousState: Nullable(CheckStateName),
    output: Type.String(),
    at: DateTime,
  },
  { title: 'CheckStateChange' },
);
