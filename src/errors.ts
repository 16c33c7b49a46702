// The error table: every error the service raises, named once with its HTTP status and the sentence
// a person reads. Call sites name an entry (`appError('email_taken')`), so TypeScript refuses an
// error that is not here. An entry's `code` is the stable code on the wire (JSON `error`, the error
// page, translations); it defaults to the entry's name, and several entries may share one code
// where the same refusal has different words or statuses (e.g. `invalid_request` at 400/413/415).
// `perCall` entries have their sentence built from the input (validation, an id the operator
// typed): every call passes `message`, and the table's text is only the generic fallback. Other
// entries refuse a per-call message. `detail` is operator text that stays in logs.

const SOMETHING_WENT_WRONG = 'Something went wrong. Please try again.';
const FORM_UNREADABLE = 'This form could not be read. Please reload the page and try again.';
const SMS_LATER = 'We could not send a text to your phone. You can get the code by email instead, or try again in a few minutes.';
const EMAIL_LATER = 'We could not send you an email. You can get the code by text message instead, or try again in a few minutes.';

export interface ErrorSpec {
  /** The code on the wire; the entry's name when left out. */
  readonly code?: string;
  readonly status: number;
  /** What a person reads (for a `perCall` entry, the fallback when a call's own text is not at hand). */
  readonly message: string;
  /** Whether code and message may be shown; by default, for statuses under 500. */
  readonly expose?: boolean;
  /** The message is built from the input at each call. */
  readonly perCall?: true;
}

export const ERRORS = {
  // The HTTP layer
  server_error: { status: 500, message: SOMETHING_WENT_WRONG },
  invalid_request: { status: 400, message: 'This request is not valid.', perCall: true },
  form_unreadable: { code: 'invalid_request', status: 400, message: FORM_UNREADABLE },
  form_type_unsupported: { code: 'invalid_request', status: 415, message: 'This form could not be read. Please try again.' },
  form_too_large: { code: 'invalid_request', status: 413, message: 'This form is too large.' },
  request_too_large: { code: 'invalid_request', status: 413, message: 'The request is too large.' },
  invalid_csrf_token: { status: 403, message: 'This form has expired. Please go back, reload the page and try again.' },
  not_found: { status: 404, message: 'The page you asked for does not exist.' },
  rate_limited: { status: 429, message: 'Too many attempts. Please wait a minute and try again.', perCall: true },
  temporarily_unavailable: { status: 503, expose: true, message: 'This service is temporarily unavailable. Please wait a moment and try again.' },
  invalid_configuration: { status: 500, expose: false, message: SOMETHING_WENT_WRONG },
  demo_in_production: { status: 500, expose: false, message: SOMETHING_WENT_WRONG },
  audit_unavailable: { status: 503, expose: false, message: 'We could not complete this action. Please try again.' },

  // Sign-in and the account console
  interaction_expired: { status: 400, message: 'This sign-in page has expired or was already used. Please go back to your application and sign in again.' },
  interaction_ended: { code: 'interaction_expired', status: 400, message: 'This sign-in can no longer continue. Please go back to your application and sign in again.' },
  invalid_state: { status: 400, message: 'This sign-in link has expired. Please open your account page again.' },
  sign_in_cancelled: { status: 401, message: 'Sign-in was not completed. Open your account page again to retry.' },
  forbidden: { status: 403, message: 'This page is for practice administrators.' },
  own_change_approval: { code: 'forbidden', status: 403, message: 'Another administrator must approve a change you asked for.' },
  // SMART standalone launch: what the patient picker sent back is refused (src/interactions/patient-picker.ts)
  patient_selection_forged: { code: 'patient_selection_refused', status: 400, message: 'This patient selection could not be verified: it is not signed by the patient picker of this health record. Please go back to your application and start again.' },
  patient_selection_expired: { code: 'patient_selection_refused', status: 400, message: 'This patient selection has expired. Please go back to your application and start again.' },
  patient_selection_used: { code: 'patient_selection_refused', status: 400, message: 'This patient selection was already used. Please go back to your application and start again.' },
  patient_selection_elsewhere: { code: 'patient_selection_refused', status: 400, message: 'This patient selection belongs to another sign-in. Please go back to your application and start again.' },

  // Input
  invalid_input: { status: 400, message: 'Some of what you entered is not valid.', perCall: true },
  invalid_email: { status: 400, message: 'Enter a valid email address.' },
  weak_password: { status: 400, message: 'Please choose another password.', perCall: true },
  invalid_client_metadata: { status: 400, message: 'This client registration is not valid.', perCall: true },
  invalid_resource_server: { status: 400, message: 'This resource server is not valid.', perCall: true },
  codes_capped: { code: 'invalid_input', status: 429, message: 'This user has been sent too many codes.', perCall: true },
  bad_checkpoint: { status: 400, message: 'A checkpoint is not valid.', perCall: true },

  // Accounts, practices, clients
  email_taken: { status: 409, message: 'A user with this email already exists.' },
  changed_meanwhile: { status: 409, message: 'This account was changed by someone else meanwhile. Reload the page and try again.' },
  user_not_found: { status: 404, message: 'No such user.' },
  user_not_in_practice: { code: 'user_not_found', status: 404, message: 'There is no such user in this practice.' },
  user_email_not_found: { code: 'user_not_found', status: 404, message: 'No user with this email.', perCall: true },
  practice_not_found: { status: 404, message: 'practice not found' },
  practice_id_not_found: { code: 'practice_not_found', status: 404, message: 'No practice with this id.', perCall: true },
  client_exists: { status: 409, message: 'A client with this id already exists.' },
  client_id_taken: { code: 'client_exists', status: 409, message: 'A client with this id already exists.', perCall: true },
  client_not_found: { status: 404, message: 'No client with this id.', perCall: true },
  confidential_client_not_found: { code: 'client_not_found', status: 404, message: 'no confidential client with this id' },
  resource_server_exists: { status: 409, message: 'A resource server with this base URL is already registered.', perCall: true },
  resource_server_not_found: { status: 404, message: 'No resource server with this id.', perCall: true },
  trusted_ip_exists: { status: 409, message: 'This address is already trusted here.', perCall: true },
  trusted_ip_not_found: { status: 404, message: 'No trusted IP with this id in this practice.', perCall: true },

  // Operator commands
  store_busy: { status: 409, message: 'Another process holds the store.', perCall: true },
  keys_configured: { status: 409, message: 'Signing keys come from SIGNING_KEYS: publish the new key after the current one first, move it first once apps have fetched it, and keep the old one listed until its tokens expire.' },
  audit_chain_broken: { status: 409, message: 'The audit log chain is broken.', perCall: true },
  audit_empty: { status: 409, message: 'The audit log is empty: there is nothing to checkpoint.' },
  archive_exists: { status: 409, message: 'This file already exists: choose another file.', perCall: true },

  // Sending a code (src/mfa/channels/): one entry per channel and delivery failure
  sms_invalid_recipient: { code: 'invalid_recipient', status: 422, message: 'We could not send a text to the phone number on your account. You can get the code by email instead, or ask your practice administrator to check your number.' },
  sms_provider_unavailable: { code: 'provider_unavailable', status: 502, message: SMS_LATER },
  sms_timeout: { code: 'timeout', status: 504, message: SMS_LATER },
  sms_not_configured: { code: 'not_configured', status: 503, message: 'Text messages are not available here. You can get the code by email instead, or ask your practice administrator for help.' },
  email_invalid_recipient: { code: 'invalid_recipient', status: 422, message: 'We could not send an email to the address on your account. You can get the code by text message instead, or ask your practice administrator to check your address.' },
  email_provider_unavailable: { code: 'provider_unavailable', status: 502, message: EMAIL_LATER },
  email_timeout: { code: 'timeout', status: 504, message: EMAIL_LATER },
  email_not_configured: { code: 'not_configured', status: 503, message: 'Email is not available here. You can get the code by text message instead, or ask your practice administrator for help.' },
} as const satisfies Record<string, ErrorSpec>;

/** An entry of the table. */
export type ErrorName = keyof typeof ERRORS;
type CodeOf<N extends ErrorName> = (typeof ERRORS)[N] extends { readonly code: infer C extends string } ? C : N;
/** A code on the wire: what `AppError.code` holds. */
export type ErrorCode = { [N in ErrorName]: CodeOf<N> }[ErrorName];

interface CommonOptions {
  /** Operator text for the logs; the user's message when left out. */
  detail?: string;
  /** The form field the error belongs to (a page shows the message beside that field). */
  field?: string;
  cause?: unknown;
}
type PerCall<N extends ErrorName> = (typeof ERRORS)[N] extends { readonly perCall: true } ? true : false;
/** A `perCall` entry needs its `message`; any other entry refuses one. */
export type ErrorOptions<N extends ErrorName> = CommonOptions & (PerCall<N> extends true ? { message: string } : { message?: never });
type OptionsArg<N extends ErrorName> = PerCall<N> extends true ? [options: ErrorOptions<N>] : [options?: ErrorOptions<N>];
/** What a subclass may pass: also a status, for errors whose status comes from elsewhere. */
interface ConstructorOptions extends CommonOptions { message?: string; status?: number }

/** The one error class; `message` (Error's) is operator detail, `userMessage` what a person may read. */
export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly expose: boolean;
  readonly userMessage: string;
  readonly field?: string;

  /** Protected: outside this hierarchy errors come from `appError(name, …)`, checked against the table. */
  protected constructor(name: ErrorName, options: ConstructorOptions = {}) {
    const spec: ErrorSpec = ERRORS[name];
    const userMessage = options.message ?? spec.message;
    super(options.detail ?? userMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? spec.status;
    this.code = (spec.code ?? name) as ErrorCode;
    this.expose = spec.expose ?? this.status < 500;
    this.userMessage = userMessage;
    if (options.field !== undefined) this.field = options.field;
  }

  /** See `appError`. */
  static of<N extends ErrorName>(name: N, ...[options]: OptionsArg<N>): AppError {
    return new AppError(name, options);
  }
}

/** The error of table entry `name`: `appError('email_taken', { field: 'email' })`. */
export function appError<N extends ErrorName>(name: N, ...options: OptionsArg<N>): AppError {
  return AppError.of(name, ...options);
}

/** A bad request whose words are built from the input (400 `invalid_request`). */
export class BadRequestError extends AppError {
  constructor(detail: string, userMessage = detail) {
    super('invalid_request', { detail, message: userMessage });
  }
}

export class CsrfError extends AppError {
  constructor() {
    super('invalid_csrf_token', { detail: 'CSRF token missing or invalid' });
  }
}

export class NotFoundError extends AppError {
  constructor(detail = 'Not found') {
    super('not_found', { detail });
  }
}

/** Too many requests for one abuse limit (src/security/rate-limits.ts); answered 429 + Retry-After. */
export class RateLimitedError extends AppError {
  constructor(readonly limit: string, readonly retryAfterSeconds: number) {
    super('rate_limited', {
      detail: `rate limit ${limit} exceeded`,
      message: `Too many attempts. Please wait ${waitText(retryAfterSeconds)} and try again.`,
    });
  }
}

function waitText(seconds: number): string {
  if (seconds < 60) return 'a minute';
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'a minute' : `${minutes} minutes`;
}

/**
 * The store (MongoDB) cannot be reached: answered 503 `temporarily_unavailable`, "try again".
 * Every step writes its state before it reports success, so repeating the step once the store is
 * back is always safe.
 */
/** What a 503 suggests as Retry-After: about one store failover. */
export const STORE_RETRY_AFTER_SECONDS = 5;

export class StoreUnavailableError extends AppError {
  constructor(cause?: unknown) {
    super('temporarily_unavailable', { detail: `store unavailable${cause instanceof Error ? ` (${cause.name}: ${cause.message})` : ''}`, cause });
  }
}

// By name, not class: mongoose carries its own copy of the driver. EPIPE/ECONNRESET come from a
// pooled socket the store closed (the driver passes some of them on unwrapped); our SMTP and SMS
// channels wrap their own network errors, so at this level these can only be the store's.
const STORE_OUTAGE_NAMES = new Set([
  'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongooseServerSelectionError',
  'MongoNotConnectedError', 'MongoTopologyClosedError', 'MongoPoolClearedError', 'MongoServerClosedError',
]);
const SOCKET_FAILURES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED']);

/** The StoreUnavailableError behind `err` (itself or a cause up its chain), if the store is why it failed. */
export function storeOutage(err: unknown): StoreUnavailableError | undefined {
  for (let current = err, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof StoreUnavailableError) return current;
    const code = (current as { code?: unknown }).code;
    if (STORE_OUTAGE_NAMES.has(current.name) || (typeof code === 'string' && SOCKET_FAILURES.has(code))) return new StoreUnavailableError(current);
  }
  return undefined;
}

/** Configuration problems stop start-up; the message lists every bad key. */
export class ConfigError extends AppError {
  constructor(readonly issues: readonly string[]) {
    super('invalid_configuration', { detail: `Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}` });
  }
}

/** Normalises anything thrown into an AppError without leaking internals. */
export function toAppError(err: unknown): AppError {
  const outage = storeOutage(err);
  if (outage) return outage;
  if (err instanceof AppError) return err;
  const candidate = err as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const status = Number(candidate?.status ?? candidate?.statusCode ?? 500);
  if (Number.isInteger(status) && status >= 400 && status < 500 && candidate?.expose === true) {
    return new PassedOnError('invalid_request', status, String(candidate.message ?? 'Bad request'), err);
  }
  return new PassedOnError('server_error', 500, err instanceof Error ? err.message : 'Unknown error', err);
}

/** Something thrown that is not ours (koa's own 4xx, a bug): its status kept, its words only when koa exposes them. */
class PassedOnError extends AppError {
  constructor(name: 'invalid_request' | 'server_error', status: number, detail: string, cause: unknown) {
    super(name, { status, detail, cause, ...(name === 'invalid_request' ? { message: detail } : {}) });
    this.name = 'AppError';
  }
}
