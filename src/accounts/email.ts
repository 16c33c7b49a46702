// Email addresses are compared and stored trimmed and lower-cased.
import { appError } from '../errors.js';

const SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(email: string): string {
  return String(email ?? '').trim().toLowerCase();
}

export function assertValidEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > 254 || !SHAPE.test(normalized)) {
    throw appError('invalid_email', { detail: 'invalid email address', field: 'email' });
  }
  return normalized;
}
