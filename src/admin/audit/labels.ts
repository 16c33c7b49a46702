// The audit log in a practice manager's words: each event, outcome and reason as plain words, in
// the reader's language (locales/<lang>/audit.json: `events.<event code>`, `outcomes.<outcome>`,
// `reasons.<reason>`); the page and its filter show these, the CSV and the API keep the codes. A
// new event in src/audit/events.ts must get its words there: test/unit/admin/audit-words.test.ts
// fails for an event without them in every language.
import { AUDIT_EVENTS, AUDIT_OUTCOMES } from '../../audit/events.js';
import { t } from '../../i18n/request.js';
import { hasText } from '../../i18n/translator.js';

const KNOWN_EVENTS = new Set<string>(AUDIT_EVENTS);
const KNOWN_OUTCOMES = new Set<string>(AUDIT_OUTCOMES);

export function eventLabel(event: string): string {
  return KNOWN_EVENTS.has(event) ? t(`audit:events.${event}`) : words(event);
}

export function outcomeLabel(outcome: string): string {
  return KNOWN_OUTCOMES.has(outcome) ? t(`audit:outcomes.${outcome}`) : outcome;
}

/** Reasons said shortly in the locale files; any other reason name is read as its words ("too_many_failures" → "too many failures"). */
export function reasonLabel(reason: string): string {
  return /^\w+$/.test(reason) && hasText(`audit:reasons.${reason}`) ? t(`audit:reasons.${reason}`) : words(reason);
}

/** `too_many_failures` or `mfaPolicy` as words: "too many failures", "mfa policy". */
export function words(name: string): string {
  return name.replace(/[._]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().trim();
}
