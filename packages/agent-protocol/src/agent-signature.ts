/**
 * Agent identity: an Ed25519 key pair made on the node at enrolment. The server keeps only the public
 * key (base64url of the raw 32 bytes, as in a JWK's `x`) and checks a signature on every connection
 * and on every HTTP request an agent makes after enrolment. Nothing secret is shared.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export interface AgentKeyPair {
  /** base64url raw public key: what enrolment sends and the server stores. */
  publicKey: string;
  /** PKCS#8 PEM: stays on the node (0600). */
  privateKeyPem: string;
}

export function generateAgentKeyPair(): AgentKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ format: 'jwk' }).x!,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

/** Null when the text is not an Ed25519 public key. */
export function parsePublicKey(publicKey: string): KeyObject | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(publicKey)) return null;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
  } catch {
    return null;
  }
}

export function loadPrivateKey(pem: string): KeyObject {
  return createPrivateKey(pem);
}

/** What an agent signs to answer a challenge; the nonce makes a recorded hello useless on another connection. */
export function helloSigningText(nonce: string, agentId: string): string {
  return `overmind-agent-hello/v1\n${nonce}\n${agentId}`;
}

/** What an agent signs for an HTTP request: method, path (with query) and the date header's value. */
export function requestSigningText(method: string, path: string, date: string): string {
  return `overmind-agent-request/v1\n${method.toUpperCase()}\n${path}\n${date}`;
}

export function signText(privateKey: KeyObject, text: string): string {
  return sign(null, Buffer.from(text), privateKey).toString('base64url');
}

export function verifyText(publicKey: KeyObject, text: string, signature: string): boolean {
  if (!/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
  return verify(null, Buffer.from(text), publicKey, Buffer.from(signature, 'base64url'));
}

/** Headers of a signed agent request; the server accepts a date within `REQUEST_CLOCK_SKEW_MS` of its own. */
export const REQUEST_HEADERS = { agentId: 'overmind-agent-id', date: 'overmind-agent-date', signature: 'overmind-agent-signature' } as const;
export const REQUEST_CLOCK_SKEW_MS = 5 * 60_000;

export function signedRequestHeaders(privateKey: KeyObject, agentId: string, method: string, path: string, now = new Date()): Record<string, string> {
  const date = now.toISOString();
  return {
    [REQUEST_HEADERS.agentId]: agentId,
    [REQUEST_HEADERS.date]: date,
    [REQUEST_HEADERS.signature]: signText(privateKey, requestSigningText(method, path, date)),
  };
}
