// One error base class for the whole service. `userMessage` is what a person may read; `message`
// is operator detail that stays in logs. `expose` says whether `code`/`userMessage` may be shown.
export interface AppErrorOptions {
  status?: number;
  code?: string;
  expose?: boolean;
  userMessage?: string;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly expose: boolean;
  readonly userMessage: string;

  constructor(message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? 500;
    this.code = options.code ?? 'server_error';
    this.expose = options.expose ?? this.status < 500;
    this.userMessage = options.userMessage ?? (this.expose ? message : 'Something went wrong. Please try again.');
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
  if (err instanceof AppError) return err;
  const candidate = err as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const status = Number(candidate?.status ?? candidate?.statusCode ?? 500);
  if (Number.isInteger(status) && status >= 400 && status < 500 && candidate?.expose === true) {
    return new AppError(String(candidate.message ?? 'Bad request'), { status, code: 'invalid_request', cause: err });
  }
  return new AppError(err instanceof Error ? err.message : 'Unknown error', { status: 500, cause: err });
}
