/**
 * Turns WebSocket text into a checked message, or into the protocol error that closes the connection.
 * Each type is checked against its own compiled schema, so an error names the field at fault.
 */
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import { AgentMessage, ServerMessage, Challenge, Welcome, RunOfferMessage, RunCancel, RunAck, Hello, Heartbeat, RunAccepted, RunRejected, RunLog, RunFinished, Facts, ChecksSet, CheckResults } from './messages.js';
import { CloseCode, MAX_MESSAGE_BYTES } from './protocol-constants.js';
import { Readings } from './readings-schemas.js';

export type Decoded<M> = { ok: true; message: M } | { ok: false; code: number; reason: string };

type Validator = ReturnType<typeof Compile>;

function validators(schemas: TSchema[]): Map<string, Validator> {
  const map = new Map<string, Validator>();
  for (const schema of schemas) {
    const type = (schema as { properties: { type: { const: string } } }).properties.type.const;
    map.set(type, Compile(schema));
  }
  return map;
}

const fromServer = validators([Challenge, Welcome, RunOfferMessage, RunCancel, RunAck, ChecksSet]);
const fromAgent = validators([Hello, Heartbeat, RunAccepted, RunRejected, RunLog, RunFinished, Facts, Readings, CheckResults]);

/** A close reason must fit WebSocket's 123 bytes. */
export function closeReason(text: string): string {
  let reason = text.replace(/[\r\n]+/g, ' ');
  while (Buffer.byteLength(reason) > 123) reason = `${reason.slice(0, -2)}…`;
  return reason;
}

function decode<M>(data: string | Buffer, table: Map<string, Validator>): Decoded<M> {
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (bytes > MAX_MESSAGE_BYTES) return { ok: false, code: CloseCode.tooLarge, reason: `message of ${bytes} bytes exceeds ${MAX_MESSAGE_BYTES}` };
  let value: unknown;
  try {
    value = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    return { ok: false, code: CloseCode.malformed, reason: 'message is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, code: CloseCode.malformed, reason: 'message is not a JSON object' };
  const type = (value as { type?: unknown }).type;
  const validator = typeof type === 'string' ? table.get(type) : undefined;
  if (!validator) return { ok: false, code: CloseCode.malformed, reason: closeReason(`unknown message type ${JSON.stringify(type ?? null).slice(0, 40)}`) };
  if (!validator.Check(value)) {
    const first = [...validator.Errors(value)][0] as { instancePath?: string; message?: string } | undefined;
    const where = first?.instancePath || '/';
    return { ok: false, code: CloseCode.malformed, reason: closeReason(`${type as string}: ${where} ${first?.message ?? 'is invalid'}`) };
  }
  return { ok: true, message: value as M };
}

export function decodeAgentMessage(data: string | Buffer): Decoded<AgentMessage> {
  return decode(data, fromAgent);
}

export function decodeServerMessage(data: string | Buffer): Decoded<ServerMessage> {
  return decode(data, fromServer);
}

export function encodeMessage(message: AgentMessage | ServerMessage): string {
  return JSON.stringify(message);
}
