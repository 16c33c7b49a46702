// Picks the delivery strategy for each channel from the configuration: the real provider when it
// is configured, otherwise (development and test only) the outbox. Adding a channel (voice, push)
// means a new file beside sms.ts and one line here.
import type { Config } from '../../config/index.js';
import { ConfigError } from '../../errors.js';
import { DeliveryError, type Channel, type ChannelName } from './channel.js';
import { createEmailRenderer, type RenderTemplate } from './email-content.js';
import { createEmailChannel } from './email.js';
import { Outbox } from './outbox.js';
import { createSmsChannel } from './sms.js';
import { allowedDestinationsOnly, DEFAULT_SMS_REGIONS, isKnownRegion } from './sms-destinations.js';

export type Channels = Readonly<Record<ChannelName, Channel>> & {
  /** The channels a user may be offered: email always; sms unless production has no SMS provider. */
  readonly available: readonly ChannelName[];
  /** Present when at least one channel is the development outbox. */
  readonly outbox?: Outbox;
};

export interface ChannelDeps {
  /** Renders the email templates (views/email/). */
  readonly render: RenderTemplate;
  readonly now?: () => number;
  /** The outbox's console line; default console.log. */
  readonly log?: (line: string) => void;
  readonly smsTimeoutMs?: number;
  readonly smtpTimeoutMs?: number;
}

type ChannelConfig = Pick<Config, 'production' | 'smtp' | 'twilio'> & { mfa?: Pick<Config['mfa'], 'smsRegions'> };

export function createChannels(config: ChannelConfig, deps: ChannelDeps): Channels {
  // Every user has an email address, so email must really work in production; SMS is optional
  // (a practice without an SMS provider sends every code by email).
  if (config.production && !config.smtp) throw new ConfigError(['SMTP_URL: is required in production (codes by email)']);
  const render = createEmailRenderer(deps.render);
  let outbox: Outbox | undefined;
  const devOutbox = () => (outbox ??= new Outbox({ production: config.production, now: deps.now, log: deps.log }));

  const smsRegions = config.mfa?.smsRegions ?? DEFAULT_SMS_REGIONS;
  const unknownRegions = smsRegions.filter((code) => !isKnownRegion(code));
  if (unknownRegions.length > 0) throw new ConfigError([`SMS_ALLOWED_REGIONS: ${unknownRegions.join(', ')} is not a region with a calling code`]);
  const sms = allowedDestinationsOnly(config.twilio
    ? createSmsChannel({ ...config.twilio, timeoutMs: deps.smsTimeoutMs ?? config.twilio.timeoutMs })
    : config.production ? unconfiguredChannel('sms') : devOutbox().channel('sms'), smsRegions);
  const email = config.smtp
    ? createEmailChannel({ ...config.smtp, timeoutMs: deps.smtpTimeoutMs }, render)
    : devOutbox().channel('email', render);
  const available: ChannelName[] = config.production && !config.twilio ? ['email'] : ['email', 'sms'];
  return { sms, email, available, ...(outbox ? { outbox } : {}) };
}

/** A channel with no provider behind it: every send is refused with a message offering the other. */
function unconfiguredChannel(name: ChannelName): Channel {
  return {
    name,
    send: async (message) => {
      throw new DeliveryError('not_configured', name, message.to, `no ${name} provider is configured`);
    },
  };
}
