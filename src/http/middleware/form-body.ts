// Parses application/x-www-form-urlencoded bodies for our own forms (the provider parses its own).
// Small on purpose: our forms hold a few short fields. The result is a null-prototype object of
// strings only: no nesting syntax (`email[$ne]=x`, `email[]=a`) is understood, and a field name
// that looks like one, a repeated field, or a prototype name is refused with a 400, so nothing
// shaped like a query operator or an array can reach a database filter.
import type { Middleware } from 'koa';
import { AppError } from '../../errors.js';

const LIMIT_BYTES = 16 * 1024;
const MAX_FIELDS = 50;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

export type Form = Readonly<Record<string, string>>;

declare module 'koa' {
  interface DefaultState {
    /** The parsed form of a POST (strings only). */
    form?: Form;
  }
}

const unreadable = (message: string) =>
  new AppError(message, { status: 400, code: 'invalid_request', userMessage: 'This form could not be read. Please reload the page and try again.' });
const tooLarge = () => new AppError('form too large', { status: 413, code: 'invalid_request', userMessage: 'This form is too large.' });

export function formBody(): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'POST') {
      if (!ctx.is('application/x-www-form-urlencoded')) {
        throw new AppError('unsupported content type', { status: 415, code: 'invalid_request', userMessage: 'This form could not be read. Please try again.' });
      }
      if (Number(ctx.get('content-length')) > LIMIT_BYTES) throw tooLarge();
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of ctx.req) {
        size += (chunk as Buffer).length;
        if (size > LIMIT_BYTES) throw tooLarge();
        chunks.push(chunk as Buffer);
      }
      ctx.state.form = parseForm(Buffer.concat(chunks).toString('utf8'));
    }
    await next();
  };
}

/** Field name → string value; throws a 400 for anything that is not a flat list of distinct names. */
export function parseForm(body: string): Form {
  const form: Record<string, string> = Object.create(null);
  let count = 0;
  for (const [name, value] of new URLSearchParams(body)) {
    if (++count > MAX_FIELDS) throw unreadable('too many form fields');
    if (!FIELD_NAME.test(name) || FORBIDDEN_NAMES.has(name)) throw unreadable('malformed form field name');
    if (Object.hasOwn(form, name)) throw unreadable('repeated form field');
    form[name] = value;
  }
  return form;
}

/** A field from the parsed form, always a string. */
export function formField(state: { form?: Form }, name: string): string {
  const form = state.form;
  return form && Object.hasOwn(form, name) ? form[name]! : '';
}
