// Email addresses are compared and stored trimmed and lower-cased.
import { AppError } from '../errors.js';

const SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(email: string): string {
  return String(email ?? '').trim().toLowerCase();
}

export function assertValidEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > 254 || !SHAPE.test(normalized)) {
    throw new AppError(`invalid email address`, { status: 400, code: 'invalid_email', userMessage: 'Enter a valid email address.', field: 'email' });
  }
  return normalized;
}
