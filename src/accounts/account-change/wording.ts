// What the emails about an admin's change of a user's sign-in email or mobile number say, in the
// recipient's language (they are sent outside the user's own request: their last sign-in's
// language, else their practice's; src/i18n/languages.ts recipientLanguage). Texts in
// locales/<language>/change_notices.json.
import { recipientLanguage, type Language } from '../../i18n/languages.js';
import { translatorFor, type Translate } from '../../i18n/translator.js';
import type { AccountChangeKind } from '../../store/models/account-change.js';
import type { Models } from '../../store/models/index.js';
import type { UserDoc } from '../service.js';

export interface ChangeWords {
  language: Language;
  t: Translate;
  /** "sign-in email address", "mobile number" (a role change sends no such email). */
  field(kind: AccountChangeKind): string;
}

export async function wordsFor(models: Pick<Models, 'Practice'>, user: Pick<UserDoc, 'language' | 'practiceId'>): Promise<ChangeWords> {
  const practice = await models.Practice.findById(user.practiceId, { language: 1 }).lean().catch(() => null);
  const language = recipientLanguage(user, practice);
  const t = translatorFor(language);
  return { language, t, field: (kind) => t(`change_notices:field.${kind}`) };
}

/** "Nothing changes until the new address confirms it and another administrator approves it." */
export function waitingFor(words: ChangeWords, conditions: { proof?: 'email' | 'phone'; approval?: 'admin' | 'other' }): string {
  const { t } = words;
  const parts = [
    ...(conditions.proof ? [t(`change_notices:until.proof_${conditions.proof}`)] : []),
    ...(conditions.approval ? [t(conditions.approval === 'admin' ? 'change_notices:until.approval_by_admin' : 'change_notices:until.approval_by_another')] : []),
  ];
  const all = parts.length === 2 ? t('change_notices:until.both', { first: parts[0], second: parts[1] }) : parts[0] ?? '';
  return t('change_notices:until.sentence', { conditions: all });
}
