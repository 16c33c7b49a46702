// Reads the "add a trusted IP" forms: who it is for, the address or range, a description and an
// optional expiry date. Every problem becomes a sentence next to the form; the typed values are
// kept so nothing is lost.
import { Types } from 'mongoose';
import { parseIpEntry } from '../../net/ip.js';
import { dayEndIn } from '../audit/time.js';
import { t } from '../../i18n/request.js';

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

export type IpFormResult = { ok: true; input: IpFormInput } | { ok: false; error: string; field: keyof IpFormValues };

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
 * entry is trusted until the end of that day on the practice's clocks (`zone`; UTC when it has none).
 */
export function readIpForm(values: IpFormValues, now: number, zone = 'UTC'): IpFormResult {
  if (values.scope !== 'practice' && !Types.ObjectId.isValid(values.scope)) return { ok: false, error: t('admin:ip.choose_scope'), field: 'scope' };
  if (values.entry === '') return { ok: false, error: t('admin:ip.enter_entry'), field: 'entry' };
  const parsed = parseIpEntry(values.entry);
  if (!parsed.ok) return { ok: false, error: t('admin:ip.not_an_entry', { reason: parsed.error }), field: 'entry' };
  if (values.description.length > DESCRIPTION_MAX) return { ok: false, error: t('admin:ip.description_long', { max: DESCRIPTION_MAX }), field: 'description' };
  let expiresAt: Date | undefined;
  if (values.expires !== '') {
    expiresAt = dayEndIn(values.expires, zone);
    if (!expiresAt) return { ok: false, error: t('admin:ip.expiry_format'), field: 'expires' };
    if (expiresAt.getTime() <= now) return { ok: false, error: t('admin:ip.expiry_past'), field: 'expires' };
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
