// What a person reads when a request cannot go on: the title and message in plain words, one next
// step they can take, and the protocol's own words (error code and description) folded below for
// whoever they ask for help. OAuth error codes are explained here once, for the provider's pages and ours,
// in the request's language (src/i18n/).
import { t } from '../i18n/request.js';

/** A type, not an interface: it is handed to the renderer as template locals. */
export type ErrorPage = {
  title: string;
  message: string;
  next: { text: string; href?: string; label?: string };
  technical: { code: string; description?: string };
};

// What each protocol error says is in locales/<language>/errors.json (`protocol.<code>`); the
// next step is one of three.
type NextStep = 'back_to_app' | 'try_again' | 'open_account';
const PROTOCOL: Record<string, NextStep> = {
  invalid_client: 'back_to_app',
  invalid_request: 'back_to_app',
  invalid_redirect_uri: 'back_to_app',
  unauthorized_client: 'back_to_app',
  access_denied: 'back_to_app',
  login_required: 'back_to_app',
  session_not_found: 'back_to_app',
  invalid_state: 'open_account',
  not_found: 'open_account',
  server_error: 'try_again',
  temporarily_unavailable: 'try_again',
};

function nextStep(code: string): ErrorPage['next'] {
  const step = PROTOCOL[code] ?? 'back_to_app';
  if (step === 'open_account') {
    return { text: t(code === 'not_found' ? 'errors:next.check_address' : 'errors:next.start_from_account'), href: '/account', label: t('errors:next.open_account') };
  }
  return { text: t(`errors:next.${step}`) };
}

/**
 * The page for an error the provider raised (`code` is an OAuth error): explained in plain words,
 * the provider's description kept as technical detail. `message`, when given, is already written
 * for people (our own errors) and wins over the table.
 */
export function errorPage(code: string, options: { description?: string; title?: string; message?: string } = {}): ErrorPage {
  const known = Object.hasOwn(PROTOCOL, code);
  return {
    title: options.title ?? (known ? t(`errors:protocol.${code}.title`) : t('errors:generic.title')),
    message: options.message ?? (known ? t(`errors:protocol.${code}.message`) : t('errors:generic.message')),
    next: nextStep(code),
    technical: { code, ...(options.description ? { description: options.description } : {}) },
  };
}
