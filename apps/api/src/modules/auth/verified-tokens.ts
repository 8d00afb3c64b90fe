/**
 * Session tokens already verified, by their exact text, until they expire: a console or script sends
 * the same token with every request, and checking its HMAC again each time (or, as fast-jwt's own cache
 * does, hashing the whole token to find it) was the largest single part of a request's own work on the
 * node list. The key is the token itself, compared as a whole string, so a token differing by any
 * character is a different entry and is verified in full. Revocation is not this cache's business:
 * the caller checks the token's user (and its password change time) on every request.
 */
export class VerifiedTokens<C extends { exp?: number }> {
  readonly #claims = new Map<string, C>();

  /** `verify` checks signature and claims and throws when the token is not valid. */
  constructor(
    private readonly verify: (token: string) => C,
    private readonly capacity = 1_000,
  ) {}

  claimsOf(token: string, now = Date.now()): C {
    const hit = this.#claims.get(token);
    if (hit && hit.exp! * 1000 > now) return hit;
    if (hit) this.#claims.delete(token);
    const claims = this.verify(token);
    // A token without an expiry is never kept: it would stay valid here for the process's life.
    if (typeof claims.exp === 'number') {
      // The oldest entry makes room (a Map iterates in insertion order).
      if (this.#claims.size >= this.capacity) this.#claims.delete(this.#claims.keys().next().value!);
      this.#claims.set(token, claims);
    }
    return claims;
  }

  get size(): number {
    return this.#claims.size;
  }
}
