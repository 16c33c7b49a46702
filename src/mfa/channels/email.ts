// Email over SMTP with nodemailer: plain text and HTML from views/email/, short timeouts so a dead
// server fails fast, and errors mapped to stable DeliveryError codes. SMTP replies often quote the
// recipient, so only reply codes and the SMTP command reach the operator detail.
import nodemailer from 'nodemailer';
import { DeliveryError, type Channel, type DeliveryReceipt, type Message } from './channel.js';
import type { EmailContent } from './email-content.js';

export interface EmailSettings {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; nodemailer URL options may follow the `?`. */
  readonly url: string;
  /** The From header, e.g. `"Sign-in" <no-reply@idp.example>`. */
  readonly from: string;
  /** Connection, greeting and socket inactivity timeouts. Default 10 s. */
  readonly timeoutMs?: number;
}

export const DEFAULT_SMTP_TIMEOUT_MS = 10_000;
/** One plain address: no display name, list separator or spaces that could add recipients. */
const SINGLE_ADDRESS = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+\.[^\s@<>()[\]",;:\\]+$/;

export function createEmailChannel(settings: EmailSettings, render: (message: Message) => EmailContent): Channel {
  const timeout = settings.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    url: settings.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
  });

  return {
    name: 'email',
    async send(message: Message): Promise<DeliveryReceipt> {
      if (!SINGLE_ADDRESS.test(message.to)) throw new DeliveryError('invalid_recipient', 'email', message.to, 'not a single email address');
      const { subject, text, html } = render(message);
      try {
        const info = await transport.sendMail({
          from: settings.from,
          to: message.to,
          subject,
          text,
          html,
          // RFC 3834: tells mail servers not to answer with vacation or out-of-office replies.
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
        return { channel: 'email', providerMessageId: info.messageId };
      } catch (err) {
        throw toDeliveryError(err, message.to);
      }
    },
  };
}

function toDeliveryError(err: unknown, to: string): DeliveryError {
  const { code, responseCode, command } = (err ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
  const detail = [
    typeof code === 'string' ? code : 'unknown error',
    typeof responseCode === 'number' ? `reply ${responseCode}` : '',
    typeof command === 'string' ? `to ${command.split(':')[0]}` : '',
  ].filter(Boolean).join(' ');
  if (code === 'EENVELOPE' && command === 'RCPT TO' && typeof responseCode === 'number' && responseCode >= 500) {
    return new DeliveryError('invalid_recipient', 'email', to, detail);
  }
  if (code === 'ETIMEDOUT') return new DeliveryError('timeout', 'email', to, detail);
  return new DeliveryError('provider_unavailable', 'email', to, detail);
}
