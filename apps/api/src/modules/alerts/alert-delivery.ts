/**
 * Sends one notification (a pg-boss job on the worker); a failure throws, and pg-boss retries it with
 * exponential backoff. A webhook's URL is the user's: it gets the alert's JSON and a signature, no
 * redirect is followed (it would carry the request elsewhere), its answer is not read beyond the
 * status, and logs name only its origin (a URL's path or query may itself be a credential).
 */
import { createHmac } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { SmtpSettings } from '../../config.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { AlertNotification } from './alert-notifications.js';

export const SIGNATURE_HEADER = 'x-overmind-signature';
const WEBHOOK_TIMEOUT_MS = 10_000;

/** `sha256=` and the hex HMAC-SHA256 of the body under the rule's secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function createAlertDelivery(deps: { secrets: Pick<SecretBox, 'open'>; smtp: SmtpSettings | null; fetch?: typeof fetch }) {
  const send = deps.fetch ?? fetch;
  let mailer: Transporter | null = null;

  function transport(smtp: SmtpSettings): Transporter {
    mailer ??= nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.tls === 'tls',
      requireTLS: smtp.tls === 'starttls',
      ignoreTLS: smtp.tls === 'none',
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      logger: false,
    });
    return mailer;
  }

  return {
    async deliver(n: AlertNotification): Promise<void> {
      if (n.channel === 'webhook') {
        const origin = new URL(n.url).origin;
        let res: Response;
        try {
          res = await send(n.url, {
            method: 'POST',
            body: n.body,
            redirect: 'manual',
            signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
            headers: { 'content-type': 'application/json', 'user-agent': 'Overmind-Alerts', 'x-overmind-event': n.event, [SIGNATURE_HEADER]: signature(deps.secrets.open(n.secretEnc), n.body) },
          });
        } catch (err) {
          throw new Error(`webhook ${origin} could not be reached: ${(err as Error).name === 'TimeoutError' ? 'timed out' : ((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message)}`);
        }
        await res.body?.cancel().catch(() => {});
        if (res.status >= 300) throw new Error(`webhook ${origin} answered ${res.status}${res.status < 400 ? ' (redirects are not followed)' : ''}`);
        return;
      }
      if (!deps.smtp) throw new Error('e-mail notification, but this worker has no SMTP configured (OVERMIND_SMTP_HOST)');
      await transport(deps.smtp).sendMail({ from: deps.smtp.from, to: n.to, subject: n.subject, text: n.text });
    },

    close(): void {
      mailer?.close();
    },
  };
}

export type AlertDelivery = ReturnType<typeof createAlertDelivery>;
