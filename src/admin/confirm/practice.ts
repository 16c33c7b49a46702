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

export function confirmRemoveTrustedIp(services: ConfirmPracticeDeps): Describer {
  return async (ctx: Context): Promise<Confirmation | undefined> => {
    const { practice } = signedIn(ctx);
    const entry = await services.mfa.trustedIps.find(practice._id, ctx.params.id ?? '');
    if (!entry) return undefined; // the handler answers "not found"
    const owner = entry.userId ? await services.models.User.findOne(await createMemberships(services).inPractice(practice._id, { _id: entry.userId }) as Record<string, unknown>, { name: 1 }).lean() : null;
    const who = entry.userId ? (owner?.name ?? 'a former user') : `everyone in ${practice.name}`;
    return {
      title: `Stop trusting ${entry.entry}?`,
      consequences: [
        `Sign-ins from ${entry.entry} by ${who} will no longer skip the one-time code.`,
        'Whoever signs in from there next may be asked for a code, as anywhere else.',
      ],
      confirmLabel: `Stop trusting ${entry.entry}`,
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
    const everyone = `All ${users} active ${users === 1 ? 'user' : 'users'} of ${practice.name}`;
    if (form.mfaPolicy === 'always' && current.mfaPolicy !== 'always') {
      consequences.push(`${everyone} will be asked for a one-time code at every sign-in, from their next sign-in on.`);
    }
    if (current.trustedIpsBypass && form.trustedIpsBypass !== 'on') {
      consequences.push('Sign-ins from the practice\'s trusted addresses will no longer skip the code.');
    }
    if (!consequences.length) return undefined;
    consequences.push('Codes go by text message to users who chose it and have a verified number, by email to everyone else.');
    return {
      title: 'Ask for more codes across the practice?',
      consequences,
      confirmLabel: 'Save and ask for codes',
      cancelHref: '/admin/security',
      fields: Object.fromEntries(Object.entries(form).map(([name, value]) => [name, String(value)])),
    };
  };
}
