// GET /account/activity: the user's last 20 sign-in attempts from the audit log (time, network
// address, device, outcome), so a person can spot one that was not theirs.
import { t } from '../i18n/request.js';
import type Router from '@koa/router';
import type { AuditEvent } from '../audit/events.js';
import { queryAudit } from '../audit/query.js';
import { signedIn } from '../console/guard.js';
import type { Models } from '../store/models/index.js';
import { formatInstant, readableAddress } from '../mfa/channels/wording.js';
import { deviceLabel } from '../mfa/known-devices.js';
import { renderAccountPage } from './page.js';

import type { Render } from '../http/render.js';
import type { AuditLog } from '../audit/record.js';
import type { Logger } from '../observability/logger.js';
import type { Mfa } from '../mfa/index.js';
/** What this module needs from the composition root (src/app/). */
export interface AccountActivityDeps {
  models: Models;
  audit: AuditLog;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  render: Render;
  logger: Logger;
  mfa: Mfa;
}

export const RECENT_SIGN_INS = 20;

const SIGN_IN_EVENTS: readonly AuditEvent[] = ['signin.completed', 'signin.password.failed', 'account.locked'];

const FAILURES = new Set(['wrong_password', 'account_locked', 'inactive_user', 'no_password', 'too_many_failures']);

export function registerActivityRoutes(router: Router, services: AccountActivityDeps): void {
  router.get('/activity', async (ctx) => {
    const { user, practice } = signedIn(ctx);
    const { entries } = await queryAudit({ models: services.models }, {
      practiceId: user.practiceId.toHexString(), userSub: user.sub, event: SIGN_IN_EVENTS, pageSize: RECENT_SIGN_INS,
    });
    renderAccountPage(ctx, services, 'activity', {
      title: t('account:activity.title'),
      signIns: entries.map((entry) => ({
        at: formatInstant(new Date(entry.at), practice.timeZone),
        ip: readableAddress(entry.ip),
        device: deviceLabel(entry.userAgent ?? ''),
        ok: entry.event === 'signin.completed',
        outcome: entry.event === 'signin.completed'
          ? t('account:activity.signed_in')
          : FAILURES.has(entry.reasons?.[0] ?? '') ? t(`account:activity.failures.${entry.reasons![0]}`) : t('account:activity.not_signed_in'),
      })),
    });
  });
}
