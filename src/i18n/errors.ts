// Our errors' messages in the reader's language, chosen at render time by the error's code (the
// error table in src/errors.ts stays in English, the operator's language). A code whose sentence
// is the same wherever it is raised has its text in locales/<language>/errors.json (`codes.<code>`);
// other messages are translated where they are written, since those run inside the request too.
import { RateLimitedError, type AppError } from '../errors.js';
import { DEFAULT_LANGUAGE } from './languages.js';
import { t } from './request.js';
import { readLocales, translateIn } from './translator.js';

const BY_CODE = new Set(['invalid_csrf_token', 'not_found', 'rate_limited', 'temporarily_unavailable', 'server_error']);

// Fixed sentences of the error table that have a text of their own in the locale files (the table
// names an error by entry, and several entries share a code): recognised by their English words.
// The entries whose sentence reaches a form (errors.json `table.<entry>`) count among them; the
// keys are read from the English file, so adding an entry there is all a new one needs.
const TABLE_SENTENCES = ['errors:admin_only', 'errors:interaction_expired', 'signin:code.cannot_continue', ...tableKeys()];
const keyOfSentence = new Map(TABLE_SENTENCES.map((key) => [translateIn(DEFAULT_LANGUAGE, key), key]));

/** What a person reads for this error, in the request's language. */
export function userMessageOf(error: AppError, code = error.code): string {
  if (error instanceof RateLimitedError) return t('errors:codes.rate_limited', { wait: waitText(error.retryAfterSeconds) });
  const sentence = keyOfSentence.get(error.userMessage);
  if (sentence) return t(sentence);
  // Only the code's own sentence is replaced: another message raised with the same code keeps its words.
  if (!BY_CODE.has(code) || error.userMessage !== translateIn(DEFAULT_LANGUAGE, `errors:codes.${code}`)) return error.userMessage;
  return t(`errors:codes.${code}`);
}

/** The error page's heading for a status. */
export function errorTitle(status: number): string {
  if (status === 503) return t('errors:titles.unavailable');
  if (status >= 500) return t('errors:titles.server');
  if (status === 429) return t('errors:titles.wait');
  if (status === 404) return t('errors:titles.not_found');
  return t('errors:titles.refused');
}

function waitText(seconds: number): string {
  const minutes = seconds < 60 ? 1 : Math.ceil(seconds / 60);
  return minutes === 1 ? t('errors:a_minute') : t('common:minutes', { count: minutes });
}

function tableKeys(): string[] {
  const table = readLocales()[DEFAULT_LANGUAGE]?.errors?.table;
  return table && typeof table === 'object' ? Object.keys(table).map((name) => `errors:table.${name}`) : [];
}
