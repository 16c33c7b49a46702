// GET/POST /account/two-step: turn two-step sign-in on or off and choose where codes go. Both need
// a fresh second factor. Off is refused when the practice asks for a code at every sign-in; text
// messages need a verified phone number (saved only through the texted code, see phone.ts).
import { t } from '../i18n/request.js';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { changesBetween, nothingChanged } from '../accounts/changes.js';
import { requireSignIn, signedIn } from '../console/guard.js';
import type { Mfa } from '../mfa/index.js';
import type { Models } from '../store/models/index.js';
import type { MfaChannel } from '../store/models/user.js';
import { auditOwnChange, formText, FRESH_FACTOR_SECONDS, notifyOwnChange, redirectWithNotice, renderAccountPage } from './page.js';

const channelName = (channel: MfaChannel) => t(`account:two_step.by_channel.${channel}`);
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



interface TwoStepUser { mfaEnabled: boolean; mfaChannel: MfaChannel; phone?: string | null }

/** One sentence for the overview. */
export function describeTwoStep(user: TwoStepUser, practice: { mfaPolicy: string }): string {
  const channel = channelName(user.phone && user.mfaChannel === 'sms' ? 'sms' : 'email');
  if (practice.mfaPolicy === 'always') return t('account:two_step.describe.required', { channel });
  if (user.mfaEnabled) return t('account:two_step.describe.on', { channel });
  return practice.mfaPolicy === 'risk' ? t('account:two_step.describe.off_risk', { channel }) : t('account:two_step.describe.off_app', { channel });
}

export function registerTwoStepRoutes(router: Router, services: AccountTwoStepDeps): void {
  const fresh = requireSignIn(services, { maxAgeSeconds: FRESH_FACTOR_SECONDS });

  router.get('/two-step', fresh, (ctx) => showTwoStep(ctx, services));

  router.post('/two-step', fresh, async (ctx) => {
    const { user, practice } = signedIn(ctx);
    const enabled = formText(ctx, 'enabled', 10);
    const channel = formText(ctx, 'channel', 10);
    if (channel !== 'email' && channel !== 'sms') return showTwoStep(ctx, services, t('account:two_step.choose_channel'));
    if (practice.mfaPolicy !== 'always' && enabled !== 'on' && enabled !== 'off') return showTwoStep(ctx, services, t('account:two_step.choose_when'));
    if (practice.mfaPolicy === 'always' && enabled === 'off') return showTwoStep(ctx, services, t('account:two_step.always_refusal'));
    if (channel === 'sms' && !user.phone) return showTwoStep(ctx, services, t('account:two_step.phone_first'));

    const before = { mfaEnabled: user.mfaEnabled, mfaChannel: user.mfaChannel };
    // Under `always` the practice rule decides; the user's own switch is left as it was.
    const after = { mfaEnabled: practice.mfaPolicy === 'always' ? user.mfaEnabled : enabled === 'on', mfaChannel: channel as MfaChannel };
    const changes = changesBetween(before, after);
    if (nothingChanged(changes)) return redirectWithNotice(ctx, '/account', 'unchanged');

    // The channel is the person's; two-step on/off is their choice in THIS practice (the membership).
    await services.models.User.updateOne({ _id: user._id }, { $set: { mfaChannel: after.mfaChannel } });
    await services.models.Membership.updateOne({ userId: user._id, practiceId: user.practiceId }, { $set: { mfaEnabled: after.mfaEnabled } });
    await auditOwnChange(ctx, services, 'user.settings_changed', { ...changes });
    const sentences = [
      ...('mfaEnabled' in changes.after ? [after.mfaEnabled ? t('account:two_step.notice_on') : t('account:two_step.notice_off')] : []),
      ...('mfaChannel' in changes.after ? [t('account:two_step.notice_channel', { channel: channelName(after.mfaChannel) })] : []),
    ];
    await notifyOwnChange(ctx, services, {
      subject: t('account:two_step.notice_subject'),
      summary: t('account:two_step.notice_summary'),
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
    title: t('account:two_step.title'),
    error: error ?? null,
    policy: practice.mfaPolicy,
    enabled: user.mfaEnabled,
    channel: user.phone ? user.mfaChannel : 'email',
    hasPhone: Boolean(user.phone),
  }, error ? 400 : 200);
}
