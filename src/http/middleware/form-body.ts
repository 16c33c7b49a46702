// Parses application/x-www-form-urlencoded bodies for our own forms (the provider parses its own).
// Small on purpose: our forms hold a few short fields.
import type { Middleware } from 'koa';
import { AppError } from '../../errors.js';

const LIMIT_BYTES = 16 * 1024;

export function formBody(): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'POST') {
      if (!ctx.is('application/x-www-form-urlencoded')) {
        throw new AppError('unsupported content type', { status: 415, code: 'invalid_request', userMessage: 'This form could not be read. Please try again.' });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of ctx.req) {
        size += (chunk as Buffer).length;
        if (size > LIMIT_BYTES) throw new AppError('form too large', { status: 413, code: 'invalid_request', userMessage: 'This form is too large.' });
        chunks.push(chunk as Buffer);
      }
      ctx.state.form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    }
    await next();
  };
}

/** A field from the parsed form, always a string. */
export function formField(state: { form?: Record<string, string> }, name: string): string {
  return state.form?.[name] ?? '';
}
