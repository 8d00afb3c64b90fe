/**
 * TLS trust for a BMC: system CAs by default; any certificate only when the node says `insecure`; or
 * exactly one certificate, pinned by its SHA-256 fingerprint (BMCs mostly ship self-signed ones). The
 * pin is checked before the socket is handed to HTTP, so no request (and no credential) reaches a
 * server presenting another certificate.
 */
import { Agent, type AgentOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { BmcRequestError } from './baremetal-errors.js';

export interface BmcTlsTrust {
  insecure: boolean;
  /** Upper-case hex with colons, as `fingerprint256`. */
  tlsFingerprint?: string;
}

type ConnectCallback = (err: Error | null, socket: Duplex) => void;

class PinnedAgent extends Agent {
  constructor(
    options: AgentOptions,
    private readonly fingerprint: string,
    private readonly endpoint: string,
  ) {
    // No TLS session reuse: every connection shows its certificate and gets checked.
    super({ ...options, rejectUnauthorized: false, maxCachedSessions: 0 });
  }

  override createConnection(options: object, callback?: ConnectCallback): Duplex | null | undefined {
    const socket = super.createConnection({ ...options, rejectUnauthorized: false }) as TLSSocket;
    const fail = (err: Error) => {
      socket.destroy();
      callback?.(err, socket);
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      socket.removeListener('error', fail);
      const seen = socket.getPeerCertificate().fingerprint256;
      if (seen !== this.fingerprint) {
        return fail(
          new BmcRequestError(
            `BMC ${this.endpoint} presented certificate ${seen ?? '(none)'}, not the pinned ${this.fingerprint}; nothing was sent`,
            { providerCode: 'tls_pin_mismatch' },
          ),
        );
      }
      callback?.(null, socket);
    });
    return undefined;
  }
}

/** A keep-alive agent for the requests of one operation, trusting what the node's registration says. */
export function bmcAgent(trust: BmcTlsTrust, endpoint: string): Agent {
  const options: AgentOptions = { keepAlive: true, maxSockets: 2 };
  if (trust.tlsFingerprint) return new PinnedAgent(options, trust.tlsFingerprint, endpoint);
  return new Agent({ ...options, rejectUnauthorized: !trust.insecure });
}

const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A certificate the system does not trust: an operator decision, so never retried. */
export function untrustedCertificateError(err: unknown, endpoint: string): BmcRequestError | null {
  const code = (err as { code?: string } | null)?.code;
  if (!code || !UNTRUSTED.has(code)) return null;
  return new BmcRequestError(
    `BMC ${endpoint} certificate is not trusted (${code}): pin its SHA-256 fingerprint (bmc.tlsFingerprint) ` +
      `or, on a trusted network, set bmc.insecure`,
    { providerCode: 'tls_untrusted', cause: err },
  );
}
