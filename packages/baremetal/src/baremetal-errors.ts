/**
 * Typed errors of the dedicated driver. They extend the provider vocabulary (and @overmind/ssh's), so
 * the API maps them without parsing text. Messages name nodes and endpoints, never secrets.
 */
import { InvalidCredentialsError, ProviderError, TransientError } from '@overmind/provider';
import { HostKeyMismatchError } from '@overmind/ssh';

/**
 * The server's SSH host key differs from the pinned one. Nothing was sent. The operator checks the
 * change and resolves it with `acceptHostKey(nodeId, actualFingerprint)`.
 */
export class NodeHostKeyMismatchError extends HostKeyMismatchError {
  override readonly providerCode = 'host_key_mismatch';

  constructor(
    readonly nodeId: string,
    cause: HostKeyMismatchError,
  ) {
    super(cause.endpoint, cause.expectedFingerprint, cause.actualFingerprint);
    this.message =
      `SSH host key of node ${nodeId} (${cause.endpoint}) changed: pinned ${cause.expectedFingerprint}, ` +
      `server presented ${cause.actualFingerprint}. Nothing was sent. If the server was reinstalled, accept ` +
      `the new key (acceptHostKey); otherwise the connection may be intercepted.`;
  }
}

/** The registration data is incomplete or malformed (names the field, never its value). */
export class RegistrationError extends ProviderError {
  override readonly providerCode = 'invalid_registration';
}

/** The BMC did not answer in time, or could not be reached at all. */
export class BmcUnreachableError extends TransientError {
  constructor(
    readonly endpoint: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(`BMC ${endpoint} is unreachable: ${reason}`, options);
  }
}

/** The BMC refused the user name or password, or the account lacks the privilege for the action. */
export class BmcAuthError extends InvalidCredentialsError {
  constructor(
    readonly endpoint: string,
    reason: string,
    options: { cause?: unknown; status?: number } = {},
  ) {
    super(`BMC ${endpoint} refused the credentials: ${reason}`, options);
  }
}

/** The BMC answered but refused or failed the request; `providerCode` carries its own code when it gave one. */
export class BmcRequestError extends ProviderError {}
