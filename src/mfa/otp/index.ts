// One-time codes: generate, hash, verify, throttle resends. Pure apart from HMAC; the clock, the
// random source and the key are arguments. The code challenge (../code-challenge.ts) stores and sends.
export { CODE_LENGTH, generateCode, normalizeCode } from './code.js';
export { codeBinding, hashCode, MIN_KEY_BYTES, type BindingParts } from './hash.js';
export { CODE_TTL_MS, issueCode, MAX_ATTEMPTS, newCodeRecord, type CodeRecord, type IssueInput } from './record.js';
export { VERIFY_OUTCOMES, verifyCode, type VerifyOutcome, type VerifyResult } from './verify.js';
export { canResend, RESEND_MAX_IN_WINDOW, RESEND_MIN_GAP_MS, RESEND_WINDOW_MS } from './resend.js';
