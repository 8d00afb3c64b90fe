/**
 * `overmind-agent enroll`: a fresh Ed25519 key pair, the join token and the public key to the API,
 * and the identity it answers with, stored. The token comes from a file or stdin so that install
 * scripts never put it on a command line; it is never printed or stored.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { AGENT_ENROLL_PATH, generateAgentKeyPair, type EnrollRequest, type EnrollResponse } from '@overmind/agent-protocol';
import { errorMessage } from '../agent-log.js';
import { normalizeUrl, type AgentConfig } from '../config/agent-config.js';
import { agentFiles, type AgentDirs } from '../config/agent-dirs.js';
import { writeFileAtomic } from '../config/atomic-write.js';
import { readIdentity, saveIdentity } from '../config/identity-store.js';
import { describeFailure, readBody, sendRequest } from '../http/http-request.js';
import { AGENT_VERSION } from '../version.js';
import { CliError } from './cli-error.js';

export interface EnrollOptions {
  url: string;
  /** The token itself, or `-` for stdin. */
  token?: string;
  tokenFile?: string;
  caFile?: string;
  user?: string;
  force?: boolean;
}

async function readToken(options: EnrollOptions, stdin: NodeJS.ReadableStream): Promise<string> {
  if ((options.token === undefined) === (options.tokenFile === undefined)) throw new CliError('give the join token with exactly one of --token TOKEN, --token - (stdin) or --token-file FILE');
  let token: string;
  if (options.tokenFile !== undefined) {
    try {
      token = await readFile(options.tokenFile, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read the token file ${options.tokenFile}: ${errorMessage(err)}`);
    }
  } else if (options.token === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    token = Buffer.concat(chunks).toString('utf8');
  } else {
    token = options.token!;
  }
  token = token.trim();
  if (token.length < 10 || token.length > 200 || /\s/.test(token)) throw new CliError('that is not a join token (expected one word of 10 to 200 characters)');
  return token;
}

async function readConfig(path: string): Promise<Partial<AgentConfig>> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Partial<AgentConfig>;
  } catch {
    return {};
  }
}

export async function enroll(dirs: AgentDirs, options: EnrollOptions, stdin: NodeJS.ReadableStream, out: (line: string) => void): Promise<void> {
  const url = normalizeUrl(options.url);
  const existing = await readIdentity(dirs);
  if (existing && !options.force) {
    throw new CliError(`already enrolled as agent ${existing.agentId}${existing.nodeId ? ` (node ${existing.nodeId})` : ''}: give --force to enrol again with a new key`);
  }
  const token = await readToken(options, stdin);
  let ca: Buffer | undefined;
  if (options.caFile) {
    try {
      ca = await readFile(options.caFile);
    } catch (err) {
      throw new CliError(`cannot read the CA file ${options.caFile}: ${errorMessage(err)}`);
    }
  }

  const keys = generateAgentKeyPair();
  const body: EnrollRequest = { token, publicKey: keys.publicKey, hostname: hostname().slice(0, 255) || 'unknown', agentVersion: AGENT_VERSION };
  let answer: EnrollResponse;
  try {
    const res = await sendRequest(url, AGENT_ENROLL_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ca });
    if (res.statusCode !== 200 && res.statusCode !== 201) throw new CliError(`enrolment failed: ${await describeFailure(res)}`);
    const parsed = JSON.parse(await readBody(res)) as EnrollResponse;
    if (typeof parsed?.agentId !== 'string' || !parsed.agentId) throw new Error('the answer has no agentId');
    answer = parsed;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`enrolment failed: ${errorMessage(err)}`);
  }

  const files = agentFiles(dirs);
  const previous = await readConfig(files.config);
  const config: AgentConfig = {
    ...previous,
    url,
    ...(options.caFile ? { caFile: options.caFile } : {}),
    ...(options.user ? { user: options.user } : {}),
  };
  await mkdir(dirs.configDir, { recursive: true, mode: 0o755 });
  await writeFileAtomic(files.config, `${JSON.stringify(config, null, 2)}\n`, 0o644);
  await saveIdentity(dirs, { agentId: answer.agentId, nodeId: answer.nodeId ?? null, publicKey: keys.publicKey, enrolledAt: new Date().toISOString() }, keys.privateKeyPem);
  // A new identity starts afresh: the old one's runs and status are not this agent's.
  await rm(files.runs, { recursive: true, force: true });
  await rm(files.status, { force: true });
  out(
    answer.status === 'pending' || !answer.nodeId
      ? `enrolled as agent ${answer.agentId}: waiting for an operator to approve it`
      : `enrolled as agent ${answer.agentId} of node ${answer.nodeId}`,
  );
}
