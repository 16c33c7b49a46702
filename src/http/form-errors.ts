// Form mistakes tied to their fields, the way the sign-in forms show them: each message next to its
// field (red border, `aria-invalid`, `aria-describedby` naming the message), and a summary at the
// top of the page linking to each field, focused on load, so a long page says at once what to fix.
// A mistake without a field (a rule about the whole form) is shown in the summary only.
//
// A handler collects what it finds into FormErrors (several at once where the form can have
// several) or passes the AppError it caught; the view gets `formErrors(...)` as `form`.
import { AppError } from '../errors.js';
import { userMessageOf } from '../i18n/errors.js';
import { t } from '../i18n/request.js';

export interface FieldMistake {
  /** The field's `name` (its element id is given by the view); none: about the whole form. */
  field?: string;
  message: string;
}

/** Several mistakes of one form at once, thrown as one 400. */
export class FormErrors extends AppError {
  constructor(readonly mistakes: readonly FieldMistake[]) {
    const first = mistakes[0]?.message ?? t('admin:form_has_mistake');
    super('invalid_input', {
      detail: `invalid form: ${mistakes.map((mistake) => mistake.field ?? 'form').join(', ')}`,
      message: first, ...(mistakes[0]?.field ? { field: mistakes[0].field } : {}),
    });
  }
}

/** The mistakes an error carries: every one of a FormErrors, else its one message (and field). */
export function mistakesOf(err: AppError | undefined): FieldMistake[] {
  if (!err) return [];
  if (err instanceof FormErrors) return [...err.mistakes];
  // The table's own sentence (email taken, invalid email...) in the reader's language.
  return [{ ...(err.field ? { field: err.field } : {}), message: userMessageOf(err) }];
}

export interface FormErrorView {
  /** Every mistake, in order, for the summary; `href` jumps to its field when it has one. */
  summary: Array<{ message: string; href?: string }>;
  /** The message next to a field, if any. */
  message(field: string): string | undefined;
  /** The id of a field's message element (for `aria-describedby`). */
  messageId(field: string): string;
  /** `aria-invalid` and `aria-describedby` for a field's input (with its own hint id, if any). */
  attrs(field: string, hintId?: string): Record<string, string | undefined>;
}

/**
 * The view of a form's mistakes. `ids` maps a field name to its input's id where they differ
 * (e.g. two forms on one page both with an `email` field); `prefix` keeps message ids apart.
 */
export function formErrors(mistakes: readonly FieldMistake[], ids: Readonly<Record<string, string>> = {}, prefix = ''): FormErrorView {
  const byField = new Map<string, string>();
  for (const mistake of mistakes) if (mistake.field && !byField.has(mistake.field)) byField.set(mistake.field, mistake.message);
  const idOf = (field: string) => ids[field] ?? field;
  const messageId = (field: string) => `${prefix}${idOf(field)}-error`;
  return {
    summary: mistakes.map((mistake) => ({ message: mistake.message, ...(mistake.field && idOf(mistake.field) ? { href: `#${idOf(mistake.field)}` } : {}) })),
    message: (field) => byField.get(field),
    messageId,
    attrs(field, hintId) {
      const invalid = byField.has(field);
      const described = [invalid ? messageId(field) : undefined, hintId].filter(Boolean).join(' ');
      return { 'aria-invalid': invalid ? 'true' : undefined, 'aria-describedby': described || undefined };
    },
  };
}

/**
 * Runs each check of a form and throws every mistake they found at once (FormErrors), so a form
 * with two wrong fields says both; an error that is not a form mistake (4xx with a message) is
 * thrown as it is.
 */
export function checkAll(checks: ReadonlyArray<() => unknown>): void {
  const mistakes: FieldMistake[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
      mistakes.push(...mistakesOf(err));
    }
  }
  if (mistakes.length) throw new FormErrors(mistakes);
}

/** No mistakes: what a form shows on its first display. */
export const NO_FORM_ERRORS = formErrors([]);
