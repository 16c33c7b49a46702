// The default regions texts may go to (SMS_ALLOWED_REGIONS), apart from sms-destinations.ts so the
// configuration schema does not load the phone-number metadata (half a second per CLI command).
/** The US, its NANP territories (Puerto Rico, US Virgin Islands, Guam, American Samoa, Northern Mariana Islands), and Canada. */
export const DEFAULT_SMS_REGIONS: readonly string[] = Object.freeze(['US', 'PR', 'VI', 'GU', 'AS', 'MP', 'CA']);
