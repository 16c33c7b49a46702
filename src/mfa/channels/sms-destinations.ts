// Where text messages may go: only to the regions the installation allows (SMS_ALLOWED_REGIONS,
// default the United States, its territories in the North American numbering plan, and Canada),
// and never to premium-rate, toll-free, shared-cost, personal/non-geographic or other special
// numbers, whose texts cost the practice money or pay someone else (SMS pumping). Pure: the number
// is parsed with libphonenumber-js (its full metadata, for number types), then the NANP's own
// special exchanges (N11, 976) and service area codes are refused, which that metadata does not mark.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';
import { DeliveryError, type Channel } from './channel.js';
import { DEFAULT_SMS_REGIONS } from '../../config/sms-regions.js';

export { DEFAULT_SMS_REGIONS } from '../../config/sms-regions.js';

const REFUSED_TYPES: ReadonlySet<NumberType> = new Set<NumberType>(['PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'PERSONAL_NUMBER', 'UAN', 'VOICEMAIL', 'PAGER']);
/** NANP area codes that are services, not places: personal communications (5XX), 600, 700, 710, toll-free (8XX), premium (900). */
const NANP_SERVICE_AREAS = /^(5(00|2[1-9]|33|44|66|77|88)|600|622|700|710|8(00|22|33|44|55|66|77|88)|900)$/;

export function isKnownRegion(code: string): boolean {
  return isSupportedCountry(code as CountryCode);
}

/** Why a text may not go to `e164`, or undefined when it may. */
export function smsDestinationProblem(e164: string, allowedRegions: readonly string[] = DEFAULT_SMS_REGIONS): string | undefined {
  const number = parsePhoneNumberFromString(e164);
  if (!number?.isPossible()) return 'not a possible phone number';
  const nanp = number.countryCallingCode === '1';
  // A NANP area code not assigned to any region yet (such as the fictional 555) cannot be routed
  // anywhere costly: it counts as the plan's main region, the US.
  const region = number.country ?? (nanp ? 'US' : undefined);
  if (!region || !allowedRegions.includes(region)) return `texts to ${region ?? `+${number.countryCallingCode}`} numbers are not allowed here`;
  const type = number.getType();
  if (type && REFUSED_TYPES.has(type)) return `texts to ${type.toLowerCase().replace(/_/g, '-')} numbers are not allowed`;
  if (nanp) {
    const national = number.nationalNumber;
    if (NANP_SERVICE_AREAS.test(national.slice(0, 3))) return 'texts to non-geographic or premium area codes are not allowed';
    if (/^([2-9]11|976)$/.test(national.slice(3, 6))) return 'texts to special or premium exchanges are not allowed';
  }
  return undefined;
}

/** The SMS channel, refusing destinations outside the allowed regions before anything is sent. */
export function allowedDestinationsOnly(channel: Channel, allowedRegions: readonly string[]): Channel {
  return {
    ...channel,
    async send(message) {
      const problem = smsDestinationProblem(message.to, allowedRegions);
      if (problem) throw new DeliveryError('invalid_recipient', 'sms', message.to, `destination refused: ${problem}`);
      return channel.send(message);
    },
  };
}
