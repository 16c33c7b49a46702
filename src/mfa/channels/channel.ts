// The delivery strategy every second-factor channel implements. A message says WHAT to tell the
// user (its kind and facts); each channel decides HOW (SMS text, email with HTML, dev outbox).
import { AppError } from '../../errors.js';
import type { Language } from '../../i18n/languages.js';
import { t } from '../../i18n/request.js';
import { maskRecipient } from './mask.js';

export type ChannelName = 'sms' | 'email';
export type CodeKind = 'sign_in_code' | 'reset_code' | 'phone_verification_code';

interface MessageBase {
  /** E.164 phone number (`+15551234821`) for SMS, an email address for email. */
  readonly to: string;
  /** Shown so the user knows which practice the message is about. */
  readonly practiceName?: string;
  /**
   * The recipient's language, for a message sent outside their own request (a notice, an admin's
   * action); absent: the language of the request sending it (src/i18n/request.ts).
   */
  readonly language?: Language;
}

export interface CodeMessage extends MessageBase {
  readonly kind: CodeKind;
  readonly code: string;
  readonly expiresInMinutes: number;
}

export interface PasswordChangedMessage extends MessageBase {
  readonly kind: 'password_changed';
  readonly changedAt: Date;
}

/** Free text from the product itself (never user input): a subject for email, the text for both. */
export interface NoticeMessage extends MessageBase {
  readonly kind: 'notice';
  readonly subject: string;
  readonly text: string;
}

export type Message = CodeMessage | PasswordChangedMessage | NoticeMessage;
export type MessageKind = Message['kind'];

export interface DeliveryReceipt {
  /** `outbox` when a development outbox stood in for the real channel. */
  readonly channel: ChannelName | 'outbox';
  readonly providerMessageId?: string;
}

export interface Channel {
  readonly name: ChannelName;
  /** Resolves once the provider accepted the message; throws a DeliveryError otherwise. */
  send(message: Message): Promise<DeliveryReceipt>;
}

export type DeliveryErrorCode = 'invalid_recipient' | 'provider_unavailable' | 'timeout' | 'not_configured';

/**
 * A message could not be handed to the provider. `code` is stable for callers, `userMessage` tells
 * the user what to do, `message` is operator detail: it names the masked recipient and the
 * provider's error code, never the one-time code or the full address. No `cause` is kept, because
 * the SDKs' errors carry the request body (with the code) and the full recipient.
 */
export class DeliveryError extends AppError {
  declare readonly code: DeliveryErrorCode;
  readonly channel: ChannelName;

  constructor(code: DeliveryErrorCode, channel: ChannelName, to: string, detail: string) {
    // Each channel and failure has its own entry in the error table (status and what to do instead);
    // the words are translated here, while the request that asked for the message runs (src/i18n/request.ts).
    super(`${channel}_${code}`, { detail: `${channel} to ${maskRecipient(to)} failed (${code}): ${detail}`, message: t(`signin:delivery.${channel}.${code}`) });
    this.channel = channel;
  }
}

export function isCodeMessage(message: Message): message is CodeMessage {
  return message.kind === 'sign_in_code' || message.kind === 'reset_code' || message.kind === 'phone_verification_code';
}
