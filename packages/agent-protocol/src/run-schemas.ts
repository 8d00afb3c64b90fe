/** What a run asks the agent to do: its kinds and their specs, shared by `run.offer` and the API's run rows. */
import { Type, type Static } from 'typebox';

const Id = Type.String({ minLength: 1, maxLength: 64 });

export const CommandSpec = Type.Object({
  /** Run by `/bin/sh -c` as the agent's user. */
  command: Type.String({ minLength: 1, maxLength: 65_536 }),
  timeoutSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  /** Extra environment variables; may be secrets: never logged or shown by the agent. */
  env: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.String({ maxLength: 65_536 }))),
});
export type CommandSpec = Static<typeof CommandSpec>;

export const KitchenRef = Type.Object({
  /** Hex SHA-256 of the .tar.gz: the agent verifies it and caches the unpacked kitchen under it. */
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  bytes: Type.Integer({ minimum: 0 }),
});
export type KitchenRef = Static<typeof KitchenRef>;

export const ConvergeSpec = Type.Object({
  /** Chef's node_name. */
  nodeName: Type.String({ minLength: 1, maxLength: 255 }),
  runList: Type.Array(Type.String({ minLength: 1, maxLength: 512 }), { maxItems: 1000 }),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  /** Merged over `attributes`; only ever written to node.json (0600, removed after the run). */
  secretAttributes: Type.Record(Type.String(), Type.Unknown()),
  environment: Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()]),
  kitchen: KitchenRef,
  /** The server role's chef-solo settings (the `chef-solo` CM plugin's, without its kitchen directory). */
  settings: Type.Record(Type.String(), Type.Unknown()),
  timeoutSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
});
export type ConvergeSpec = Static<typeof ConvergeSpec>;

export const RunOffer = Type.Union([
  Type.Object({ id: Id, kind: Type.Literal('command'), deadline: Type.String({ format: 'date-time' }), spec: CommandSpec }),
  Type.Object({ id: Id, kind: Type.Literal('converge'), deadline: Type.String({ format: 'date-time' }), spec: ConvergeSpec }),
]);
export type RunOffer = Static<typeof RunOffer>;
export type RunKind = RunOffer['kind'];

export const RunOutcome = Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('cancelled'), Type.Literal('timed-out')]);
export type RunOutcome = Static<typeof RunOutcome>;

export const LogStream = Type.Union([Type.Literal('stdout'), Type.Literal('stderr'), Type.Literal('agent')]);
export type LogStream = Static<typeof LogStream>;
