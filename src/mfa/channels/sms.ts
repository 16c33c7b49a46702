// SMS through the provider's REST API with the official `twilio` SDK. Errors are mapped to stable
// DeliveryError codes; nothing from the SDK error (it echoes the number) reaches the detail as is.
import twilio from 'twilio';
import { DeliveryError, type Channel, type DeliveryReceipt, type Message } from './channel.js';
import { smsText } from './wording.js';

export interface SmsSettings {
  readonly accountSid: string;
  readonly authToken: string;
  /** A sender number (E.164) or a messaging service SID (`MG…`). */
  readonly from: string;
  /** Another API host for the Messages API (test stub, on-premises gateway); default the provider's. */
  readonly apiBaseUrl?: string;
  /** Per-request timeout; a slower answer fails with `timeout`. Default 10 s. */
  readonly timeoutMs?: number;
}

export const DEFAULT_SMS_TIMEOUT_MS = 10_000;
const E164 = /^\+[1-9]\d{6,14}$/;

/** Provider errors meaning "this number cannot get texts" (invalid, landline, blocked region, opted out). */
const RECIPIENT_ERRORS = new Set([21211, 21217, 21401, 21407, 21408, 21421, 21610, 21612, 21614]);

export function createSmsChannel(settings: SmsSettings): Channel {
  const client = twilio(settings.accountSid, settings.authToken, {
    timeout: settings.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS,
    // Ignore TWILIO_LOG_LEVEL: its debug mode prints request bodies, which hold the code.
    logLevel: 'info',
    // A custom host is used as given: no edge/region rewriting of its name from TWILIO_EDGE/REGION.
    ...(settings.apiBaseUrl ? { edge: '', region: '' } : {}),
  });
  // The SDK has no base-URL option; each domain object keeps its base URL in `baseUrl`.
  if (settings.apiBaseUrl) client.api.baseUrl = settings.apiBaseUrl;
  const sender = settings.from.startsWith('MG') ? { messagingServiceSid: settings.from } : { from: settings.from };

  return {
    name: 'sms',
    async send(message: Message): Promise<DeliveryReceipt> {
      if (!E164.test(message.to)) throw new DeliveryError('invalid_recipient', 'sms', message.to, 'not an E.164 phone number');
      try {
        const sent = await client.messages.create({ to: message.to, body: smsText(message), ...sender });
        return { channel: 'sms', providerMessageId: sent.sid };
      } catch (err) {
        throw toDeliveryError(err, message.to);
      }
    },
  };
}

function toDeliveryError(err: unknown, to: string): DeliveryError {
  const { status, code } = (err ?? {}) as { status?: unknown; code?: unknown };
  if (typeof status === 'number') {
    const detail = `provider answered HTTP ${status}${typeof code === 'number' ? ` with error ${code}` : ''}`;
    if (typeof code === 'number' && RECIPIENT_ERRORS.has(code)) return new DeliveryError('invalid_recipient', 'sms', to, detail);
    const hint = status === 401 || status === 403 ? ' (check the account SID and auth token)' : '';
    return new DeliveryError('provider_unavailable', 'sms', to, detail + hint);
  }
  // Network errors from the HTTP client: a code such as ECONNREFUSED, ECONNABORTED on timeout.
  const network = typeof code === 'string' ? code : 'unknown error';
  if (network === 'ECONNABORTED' || network === 'ETIMEDOUT') return new DeliveryError('timeout', 'sms', to, `no answer in time (${network})`);
  return new DeliveryError('provider_unavailable', 'sms', to, `request failed (${network})`);
}
