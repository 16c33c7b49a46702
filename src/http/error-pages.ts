// What a person reads when a request cannot go on: the title and message in plain words, one next
// step they can take, and the protocol's own words (error code and description) folded below for
// whoever they ask for help. OAuth error codes are explained here once, for the provider's pages and ours.

/** A type, not an interface: it is handed to the renderer as template locals. */
export type ErrorPage = {
  title: string;
  message: string;
  next: { text: string; href?: string; label?: string };
  technical: { code: string; description?: string };
};

const BACK_TO_APP = { text: 'Go back to the application you came from and open its sign-in again. If this keeps happening, tell your practice administrator what is shown under "Technical details".' };
const TRY_AGAIN = { text: 'Please try again in a minute.' };

const PROTOCOL: Record<string, { title: string; message: string; next: ErrorPage['next'] }> = {
  invalid_client: {
    title: 'This application is not recognised',
    message: 'The application that sent you here is not registered with this sign-in service, or it was switched off.',
    next: BACK_TO_APP,
  },
  invalid_request: {
    title: 'The sign-in request is not valid',
    message: 'The application sent an incomplete or incorrect sign-in request.',
    next: BACK_TO_APP,
  },
  invalid_redirect_uri: {
    title: 'The sign-in request is not valid',
    message: 'The application asked to return you to an address it has not registered, so we stopped here to keep you safe.',
    next: BACK_TO_APP,
  },
  unauthorized_client: {
    title: 'This application may not sign in this way',
    message: 'The application asked for a kind of sign-in it is not registered for.',
    next: BACK_TO_APP,
  },
  access_denied: {
    title: 'Access was denied',
    message: 'The sign-in was cancelled or refused, so nothing was shared with the application.',
    next: BACK_TO_APP,
  },
  login_required: {
    title: 'Please sign in',
    message: 'You need to sign in again to continue.',
    next: BACK_TO_APP,
  },
  session_not_found: {
    title: 'This sign-in has expired',
    message: 'The sign-in page was open too long, or it was finished in another tab.',
    next: BACK_TO_APP,
  },
  invalid_state: {
    title: 'This link has expired',
    message: 'The page you came back to was opened too long ago.',
    next: { text: 'Start again from your account page.', href: '/account', label: 'Open your account' },
  },
  not_found: {
    title: 'Page not found',
    message: 'There is no page at this address.',
    next: { text: 'Check the address, or go to your account.', href: '/account', label: 'Open your account' },
  },
  server_error: {
    title: 'Something went wrong',
    message: 'Something went wrong on our side. Nothing you did caused it.',
    next: TRY_AGAIN,
  },
  temporarily_unavailable: {
    title: 'Temporarily unavailable',
    message: 'The sign-in service is busy or briefly out of reach.',
    next: TRY_AGAIN,
  },
};

/**
 * The page for an error the provider raised (`code` is an OAuth error): explained in plain words,
 * the provider's description kept as technical detail. `message`, when given, is already written
 * for people (our own errors) and wins over the table.
 */
export function errorPage(code: string, options: { description?: string; title?: string; message?: string } = {}): ErrorPage {
  const known = PROTOCOL[code];
  return {
    title: options.title ?? known?.title ?? 'We could not complete the sign-in',
    message: options.message ?? known?.message ?? 'The request could not be completed.',
    next: known?.next ?? BACK_TO_APP,
    technical: { code, ...(options.description ? { description: options.description } : {}) },
  };
}
