/** agent.json: the API's address and how to reach it, read and checked once when a command starts. */
import { readFile } from 'node:fs/promises';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { AGENT_CONNECT_PATH } from '@overmind/agent-protocol';
import { CliError, EXIT_NEEDS_OPERATOR } from '../cli/cli-error.js';

export const AgentConfig = Type.Object(
  {
    /** The API's base URL, e.g. `https://overmind.example.com`. */
    url: Type.String({ pattern: '^https?://', maxLength: 2048 }),
    /** Heartbeat interval; used only when shorter than the server's (the server times out at three of its own). */
    heartbeatSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    /** A PEM file of the CA that signed the API's certificate, when it is a private one. */
    caFile: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    /** The user the service runs as (written by the install script; the agent warns when it runs as another). */
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type AgentConfig = Static<typeof AgentConfig>;

const checkConfig = Compile(AgentConfig);

/** The base URL without a trailing slash; throws on anything but an http(s) URL without credentials. */
export function normalizeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`"${raw}" is not a URL (expected e.g. https://overmind.example.com)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`the URL must start with http:// or https://, got ${url.protocol}`);
  if (url.username || url.password) throw new CliError('the URL must not carry a user name or password');
  if (url.search || url.hash) throw new CliError('the URL must not have a query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The WebSocket address for a base URL: http -> ws, https -> wss. */
export function connectUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws')}${AGENT_CONNECT_PATH}`;
}

export async function readAgentConfig(path: string): Promise<AgentConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`${path} does not exist: enrol first (overmind-agent enroll --url URL --token-file FILE)`, EXIT_NEEDS_OPERATOR);
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`, EXIT_NEEDS_OPERATOR);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not valid JSON`, EXIT_NEEDS_OPERATOR);
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const known = Object.keys(AgentConfig.properties);
    const unknown = Object.keys(value).find((key) => !known.includes(key));
    if (unknown) throw new CliError(`${path}: unknown setting "${unknown}" (known: ${known.join(', ')})`, EXIT_NEEDS_OPERATOR);
  }
  if (!checkConfig.Check(value)) {
    const first = [...checkConfig.Errors(value)][0] as { instancePath?: string; message?: string } | undefined;
    throw new CliError(`${path}: ${first?.instancePath || '/'} ${first?.message ?? 'is invalid'}`, EXIT_NEEDS_OPERATOR);
  }
  return { ...value, url: normalizeUrl(value.url) };
}
