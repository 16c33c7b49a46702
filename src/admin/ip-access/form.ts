// Reads the "add a trusted IP" forms: who it is for, the address or range, a description and an
// optional expiry date. Every problem becomes a sentence next to the form; the typed values are
// kept so nothing is lost.
import { Types } from 'mongoose';
import { parseIpEntry } from '../../net/ip.js';

export const DESCRIPTION_MAX = 200;

/** What the admin typed, as strings, to show the form again. */
export interface IpFormValues {
  /** `practice`, or a user's _id (hex). */
  scope: string;
  entry: string;
  description: string;
  /** YYYY-MM-DD, or ''. */
  expires: string;
}

export interface IpFormInput {
  userId?: string;
  entry: string;
  description: string;
  expiresAt?: Date;
}

export type IpFormResult = { ok: true; input: IpFormInput } | { ok: false; error: string };

export function formValues(form: Record<string, string> | undefined): IpFormValues {
  return {
    scope: form?.scope?.trim() || 'practice',
    entry: form?.entry?.trim() ?? '',
    description: form?.description?.trim() ?? '',
    expires: form?.expires?.trim() ?? '',
  };
}

/**
 * Checks the values; `now` decides whether the expiry is in the past. The expiry is a date: the
 * entry is trusted until the end of that day, UTC.
 */
export function readIpForm(values: IpFormValues, now: number): IpFormResult {
  if (values.scope !== 'practice' && !Types.ObjectId.isValid(values.scope)) return { ok: false, error: 'Choose the whole practice or one of its users.' };
  if (values.entry === '') return { ok: false, error: 'Enter an IP address (e.g. 203.0.113.7) or a range in CIDR form (e.g. 203.0.113.0/24).' };
  const parsed = parseIpEntry(values.entry);
  if (!parsed.ok) return { ok: false, error: `This is not a valid IP address or range: ${parsed.error}.` };
  if (values.description.length > DESCRIPTION_MAX) return { ok: false, error: `Keep the description under ${DESCRIPTION_MAX} characters.` };
  let expiresAt: Date | undefined;
  if (values.expires !== '') {
    expiresAt = endOfDayUtc(values.expires);
    if (!expiresAt) return { ok: false, error: 'The expiry must be a date such as 2030-06-30.' };
    if (expiresAt.getTime() <= now) return { ok: false, error: 'The expiry date must be today or later.' };
  }
  return {
    ok: true,
    input: {
      ...(values.scope === 'practice' ? {} : { userId: values.scope }),
      entry: parsed.value.text,
      description: values.description,
      ...(expiresAt ? { expiresAt } : {}),
    },
  };
}

/** `2030-06-30` → 2030-06-30T23:59:59.999Z; undefined for anything that is not a real date. */
export function endOfDayUtc(date: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const start = new Date(`${date}T00:00:00.000Z`);
  if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== date) return undefined;
  return new Date(start.getTime() + 24 * 3600 * 1000 - 1);
}
