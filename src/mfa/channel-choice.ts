// Which channel a user's code goes to, and where: SMS when the user chose it and has a phone (and SMS
// is available here), otherwise email, which every user has. The other channel is offered on the
// code page when the user has both.
import type { ChannelName } from './channels/channel.js';
import { maskEmail, maskPhone } from './channels/mask.js';

export interface Reachable {
  email: string;
  phone?: string | null;
  mfaChannel?: ChannelName | null;
}

export function channelsFor(user: Reachable, available: readonly ChannelName[]): ChannelName[] {
  const sms = Boolean(user.phone) && available.includes('sms');
  if (!sms) return ['email'];
  return user.mfaChannel === 'email' ? ['email', 'sms'] : ['sms', 'email'];
}

/** The preferred channel first. */
export function preferredChannel(user: Reachable, available: readonly ChannelName[]): ChannelName {
  return channelsFor(user, available)[0]!;
}

export function destinationOf(user: Reachable, channel: ChannelName): { to: string; masked: string } {
  if (channel === 'sms' && user.phone) return { to: user.phone, masked: maskPhone(user.phone) };
  return { to: user.email, masked: maskEmail(user.email) };
}
