/**
 * The fixed numbers of the agent protocol: its version, where agents connect, size limits, and the
 * WebSocket close codes each side uses to say why it ended a connection.
 */

/** The protocol version this code speaks. A new version is needed only to change or remove a message. */
export const PROTOCOL_VERSION = 1;

/** Versions a server of this code accepts in `hello`. */
export const SUPPORTED_VERSIONS: readonly number[] = [1];

/** The WebSocket endpoint, on the API's own HTTP port. */
export const AGENT_CONNECT_PATH = '/api/v1/agent/connect';

/** Enrolment: a join token and a public key in, an agent id out. */
export const AGENT_ENROLL_PATH = '/api/v1/agent/enroll';

/** Content-addressed kitchen archives for `converge` runs: `${AGENT_KITCHEN_PATH}/<sha256>`. */
export const AGENT_KITCHEN_PATH = '/api/v1/agent/kitchens';

/** A message larger than this (UTF-8 bytes) closes the connection with `tooLarge`. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** At most this many lines in one `run.log`, each at most `MAX_LOG_LINE_CHARS` characters. */
export const MAX_LOG_LINES_PER_MESSAGE = 500;
export const MAX_LOG_LINE_CHARS = 16 * 1024;

/** An agent that has not said `hello` this long after the socket opened is closed (`handshakeTimeout`). */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * Close codes. 1xxx are WebSocket's own; 4xxx are this protocol's, named after the HTTP status they
 * resemble so a log reader can guess them. An agent reconnects after every code except `unauthorized`,
 * `forbidden` and `unsupportedVersion`, which need a person (re-enrol, upgrade).
 */
export const CloseCode = {
  /** The server is restarting: reconnect with back-off. */
  serviceRestart: 1012,
  /** The peer sent more than MAX_MESSAGE_BYTES in one message. */
  tooLarge: 1009,
  /** Not JSON, an unknown `type`, or a message that does not match its schema. */
  malformed: 4400,
  /** The hello's signature does not verify, or the agent id is unknown. */
  unauthorized: 4401,
  /** The agent was revoked or rejected. */
  forbidden: 4403,
  /** No hello within HANDSHAKE_TIMEOUT_MS. */
  handshakeTimeout: 4408,
  /** A newer connection of the same agent replaced this one. */
  replaced: 4409,
  /** Enrolled with an unbound token: an operator has not approved the agent yet. Retry later. */
  pendingApproval: 4423,
  /** None of the agent's versions is supported. */
  unsupportedVersion: 4426,
  /** Too many handshakes at once (all agents coming back after a restart): retry with back-off. */
  tryLater: 4429,
  /** The peer stopped answering heartbeats. */
  heartbeatTimeout: 4410,
} as const;

export type CloseCodeName = keyof typeof CloseCode;

/**
 * An agent's reconnect delays: exponential from the base to the cap, each a random delay up to it
 * (full jitter), so agents that lost the API together do not come back together. The cap keeps a
 * fleet's return after an API restart within about half a minute of the API answering again (with
 * 10,000 agents on one process, 333 handshakes a second on average, which it answers), well inside
 * the 55 s after which an agent's silence counts as stale; refused handshakes (tryLater) spread the
 * rest.
 */
export const RECONNECT_BACKOFF = { baseMs: 1000, maxMs: 30_000 } as const;

/** Codes after which an agent must not reconnect on its own. */
export const FINAL_CLOSE_CODES: readonly number[] = [CloseCode.unauthorized, CloseCode.forbidden, CloseCode.unsupportedVersion];
