import { describe, expect, it } from 'vitest';
import { generateAgentKeyPair, helloSigningText, loadPrivateKey, parsePublicKey, requestSigningText, signText, verifyText } from '../src/index.js';

describe('agent signatures', () => {
  it('verifies a hello signed with the agent key and nothing else', () => {
    const pair = generateAgentKeyPair();
    const other = generateAgentKeyPair();
    const key = loadPrivateKey(pair.privateKeyPem);
    const pub = parsePublicKey(pair.publicKey)!;
    const sig = signText(key, helloSigningText('nonce-1', 'agent-1'));
    expect(verifyText(pub, helloSigningText('nonce-1', 'agent-1'), sig)).toBe(true);
    // A replayed signature on another connection's nonce, or for another agent id, fails.
    expect(verifyText(pub, helloSigningText('nonce-2', 'agent-1'), sig)).toBe(false);
    expect(verifyText(pub, helloSigningText('nonce-1', 'agent-2'), sig)).toBe(false);
    expect(verifyText(parsePublicKey(other.publicKey)!, helloSigningText('nonce-1', 'agent-1'), sig)).toBe(false);
    expect(verifyText(pub, requestSigningText('GET', '/x', 'd'), sig)).toBe(false);
    expect(verifyText(pub, helloSigningText('nonce-1', 'agent-1'), 'garbage')).toBe(false);
  });

  it('accepts only well-formed Ed25519 public keys', () => {
    expect(parsePublicKey(generateAgentKeyPair().publicKey)).not.toBeNull();
    expect(parsePublicKey('short')).toBeNull();
    expect(parsePublicKey('!'.repeat(43))).toBeNull();
  });
});
