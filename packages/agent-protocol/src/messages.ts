/**
 * Every message of protocol version 1, one TypeBox schema each, by direction. Rules that let the
 * protocol grow without a new version (docs/agent-protocol.md): a receiver ignores fields it does not
 * know; a new message type is sent only to a peer that announced it (agent `capabilities` in hello,
 * server `features` in welcome); an unknown `type` or a known one that does not match is a protocol error.
 */
import { Type, type Static } from 'typebox';
import { MAX_LOG_LINE_CHARS, MAX_LOG_LINES_PER_MESSAGE } from './protocol-constants.js';
import { Readings } from './readings-schemas.js';
import { LogStream, RunOffer, RunOutcome } from './run-schemas.js';
import { CheckDefinitions, CheckResult, MAX_CHECK_RESULTS_PER_MESSAGE } from './check-schemas.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Text = (maxLength: number) => Type.String({ maxLength });
const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Time = Type.String({ format: 'date-time' });

// ---- server -> agent ----

export const Challenge = Type.Object({
  type: Type.Literal('challenge'),
  /** Random, base64url, new for every connection: what the agent signs. */
  nonce: Type.String({ minLength: 22, maxLength: 128 }),
  versions: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 32 }),
  serverTime: Time,
});

export const Welcome = Type.Object({
  type: Type.Literal('welcome'),
  version: Type.Integer({ minimum: 1 }),
  agentId: Id,
  nodeId: Type.Union([Id, Type.Null()]),
  heartbeatSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
  serverTime: Time,
  /** What the server wants beyond runs, by name (e.g. `facts`); later issues add monitoring here. */
  features: Type.Record(Type.String(), Type.Unknown()),
});

export const RunOfferMessage = Type.Object({ type: Type.Literal('run.offer'), run: RunOffer });

export const RunCancel = Type.Object({ type: Type.Literal('run.cancel'), runId: Id, reason: Text(1000) });

/** The server stored the run's log lines up to `logSeq` and, when `finished`, its result: the agent may forget them. */
export const RunAck = Type.Object({ type: Type.Literal('run.ack'), runId: Id, logSeq: Seq, finished: Type.Boolean() });

/** The node's whole set of check definitions (capability `checks`), sent when it changes: it replaces the last one. */
export const ChecksSet = Type.Object({ type: Type.Literal('checks.set'), checks: CheckDefinitions });

export const ServerMessage = Type.Union([Challenge, Welcome, RunOfferMessage, RunCancel, RunAck, ChecksSet]);
export type ServerMessage = Static<typeof ServerMessage>;

// ---- agent -> server ----

export const Hello = Type.Object({
  type: Type.Literal('hello'),
  /** The version chosen from the challenge's `versions`. */
  version: Type.Integer({ minimum: 1 }),
  agentId: Id,
  /** base64url Ed25519 signature of `helloSigningText(nonce, agentId)`. */
  signature: Type.String({ minLength: 1, maxLength: 256 }),
  agentVersion: Text(64),
  hostname: Text(255),
  /** Message types and run kinds this agent handles beyond the required ones, e.g. `facts`. */
  capabilities: Type.Array(Text(64), { maxItems: 64 }),
  /**
   * Runs this agent knows and the server may not have heard the end of: `running` ones go on, the
   * server does not offer them again; `finished` ones are re-sent (`run.finished`) until acked.
   */
  runs: Type.Array(Type.Object({ id: Id, state: Type.Union([Type.Literal('running'), Type.Literal('finished')]) }), { maxItems: 1000 }),
  /** The last run this agent started, for the node's page. */
  lastRunId: Type.Union([Id, Type.Null()]),
});

export const Heartbeat = Type.Object({
  type: Type.Literal('heartbeat'),
  seq: Seq,
  uptimeSeconds: Type.Number({ minimum: 0 }),
  running: Type.Array(Id, { maxItems: 1000 }),
  /** SHA-256 of the facts last sent: a server that holds another hash asks nothing, it waits for `facts`. */
  factsHash: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
});

export const RunAccepted = Type.Object({ type: Type.Literal('run.accepted'), runId: Id });

/** The agent will not run it (unknown kind, bad spec, already past its deadline). The run fails with the reason. */
export const RunRejected = Type.Object({ type: Type.Literal('run.rejected'), runId: Id, reason: Text(2000) });

export const LogLine = Type.Object({ stream: LogStream, text: Text(MAX_LOG_LINE_CHARS) });

/** Lines `seq`, `seq + 1`, ... of a run (numbered from 1). Re-sent lines are stored once. */
export const RunLog = Type.Object({
  type: Type.Literal('run.log'),
  runId: Id,
  seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  lines: Type.Array(LogLine, { minItems: 1, maxItems: MAX_LOG_LINES_PER_MESSAGE }),
});

export const RunFinished = Type.Object({
  type: Type.Literal('run.finished'),
  runId: Id,
  outcome: RunOutcome,
  exitCode: Type.Union([Type.Integer(), Type.Null()]),
  signal: Type.Union([Text(32), Type.Null()]),
  /** For converge: Chef's closing line (`Chef Infra Client finished, 3/9 resources updated ...`). */
  summary: Type.Union([Text(2000), Type.Null()]),
  /** Why it did not succeed; null when it did. */
  error: Type.Union([Text(4000), Type.Null()]),
  /** For converge: the step that failed (`check-tool`, `converge`, ...). */
  failedStep: Type.Optional(Type.Union([Text(64), Type.Null()])),
  /** How many log lines the run has in all: the server knows when it holds every one. */
  logLines: Seq,
  durationMs: Type.Integer({ minimum: 0 }),
});

/** The node's facts (OS, CPU, memory, disks, network...), sent after welcome when `features.facts` asks and whenever they change. */
export const Facts = Type.Object({
  type: Type.Literal('facts'),
  hash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  facts: Type.Record(Type.String(), Type.Unknown()),
});

/** Results of checks run since the last batch (capability `checks`); each is the check's latest state. */
export const CheckResults = Type.Object({
  type: Type.Literal('check.results'),
  results: Type.Array(CheckResult, { minItems: 1, maxItems: MAX_CHECK_RESULTS_PER_MESSAGE }),
});

export const AgentMessage = Type.Union([Hello, Heartbeat, RunAccepted, RunRejected, RunLog, RunFinished, Facts, Readings, CheckResults]);
export type AgentMessage = Static<typeof AgentMessage>;

export type MessageOf<M extends { type: string }, T extends M['type']> = Extract<M, { type: T }>;
export type HelloMessage = Static<typeof Hello>;
export type WelcomeMessage = Static<typeof Welcome>;
export type RunFinishedMessage = Static<typeof RunFinished>;
export type RunLogMessage = Static<typeof RunLog>;
export type LogLineMessage = Static<typeof LogLine>;
export type HeartbeatMessage = Static<typeof Heartbeat>;
export type CheckResultsMessage = Static<typeof CheckResults>;
