// Development outbox: stands in for SMS or email when they are not configured, so sign-in with a
// code works on a laptop. It keeps the code in memory and prints it to the console, which is why
// it refuses to exist in production.
import { DeliveryError, isCodeMessage, type Channel, type ChannelName, type DeliveryReceipt, type Message } from './channel.js';
import type { EmailContent } from './email-content.js';
import { maskRecipient } from './mask.js';
import { smsText } from './wording.js';

export interface OutboxEntry {
  readonly at: Date;
  /** The channel this entry stands in for. */
  readonly channel: ChannelName;
  readonly kind: Message['kind'];
  /** Masked: the outbox page may be shown on a shared screen. */
  readonly to: string;
  /** Email only. */
  readonly subject?: string;
  /** What the user would read (SMS text or the email's plain-text body), code included. */
  readonly text: string;
}

export interface OutboxOptions {
  readonly production: boolean;
  readonly now?: () => number;
  /** Where the one-line notice goes; default console.log. */
  readonly log?: (line: string) => void;
  /** Entries kept, newest first; default 50. */
  readonly capacity?: number;
}

const KIND_LABELS = { sign_in_code: 'SIGN-IN CODE', reset_code: 'PASSWORD RESET CODE', phone_verification_code: 'PHONE VERIFICATION CODE' } as const;

export class Outbox {
  private readonly entries: OutboxEntry[] = [];
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly capacity: number;
  private sequence = 0;

  constructor(options: OutboxOptions) {
    if (options.production) throw new Error('The development outbox cannot be used in production: configure SMS and SMTP delivery');
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((line) => console.log(line));
    this.capacity = options.capacity ?? 50;
  }

  /** Newest first. Copies, so a page cannot alter the outbox. */
  list(): OutboxEntry[] {
    return [...this.entries];
  }

  /** A Channel that records into this outbox instead of sending. */
  channel(name: 'sms'): Channel;
  channel(name: 'email', render: (message: Message) => EmailContent): Channel;
  channel(name: ChannelName, render?: (message: Message) => EmailContent): Channel {
    return {
      name,
      send: async (message: Message): Promise<DeliveryReceipt> => {
        if (!message.to.trim()) throw new DeliveryError('invalid_recipient', name, message.to, 'no recipient');
        const email = render?.(message);
        this.record({
          at: new Date(this.now()),
          channel: name,
          kind: message.kind,
          to: maskRecipient(message.to),
          ...(email ? { subject: email.subject, text: email.text } : { text: smsText(message) }),
        }, isCodeMessage(message) ? message.code : undefined);
        return { channel: 'outbox', providerMessageId: `outbox-${++this.sequence}` };
      },
    };
  }

  private record(entry: OutboxEntry, code: string | undefined): void {
    this.entries.unshift(entry);
    this.entries.length = Math.min(this.entries.length, this.capacity);
    // A code is what the developer came for: it gets a line of its own that a busy terminal cannot
    // cut or bury. Other messages (notices, "password changed") get their subject.
    if (code) {
      this.log(`[outbox] >>> ${KIND_LABELS[entry.kind as keyof typeof KIND_LABELS] ?? entry.kind} ${code} <<< by ${entry.channel} to ${entry.to}`);
      return;
    }
    const summary = (entry.subject ?? entry.text).replace(/\s+/g, ' ');
    this.log(`[outbox] ${entry.channel} to ${entry.to}: ${summary.length > 72 ? `${summary.slice(0, 71)}…` : summary}`);
  }
}
