// The error table (src/errors.ts) is the only place an error's status and words are chosen: every
// entry is a real HTTP error with words to show, and no code outside it builds an AppError by hand.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, ERRORS, type ErrorName, appError, toAppError } from '../../../src/errors.js';

const SRC = new URL('../../../src/', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('errors: the error table', () => {
  const names = Object.keys(ERRORS) as ErrorName[];

  it('gives every entry a status from 400 to 599 and a non-empty message', () => {
    expect(names.length).to.be.greaterThan(30);
    for (const name of names) {
      const spec = ERRORS[name];
      expect(spec.status, name).to.be.within(400, 599);
      expect(spec.message.trim(), name).to.not.equal('');
    }
  });

  it('builds each fixed-text entry with its code, status, message and exposure', () => {
    for (const name of names) {
      const spec: { code?: string; status: number; message: string; expose?: boolean; perCall?: true } = ERRORS[name];
      const error = spec.perCall ? AppError.of(name as 'invalid_input', { message: 'typed text' }) : AppError.of(name as 'email_taken');
      expect(error, name).to.include({ code: spec.code ?? name, status: spec.status, expose: spec.expose ?? spec.status < 500 });
      expect(error.userMessage, name).to.equal(spec.perCall ? 'typed text' : spec.message);
    }
  });

  it('refuses at compile time a name outside the table, fixed words overridden, or per-call words left out', () => {
    // These lines type-check only because of the @ts-expect-error marks (npx tsc --noEmit fails if any compiles).
    // @ts-expect-error: not an entry of the table
    expect(() => appError('no_such_error')).to.throw(TypeError);
    // @ts-expect-error: email_taken has fixed words
    expect(appError('email_taken', { message: 'other words' })).to.be.instanceOf(AppError);
    // @ts-expect-error: invalid_input's words are built at each call
    expect(appError('invalid_input').userMessage).to.equal(ERRORS.invalid_input.message);
  });

  it('keeps operator detail out of what a person reads', () => {
    const error = appError('email_taken', { detail: 'email already registered: a@b.example' });
    expect(error.message).to.equal('email already registered: a@b.example');
    expect(error.userMessage).to.equal('A user with this email already exists.');
  });

  it('hides what is not ours behind a server error, and passes on an exposed 4xx as invalid_request', () => {
    const hidden = toAppError(new Error('secret detail'));
    expect(hidden).to.include({ status: 500, code: 'server_error', expose: false, userMessage: 'Something went wrong. Please try again.' });
    const koa = Object.assign(new Error('Payload Too Large'), { status: 413, expose: true });
    expect(toAppError(koa)).to.include({ status: 413, code: 'invalid_request', expose: true, userMessage: 'Payload Too Large' });
  });

  it('is the only place an AppError is constructed (call sites name a table entry)', () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => !file.endsWith(`${join('src', 'errors.ts')}`))
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').map((line, i) => ({ file, line: i + 1, text: line })))
      .filter(({ text }) => /new AppError\(|\bcode: '[a-z_]+',?.*userMessage/.test(text))
      .map(({ file, line }) => `${file.slice(SRC.length)}:${line}`);
    expect(offenders).to.deep.equal([]);
  });
});
