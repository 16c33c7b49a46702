// What the practice-wide destructive changes do, said before they are done (confirmFirst): removing
// a trusted address, and security settings that make everyone type codes.
import type { Context } from 'koa';
import { signedIn } from '../../console/guard.js';
import type { AccountService } from '../../accounts/service.js';
import type { Mfa } from '../../mfa/index.js';
import type { Models } from '../../store/models/index.js';

/** What the describers need: the practice's trusted addresses, users and security settings. */
export interface ConfirmPracticeDeps {
  accounts: AccountService;
  mfa: Mfa;
  models: Models;
}
import type { Confirmation, Describer } from './index.js';
import { createMemberships } from '../../accounts/memberships.js';
import { t } from '../../i18n/request.js';

export function confirmRemoveTrustedIp(services: ConfirmPracticeDeps): Describer {
  return async (ctx: Context): Promise<Confirmation | undefined> => {
    const { practice } = signedIn(ctx);
    const entry = await services.mfa.trustedIps.find(practice._id, ctx.params.id ?? '');
    if (!entry) return undefined; // the handler answers "not found"
    const owner = entry.userId ? await services.models.User.findOne(await createMemberships(services).inPractice(practice._id, { _id: entry.userId }) as Record<string, unknown>, { name: 1 }).lean() : null;
    const who = entry.userId ? (owner?.name ?? t('admin:confirm.ip_former_user')) : t('admin:confirm.ip_everyone', { practice: practice.name });
    return {
      title: t('admin:confirm.ip_title', { entry: entry.entry }),
      consequences: [
        t('admin:confirm.ip_no_skip', { entry: entry.entry, who }),
        t('admin:confirm.ip_next'),
      ],
      confirmLabel: t('admin:confirm.ip_button', { entry: entry.entry }),
      cancelHref: '/admin/ip-access',
    };
  };
}

/** Asks first when the settings would make everyone type a code: "always", or trusted IPs no longer skipping it. */
export function confirmSecurityChange(services: ConfirmPracticeDeps): Describer {
  return async (ctx) => {
    const { practice } = signedIn(ctx);
    const form = (ctx.state.form ?? {}) as Record<string, string>;
    const current = await services.accounts.practiceSecurity(practice._id);
    const consequences: string[] = [];
    const users = await services.models.Membership.countDocuments({ practiceId: practice._id, status: 'active' });
    if (form.mfaPolicy === 'always' && current.mfaPolicy !== 'always') {
      consequences.push(t('admin:confirm.security_everyone', { count: users, practice: practice.name }));
    }
    if (current.trustedIpsBypass && form.trustedIpsBypass !== 'on') {
      consequences.push(t('admin:confirm.security_no_bypass'));
    }
    if (!consequences.length) return undefined;
    consequences.push(t('admin:confirm.security_channels'));
    return {
      title: t('admin:confirm.security_title'),
      consequences,
      confirmLabel: t('admin:confirm.security_button'),
      cancelHref: '/admin/security',
      fields: Object.fromEntries(Object.entries(form).map(([name, value]) => [name, String(value)])),
    };
  };
}
