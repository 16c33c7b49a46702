// RFC 6238 rules, pure: which 30-second step a typed code belongs to. The code of the current step
// and of one step either side is accepted (±30 s of clock drift), and a step at or before the last
// one accepted is refused, so a code once used cannot be used again, even within its window.
import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret } from 'otpauth';

export const PERIOD_SECONDS = 30;
export const DIGITS = 6;
/** Steps accepted either side of the current one. */
export const DRIFT_STEPS = 1;

export const stepAt = (now: number): number => Math.floor(now / 1000 / PERIOD_SECONDS);

export function codeAt(base32: string, step: number): string {
  return HOTP.generate({ secret: Secret.fromBase32(base32), counter: step, digits: DIGITS, algorithm: 'SHA1' });
}

/** The digits typed, without spaces; undefined when it cannot be a code. */
export function normalizeCode(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${DIGITS}}$`).test(digits) ? digits : undefined;
}

export type StepMatch = { outcome: 'ok'; step: number } | { outcome: 'wrong' | 'replayed' };

/** Every candidate step is compared (constant time), whichever matches. */
export function matchStep(base32: string, code: string, now: number, lastStep: number | undefined): StepMatch {
  const current = stepAt(now);
  let matched: number | undefined;
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
    if (timingSafeEqual(Buffer.from(codeAt(base32, step)), Buffer.from(code))) matched ??= step;
  }
  if (matched === undefined) return { outcome: 'wrong' };
  return lastStep !== undefined && matched <= lastStep ? { outcome: 'replayed' } : { outcome: 'ok', step: matched };
}
