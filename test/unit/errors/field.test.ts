// An AppError may name the form field it belongs to, so a page can show the message beside it.
import { expect } from 'chai';
import { AppError, toAppError } from '../../../src/errors.js';

describe('errors: the form field an error belongs to', () => {
  it('carries the field it was given, and none when not given', () => {
    const error = new AppError('email taken', { status: 409, code: 'email_taken', userMessage: 'A user with this email already exists.', field: 'email' });
    expect(error).to.include({ field: 'email', status: 409, code: 'email_taken' });
    expect(new AppError('x', { status: 400 }).field).to.equal(undefined);
  });

  it('keeps the field through toAppError', () => {
    const error = new AppError('weak', { status: 400, code: 'invalid_input', field: 'password' });
    expect(toAppError(error).field).to.equal('password');
  });
});
