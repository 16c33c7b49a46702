// Add or change the phone number: GET /account/phone asks for the number, POST texts a code to it,
// POST /account/phone/verify saves it once the code is right; never before. Needs a fresh second
// factor (the code step allows the code's own 10 minutes on top). The number travels in the form
// between the two posts; the code is bound to it (phone-verification.ts), so editing it fails.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { requireSignIn, signedIn } from '../console/guard.js';
import { readDeviceId } from '../http/device-cookie.js';
import type { Config } from '../config/index.js';
import type { Mfa } from '../mfa/index.js';
import type { Models } from '../store/models/index.js';
import { lockedMessage } from '../interactions/sign-in-outcome.js';
import { maskPhone } from '../mfa/channels/mask.js';
import { smsDestinationProblem } from '../mfa/channels/sms-destinations.js';
import { CODE_TTL_MS } from '../mfa/otp/index.js';
import { E164 } from '../store/models/user.js';
import { auditOwnChange, formText, FRESH_FACTOR_SECONDS, notifyOwnChange, redirectWithNotice, renderAccountPage, requestWhere } from './page.js';
import { checkPhoneCode, sendPhoneCode } from './phone-verification.js';

import type { Render } from '../http/render.js';
import type { AuditLog } from '../audit/record.js';
import type Provider from 'oidc-provider';
import type { Logger } from '../observability/logger.js';
/** What this module needs from the composition root (src/app/). */
export interface AccountPhoneDeps {
  config: Config;
  mfa: Mfa;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  audit: AuditLog;
  /** The public issuer URL. */
  issuer: string;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  render: Render;
  /** Cookies we set carry Secure: the issuer is https. */
  secureCookies: boolean;
  logger: Logger;
}

const FORMAT_HELP = 'Enter the number with its country code, e.g. +1 555 123 4567.';

/** `+1 (555) 123-4567` → `+15551234567`; undefined when it is not an E.164 number. */
export function normalizePhone(input: string): string | undefined {
  const compact = input.trim().replace(/^00/, '+').replace(/[\s().-]/g, '');
  return E164.test(compact) ? compact : undefined;
}

export function registerPhoneRoutes(router: Router, services: AccountPhoneDeps): void {
  const fresh = requireSignIn(services, { maxAgeSeconds: FRESH_FACTOR_SECONDS });
  // The code page may be filled in up to the code's lifetime after the fresh sign-in.
  const freshForCode = requireSignIn(services, { maxAgeSeconds: FRESH_FACTOR_SECONDS + CODE_TTL_MS / 1000 });

  router.get('/phone', fresh, (ctx) => showPhoneForm(ctx, services));

  router.post('/phone', fresh, async (ctx) => {
    const { user, practice } = signedIn(ctx);
    const typed = formText(ctx, 'phone', 40);
    const phone = normalizePhone(typed);
    if (!phone) return showPhoneForm(ctx, services, { typed, error: `This is not a phone number we can text. ${FORMAT_HELP}` });
    if (phone === user.phone) return showPhoneForm(ctx, services, { typed, error: 'This is already your phone number.' });
    const refused = smsDestinationProblem(phone, services.config.mfa.smsRegions);
    if (refused) return showPhoneForm(ctx, services, { typed, error: `We cannot send text messages to this number (${refused}). Use a mobile number from ${services.config.mfa.smsRegions.join(', ')}.` });
    const sent = await sendPhoneCode(services, user, phone, { ...requestWhere(ctx), practiceName: practice.name });
    if (sent.status === 'throttled') return showPhoneForm(ctx, services, { typed, error: `A code was sent a moment ago. Please wait ${sent.retryInSeconds} seconds before asking for another.` });
    if (sent.status === 'capped') return showPhoneForm(ctx, services, { typed, error: `You have asked for too many codes. For your security, no new code can be sent for ${Math.ceil(sent.retryInSeconds / 60)} minutes.` }, 429);
    if (sent.status === 'delivery_failed') return showPhoneForm(ctx, services, { typed, error: sent.message });
    showCodeForm(ctx, services, phone);
  });

  // A POST sent back here by the sign-in gate lands as a GET: start again from the number.
  router.get('/phone/verify', (ctx) => {
    ctx.status = 303;
    ctx.redirect('/account/phone');
  });

  router.post('/phone/verify', freshForCode, async (ctx) => {
    const { user } = signedIn(ctx);
    const phone = normalizePhone(formText(ctx, 'phone', 40));
    if (!phone) return showPhoneForm(ctx, services, { error: 'Please enter your new number again.' });
    const where = requestWhere(ctx);
    const result = await checkPhoneCode(services, user, phone, formText(ctx, 'code', 20), { ...where, deviceId: readDeviceId(ctx) });
    switch (result.outcome) {
      case 'ok':
        break;
      case 'wrong':
        return result.attemptsLeft > 0
          ? showCodeForm(ctx, services, phone, `That code is not correct. ${result.attemptsLeft === 1 ? '1 try' : `${result.attemptsLeft} tries`} left.`)
          : showPhoneForm(ctx, services, { typed: phone, error: 'That code is not correct, and it cannot be used any more. Ask for a new code.' });
      case 'locked':
        return showPhoneForm(ctx, services, { typed: phone, error: lockedMessage(result.lock?.retryAt, services.now(), result.lock?.reason, signedIn(ctx).practice.timeZone) });
      case 'malformed':
        return showCodeForm(ctx, services, phone, 'The code is the 6 digits in the text message.');
      default:
        return showPhoneForm(ctx, services, { typed: phone, error: 'That code has expired or was already used. Ask for a new code.' });
    }

    const before = user.phone ?? null;
    await services.models.User.updateOne({ _id: user._id }, { $set: { phone } });
    await auditOwnChange(ctx, services, 'phone.verified', {
      before: { phone: before ? maskPhone(before) : null },
      after: { phone: maskPhone(phone) },
    });
    await notifyOwnChange(ctx, services, {
      subject: before ? 'Your phone number was changed' : 'A phone number was added to your account',
      summary: `The phone number ${maskPhone(phone)} was verified and saved to your account${before ? `, replacing ${maskPhone(before)}` : ''}.`,
      details: ['Sign-in codes by text message go to this number.'],
    });
    redirectWithNotice(ctx, '/account', 'phone');
  });
}

function showPhoneForm(ctx: Context, services: AccountPhoneDeps, state: { typed?: string; error?: string } = {}, status?: number): void {
  const { user } = signedIn(ctx);
  renderAccountPage(ctx, services, 'phone', {
    title: user.phone ? 'Change your phone number' : 'Add a phone number',
    current: user.phone ?? null,
    typed: state.typed ?? '',
    error: state.error ?? null,
    smsAvailable: services.mfa.channels.available.includes('sms'),
  }, status ?? (state.error ? 400 : 200));
}

function showCodeForm(ctx: Context, services: AccountPhoneDeps, phone: string, error?: string): void {
  renderAccountPage(ctx, services, 'phone-code', {
    title: 'Enter the code we texted you',
    phone,
    destination: maskPhone(phone),
    error: error ?? null,
  }, error ? 400 : 200);
}
