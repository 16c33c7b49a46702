// GET/POST /account/two-step: turn two-step sign-in on or off and choose where codes go. Both need
// a fresh second factor. Off is refused when the practice asks for a code at every sign-in; text
// messages need a verified phone number (saved only through the texted code, see phone.ts).
import type Router from '@koa/router';
import type { Context } from 'koa';
import { changesBetween, nothingChanged } from '../accounts/changes.js';
import { requireSignIn, signedIn } from '../console/guard.js';
import type { Mfa } from '../mfa/index.js';
import type { Models } from '../store/models/index.js';
import type { MfaChannel } from '../store/models/user.js';
import { auditOwnChange, formText, FRESH_FACTOR_SECONDS, notifyOwnChange, redirectWithNotice, renderAccountPage } from './page.js';

import type { Render } from '../http/render.js';
import type { AuditLog } from '../audit/record.js';
import type Provider from 'oidc-provider';
import type { Logger } from '../observability/logger.js';
import { requestOrigin } from '../net/request-origin.js';
/** What this module needs from the composition root (src/app/). */
export interface AccountTwoStepDeps {
  mfa: Mfa;
  models: Models;
  audit: AuditLog;
  /** The public issuer URL. */
  issuer: string;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  render: Render;
  /** Cookies we set carry Secure: the issuer is https. */
  secureCookies: boolean;
  logger: Logger;
}

const CHANNEL_NAMES: Record<MfaChannel, string> = { email: 'email', sms: 'text message' };

export const ALWAYS_REFUSAL = 'Your practice asks for a code at every sign-in, so two-step sign-in cannot be turned off. Ask your practice administrator if you have questions.';

interface TwoStepUser { mfaEnabled: boolean; mfaChannel: MfaChannel; phone?: string | null }

/** One sentence for the overview. */
export function describeTwoStep(user: TwoStepUser, practice: { mfaPolicy: string }): string {
  const channel = user.phone && user.mfaChannel === 'sms' ? CHANNEL_NAMES.sms : CHANNEL_NAMES.email;
  if (practice.mfaPolicy === 'always') return `On (required by your practice): codes come by ${channel}.`;
  if (user.mfaEnabled) return `On: a code at every sign-in, by ${channel}.`;
  return practice.mfaPolicy === 'risk'
    ? `Off: a code only when a sign-in looks unusual, by ${channel}.`
    : `Off: a code only when an app asks for one, by ${channel}.`;
}

export function registerTwoStepRoutes(router: Router, services: AccountTwoStepDeps): void {
  const fresh = requireSignIn(services, { maxAgeSeconds: FRESH_FACTOR_SECONDS });

  router.get('/two-step', fresh, (ctx) => showTwoStep(ctx, services));

  router.post('/two-step', fresh, async (ctx) => {
    const { user, practice } = signedIn(ctx);
    const enabled = formText(ctx, 'enabled', 10);
    const channel = formText(ctx, 'channel', 10);
    if (channel !== 'email' && channel !== 'sms') return showTwoStep(ctx, services, 'Choose email or text message.');
    if (practice.mfaPolicy !== 'always' && enabled !== 'on' && enabled !== 'off') return showTwoStep(ctx, services, 'Choose whether to ask for a code at every sign-in.');
    if (practice.mfaPolicy === 'always' && enabled === 'off') return showTwoStep(ctx, services, ALWAYS_REFUSAL);
    if (channel === 'sms' && !user.phone) return showTwoStep(ctx, services, 'Add and verify a phone number before choosing text messages.');

    const before = { mfaEnabled: user.mfaEnabled, mfaChannel: user.mfaChannel };
    // Under `always` the practice rule decides; the user's own switch is left as it was.
    const after = { mfaEnabled: practice.mfaPolicy === 'always' ? user.mfaEnabled : enabled === 'on', mfaChannel: channel as MfaChannel };
    const changes = changesBetween(before, after);
    if (nothingChanged(changes)) return redirectWithNotice(ctx, '/account', 'unchanged');

    await services.models.User.updateOne({ _id: user._id }, { $set: after });
    await auditOwnChange(ctx, services, 'user.settings_changed', { ...changes });
    const sentences = [
      ...('mfaEnabled' in changes.after ? [after.mfaEnabled ? 'Two-step sign-in was turned on: a code is asked at every sign-in.' : 'Two-step sign-in was turned off: a code is asked only when a sign-in needs one.'] : []),
      ...('mfaChannel' in changes.after ? [`Sign-in codes now come by ${CHANNEL_NAMES[after.mfaChannel]}.`] : []),
    ];
    await notifyOwnChange(ctx, services, {
      subject: 'Your two-step sign-in settings were changed',
      summary: 'The two-step sign-in settings of your account were changed.',
      details: sentences,
    });
    redirectWithNotice(ctx, '/account', 'two-step');
  });
}

async function showTwoStep(ctx: Context, services: AccountTwoStepDeps, error?: string): Promise<void> {
  const { user, practice } = signedIn(ctx);
  // A trusted address waives the code even under "at every sign-in": say so rather than let the
  // setting look broken (or safer than it is) to someone at the office.
  const hereTrusted = practice.trustedIpsBypass
    && await services.mfa.trustedIps.matches(practice._id, user._id, requestOrigin(ctx).ip);
  renderAccountPage(ctx, services, 'two-step', {
    trustedBypass: practice.trustedIpsBypass,
    hereTrusted,
    title: 'Two-step sign-in',
    error: error ?? null,
    policy: practice.mfaPolicy,
    enabled: user.mfaEnabled,
    channel: user.phone ? user.mfaChannel : 'email',
    hasPhone: Boolean(user.phone),
  }, error ? 400 : 200);
}
