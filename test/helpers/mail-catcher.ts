/**
 * A real SMTP server on a random 127.0.0.1 port that keeps every message it receives, parsed.
 * No TLS and no authentication required, so any client configured with `url` can deliver.
 *
 *   const mail = await startMailCatcher();
 *   const server = await startServer({ env: mail.env() });
 *   ... const { code, subject } = await mail.nextTo('jane@clinic.example');
 *   await mail.stop();
 *
 * `setFailure` makes the next sessions fail: 'reject-recipient' (550 on RCPT TO), 'down' (421 on
 * connect, then hang up), 'timeout' (accepts the connection but never greets), 'none'.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Caught } from './caught.js';

export interface CaughtMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  /** Envelope sender (MAIL FROM). */
  from: string;
  subject: string;
  text: string;
  /** The HTML body as sent, or '' when there was none. */
  html: string;
  headers: Map<string, unknown>;
  /** The first 6-digit number in the subject or the text body, if any. */
  code?: string;
  at: Date;
}

export type MailFailure = 'none' | 'reject-recipient' | 'down' | 'timeout';

export interface MailCatcher {
  /** `smtp://127.0.0.1:PORT` (SMTP_URL). */
  url: string;
  /** Every accepted message, oldest first. */
  messages: CaughtMail[];
  /** Environment for startServer({ env }): SMTP_URL and SMTP_FROM. */
  env(from?: string): Record<string, string>;
  /** Resolves with the first message (already caught or still to come) that matches. */
  waitFor(predicate: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  /** The next message to `address` not yet returned by nextTo. */
  nextTo(address: string, timeoutMs?: number): Promise<CaughtMail>;
  setFailure(mode: MailFailure): void;
  stop(): Promise<void>;
}

/** The first 6-digit number in a text: the one-time code of a code message. */
export function extractCode(text: string): string | undefined {
  return /\b\d{6}\b/.exec(text)?.[0];
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const caught = new Caught<CaughtMail>('email');
  const { messages } = caught;
  const returned = new Set<CaughtMail>();
  const held: (() => void)[] = [];
  let failure: MailFailure = 'none';

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      if (failure === 'down') return callback(smtpError(421, 'Service not available, closing transmission channel'));
      if (failure === 'timeout') return void held.push(() => callback(smtpError(421, 'Shutting down')));
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (failure === 'reject-recipient') return callback(smtpError(550, `No such user here: ${address.address}`));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: CaughtMail = {
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            headers: parsed.headers,
            code: extractCode(parsed.subject ?? '') ?? extractCode(parsed.text ?? ''),
            at: new Date(),
          };
          caught.push(mail);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;

  const waitFor = (predicate: (mail: CaughtMail) => boolean, timeoutMs?: number) => caught.waitFor(predicate, timeoutMs);

  return {
    url,
    messages,
    env: (from = 'Sign-in <no-reply@idp.test>') => ({ SMTP_URL: url, SMTP_FROM: from }),
    waitFor,
    async nextTo(address, timeoutMs) {
      const wanted = address.toLowerCase();
      const mail = await waitFor((candidate) => candidate.to.includes(wanted) && !returned.has(candidate), timeoutMs);
      returned.add(mail);
      return mail;
    },
    setFailure(mode) {
      failure = mode;
    },
    async stop() {
      for (const release of held.splice(0)) release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}
