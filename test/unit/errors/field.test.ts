// An AppError may name the form field it belongs to, so a page can show the message beside it.
import { expect } from 'chai';
import { appError, toAppError } from '../../../src/errors.js';

describe('errors: the form field an error belongs to', () => {
  it('carries the field it was given, and none when not given', () => {
    const error = appError('email_taken', { detail: 'email taken', field: 'email' });
    expect(error).to.include({ field: 'email', status: 409, code: 'email_taken', userMessage: 'A user with this email already exists.' });
    expect(appError('invalid_input', { message: 'x' }).field).to.equal(undefined);
  });

  it('keeps the field through toAppError', () => {
    const error = appError('weak_password', { message: 'weak', field: 'password' });
    expect(toAppError(error).field).to.equal('password');
  });
});
