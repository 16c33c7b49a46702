/**
 * A local stand-in for the SMS provider's Messages API, spoken the way the official SDK calls it:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded `To`, `From` or
 * `MessagingServiceSid`, `Body`, HTTP Basic auth with the account SID and auth token.
 *
 *   const sms = await startSmsCatcher();
 *   const server = await startServer({ env: sms.env('+15005550006') });
 *   ... const { code } = await sms.nextTo('+15551234821');
 *   await sms.stop();
 *
 * `setFailure` makes the next requests fail like the provider does: 'invalid-number' (400, error
 * 21211), 'server-error' (500), 'timeout' (never answers until stop()), 'none'.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Caught } from './caught.js';

export interface CaughtSms {
  sid: string;
  accountSid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  /** The first 6-digit number in the body, if any. */
  code?: string;
  at: Date;
}

export type SmsFailure = 'none' | 'invalid-number' | 'server-error' | 'timeout';

export interface SmsCatcher {
  /** `http://127.0.0.1:PORT`: the SDK's API base URL (TWILIO_API_BASE_URL). */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** Every accepted message, oldest first. */
  messages: CaughtSms[];
  /** Environment for startServer({ env }): TWILIO_ACCOUNT_SID, _AUTH_TOKEN, _FROM, _API_BASE_URL. */
  env(from?: string): Record<string, string>;
  /** Resolves with the first message (already caught or still to come) that matches. */
  waitFor(predicate: (sms: CaughtSms) => boolean, timeoutMs?: number): Promise<CaughtSms>;
  /** Messages API requests that reached the provider, whatever it answered (failures included). */
  readonly attempts: number;
  /** The next message to `phone` not yet returned by nextTo. */
  nextTo(phone: string, timeoutMs?: number): Promise<CaughtSms>;
  setFailure(mode: SmsFailure): void;
  stop(): Promise<void>;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/;

export async function startSmsCatcher(options: { accountSid?: string; authToken?: string } = {}): Promise<SmsCatcher> {
  const accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
  const authToken = options.authToken ?? randomBytes(16).toString('hex');
  const caught = new Caught<CaughtSms>('SMS');
  const { messages } = caught;
  const returned = new Set<CaughtSms>();
  let failure: SmsFailure = 'none';
  let attempts = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch(() => reply(res, 500, providerError(500, 20500, 'Internal Server Error')));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = MESSAGES_PATH.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return reply(res, 404, providerError(404, 20404, 'The requested resource was not found'));
    if (match[1] !== accountSid || req.headers.authorization !== basic(accountSid, authToken)) {
      return reply(res, 401, { ...providerError(401, 20003, 'Authenticate'), detail: 'Your AccountSid or AuthToken was incorrect.' });
    }
    const form = new URLSearchParams(await readBody(req));
    const to = form.get('To') ?? '';
    const body = form.get('Body') ?? '';
    const from = form.get('From') ?? undefined;
    const messagingServiceSid = form.get('MessagingServiceSid') ?? undefined;
    if (!to || !body || (!from && !messagingServiceSid)) {
      return reply(res, 400, providerError(400, 21604, "A 'To', 'Body' and 'From' or 'MessagingServiceSid' are required."));
    }
    attempts++;
    if (failure === 'timeout') return; // held open until stop()
    if (failure === 'server-error') return reply(res, 500, providerError(500, 20500, 'Internal Server Error'));
    if (failure === 'invalid-number') return reply(res, 400, providerError(400, 21211, `The 'To' number ${to} is not a valid phone number.`));

    const sms: CaughtSms = { sid: `SM${randomBytes(16).toString('hex')}`, accountSid, to, from, messagingServiceSid, body, code: /\b\d{6}\b/.exec(body)?.[0], at: new Date() };
    caught.push(sms);
    reply(res, 201, messageResource(sms));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const waitFor = (predicate: (sms: CaughtSms) => boolean, timeoutMs?: number) => caught.waitFor(predicate, timeoutMs);

  return {
    baseUrl,
    accountSid,
    authToken,
    messages,
    get attempts() {
      return attempts;
    },
    env: (from = '+15005550006') => ({ TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, TWILIO_FROM: from, TWILIO_API_BASE_URL: baseUrl }),
    waitFor,
    async nextTo(phone, timeoutMs) {
      const sms = await waitFor((candidate) => candidate.to === phone && !returned.has(candidate), timeoutMs);
      returned.add(sms);
      return sms;
    },
    setFailure(mode) {
      failure = mode;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function providerError(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** The Message resource as the real API returns it on create. */
function messageResource(sms: CaughtSms) {
  const date = sms.at.toUTCString().replace('GMT', '+0000');
  const uri = `/2010-04-01/Accounts/${sms.accountSid}/Messages/${sms.sid}`;
  return {
    account_sid: sms.accountSid,
    api_version: '2010-04-01',
    body: sms.body,
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: sms.from ?? null,
    messaging_service_sid: sms.messagingServiceSid ?? null,
    num_media: '0',
    num_segments: String(Math.ceil(sms.body.length / 160)),
    price: null,
    price_unit: 'USD',
    sid: sms.sid,
    status: 'queued',
    subresource_uris: { media: `${uri}/Media.json` },
    to: sms.to,
    uri: `${uri}.json`,
  };
}
