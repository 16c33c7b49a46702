// One error base class for the whole service. `userMessage` is what a person may read; `message`
// is operator detail that stays in logs. `expose` says whether `code`/`userMessage` may be shown.
export interface AppErrorOptions {
  status?: number;
  code?: string;
  expose?: boolean;
  userMessage?: string;
  /** The form field the error belongs to (a page shows the message beside that field). */
  field?: string;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly expose: boolean;
  readonly userMessage: string;
  readonly field?: string;

  constructor(message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? 500;
    this.code = options.code ?? 'server_error';
    this.expose = options.expose ?? this.status < 500;
    this.userMessage = options.userMessage ?? (this.expose ? message : 'Something went wrong. Please try again.');
    if (options.field !== undefined) this.field = options.field;
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, userMessage = message) {
    super(message, { status: 400, code: 'invalid_request', userMessage });
  }
}

export class CsrfError extends AppError {
  constructor() {
    super('CSRF token missing or invalid', {
      status: 403,
      code: 'invalid_csrf_token',
      userMessage: 'This form has expired. Please go back, reload the page and try again.',
    });
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super(message, { status: 404, code: 'not_found', userMessage: 'The page you asked for does not exist.' });
  }
}

/** Too many requests for one abuse limit (src/security/rate-limits.ts); answered 429 + Retry-After. */
export class RateLimitedError extends AppError {
  constructor(readonly limit: string, readonly retryAfterSeconds: number) {
    super(`rate limit ${limit} exceeded`, {
      status: 429,
      code: 'rate_limited',
      userMessage: `Too many attempts. Please wait ${waitText(retryAfterSeconds)} and try again.`,
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
    super(`store unavailable${cause instanceof Error ? ` (${cause.name}: ${cause.message})` : ''}`, {
      status: 503,
      code: 'temporarily_unavailable',
      expose: true,
      userMessage: 'This service is temporarily unavailable. Please wait a moment and try again.',
      cause,
    });
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
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`, {
      status: 500,
      code: 'invalid_configuration',
      expose: false,
    });
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
    return new AppError(String(candidate.message ?? 'Bad request'), { status, code: 'invalid_request', cause: err });
  }
  return new AppError(err instanceof Error ? err.message : 'Unknown error', { status: 500, cause: err });
}
