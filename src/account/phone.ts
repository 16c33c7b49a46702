// Add or change the phone number: GET /account/phone asks for the number, POST texts a code to it,
// POST /account/phone/verify saves it once the code is right; never before. Needs a fresh second
// factor (the code step allows the code's own 10 minutes on top). The number travels in the form
// between the two posts; the code is bound to it (phone-verification.ts), so editing it fails.
import { t } from '../i18n/request.js';
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
    if (!phone) return showPhoneForm(ctx, services, { typed, error: t('account:phone.not_a_number') });
    if (phone === user.phone) return showPhoneForm(ctx, services, { typed, error: t('account:phone.same_number') });
    const refused = smsDestinationProblem(phone, services.config.mfa.smsRegions);
    if (refused) return showPhoneForm(ctx, services, { typed, error: t('account:phone.refused', { reason: refused, regions: services.config.mfa.smsRegions.join(', ') }) });
    const sent = await sendPhoneCode(services, user, phone, { ...requestWhere(ctx), practiceName: practice.name });
    if (sent.status === 'throttled') return showPhoneForm(ctx, services, { typed, error: t('account:phone.throttled', { seconds: sent.retryInSeconds }) });
    if (sent.status === 'capped') return showPhoneForm(ctx, services, { typed, error: t('account:phone.capped', { minutes: Math.ceil(sent.retryInSeconds / 60) }) }, 429);
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
    if (!phone) return showPhoneForm(ctx, services, { error: t('account:phone.again') });
    const where = requestWhere(ctx);
    const result = await checkPhoneCode(services, user, phone, formText(ctx, 'code', 20), { ...where, deviceId: readDeviceId(ctx) });
    switch (result.outcome) {
      case 'ok':
        break;
      case 'wrong':
        return result.attemptsLeft > 0
          ? showCodeForm(ctx, services, phone, t('account:phone.wrong', { count: result.attemptsLeft }))
          : showPhoneForm(ctx, services, { typed: phone, error: t('account:phone.wrong_last') });
      case 'locked':
        return showPhoneForm(ctx, services, { typed: phone, error: lockedMessage(result.lock?.retryAt, services.now(), result.lock?.reason, signedIn(ctx).practice.timeZone) });
      case 'malformed':
        return showCodeForm(ctx, services, phone, t('account:phone.malformed'));
      default:
        return showPhoneForm(ctx, services, { typed: phone, error: t('account:phone.expired') });
    }

    const before = user.phone ?? null;
    await services.models.User.updateOne({ _id: user._id }, { $set: { phone } });
    await auditOwnChange(ctx, services, 'phone.verified', {
      before: { phone: before ? maskPhone(before) : null },
      after: { phone: maskPhone(phone) },
    });
    await notifyOwnChange(ctx, services, {
      subject: before ? t('account:phone.notice_changed') : t('account:phone.notice_added'),
      summary: before ? t('account:phone.notice_replaced', { phone: maskPhone(phone), before: maskPhone(before) }) : t('account:phone.notice_saved', { phone: maskPhone(phone) }),
      details: [t('account:phone.notice_codes_here')],
    });
    redirectWithNotice(ctx, '/account', 'phone');
  });
}

function showPhoneForm(ctx: Context, services: AccountPhoneDeps, state: { typed?: string; error?: string } = {}, status?: number): void {
  const { user } = signedIn(ctx);
  renderAccountPage(ctx, services, 'phone', {
    title: user.phone ? t('account:phone.title_change') : t('account:phone.title_add'),
    current: user.phone ?? null,
    typed: state.typed ?? '',
    error: state.error ?? null,
    smsAvailable: services.mfa.channels.available.includes('sms'),
  }, status ?? (state.error ? 400 : 200));
}

function showCodeForm(ctx: Context, services: AccountPhoneDeps, phone: string, error?: string): void {
  renderAccountPage(ctx, services, 'phone-code', {
    title: t('account:phone.code_title'),
    phone,
    destination: maskPhone(phone),
    error: error ?? null,
  }, error ? 400 : 200);
}
