/** The one plain HTTP exchange of an agent's life: a join token and a fresh public key for an identity. */
import { Type, type Static } from 'typebox';

export const EnrollRequest = Type.Object(
  {
    token: Type.String({ minLength: 10, maxLength: 200 }),
    publicKey: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', maxLength: 43, description: 'base64url of the raw 32-byte Ed25519 public key' }),
    hostname: Type.String({ minLength: 1, maxLength: 255 }),
    agentVersion: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type EnrollRequest = Static<typeof EnrollRequest>;

export const EnrollResponse = Type.Object({
  agentId: Type.String(),
  nodeId: Type.Union([Type.String(), Type.Null()]),
  /** `pending` until an operator approves an agent enrolled with a token bound to no node. */
  status: Type.Union([Type.Literal('active'), Type.Literal('pending')]),
});
export type EnrollResponse = Static<typeof EnrollResponse>;
