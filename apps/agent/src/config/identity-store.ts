/**
 * The agent's identity in the state directory: identity.json (ids and the public key) and agent.key
 * (the Ed25519 private key, PKCS#8 PEM, 0600). Made once at enrolment; no secret from the server is kept.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { loadPrivateKey } from '@overmind/agent-protocol';
import { CliError, EXIT_NEEDS_OPERATOR } from '../cli/cli-error.js';
import { agentFiles, type AgentDirs } from './agent-dirs.js';
import { writeFileAtomic } from './atomic-write.js';

export interface AgentIdentity {
  agentId: string;
  /** Null while an operator has not approved the agent (enrolled with a token bound to no node). */
  nodeId: string | null;
  publicKey: string;
  enrolledAt: string;
}

export interface LoadedIdentity extends AgentIdentity {
  privateKey: KeyObject;
}

/** Null when the agent is not enrolled (no identity.json). */
export async function readIdentity(dirs: AgentDirs): Promise<AgentIdentity | null> {
  const path = agentFiles(dirs).identity;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`, EXIT_NEEDS_OPERATOR);
  }
  try {
    const value = JSON.parse(text) as Partial<AgentIdentity>;
    if (typeof value.agentId !== 'string' || typeof value.publicKey !== 'string') throw new Error('missing agentId or publicKey');
    return { agentId: value.agentId, nodeId: value.nodeId ?? null, publicKey: value.publicKey, enrolledAt: value.enrolledAt ?? '' };
  } catch (err) {
    throw new CliError(`${path} is damaged (${(err as Error).message}): enrol again with --force`, EXIT_NEEDS_OPERATOR);
  }
}

export async function loadIdentity(dirs: AgentDirs): Promise<LoadedIdentity> {
  const identity = await readIdentity(dirs);
  if (!identity) throw new CliError(`not enrolled (no ${agentFiles(dirs).identity}): run overmind-agent enroll --url URL --token-file FILE`, EXIT_NEEDS_OPERATOR);
  const keyPath = agentFiles(dirs).privateKey;
  try {
    return { ...identity, privateKey: loadPrivateKey(await readFile(keyPath, 'utf8')) };
  } catch (err) {
    throw new CliError(`cannot load the agent key ${keyPath} (${(err as Error).message}): enrol again with --force`, EXIT_NEEDS_OPERATOR);
  }
}

/** Writes the private key first: an identity.json without its key would look enrolled and fail every connection. */
export async function saveIdentity(dirs: AgentDirs, identity: AgentIdentity, privateKeyPem: string): Promise<void> {
  const files = agentFiles(dirs);
  await mkdir(dirs.stateDir, { recursive: true, mode: 0o700 });
  await rm(files.identity, { force: true });
  await writeFileAtomic(files.privateKey, privateKeyPem, 0o600);
  await writeFileAtomic(files.identity, `${JSON.stringify(identity, null, 2)}\n`, 0o644);
}

/** The node id the server's welcome gave (an approved agent learns its node on connecting). */
export async function updateNodeId(dirs: AgentDirs, identity: AgentIdentity, nodeId: string | null): Promise<void> {
  await writeFileAtomic(agentFiles(dirs).identity, `${JSON.stringify({ ...identity, nodeId }, null, 2)}\n`, 0o644);
}
