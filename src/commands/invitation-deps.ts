// The store and mail capabilities of the invitation commands, built the same way for the admin
// pages and the CLI (each passes its own store, clock, issuer and email channel).
import type { Types } from 'mongoose';
import { createPracticeJoining } from '../accounts/practice-joining.js';
import type { Channels } from '../mfa/channels/registry.js';
import { mailPracticeInvitation } from '../notifications/practice-invitation.js';
import type { Models } from '../store/models/index.js';
import type { InviteMemberDeps } from './invite-member.js';

export interface InvitationSources {
  models: Models;
  now: () => number;
  /** Every link mailed starts with it. */
  issuer: string;
  mfa: { channels: Pick<Channels, 'email'> };
}

export function invitationDeps(sources: InvitationSources): Omit<InviteMemberDeps, 'audit'> {
  const joining = createPracticeJoining(sources);
  return {
    joining,
    async mailInvitation(practiceId: Types.ObjectId, identity, typed, link) {
      const [practice, person] = await Promise.all([
        sources.models.Practice.findById(practiceId, { name: 1, language: 1 }).lean(),
        sources.models.User.findById(identity._id, { language: 1 }).lean(),
      ]);
      await mailPracticeInvitation(sources, {
        to: typed.email, name: typed.name, practice, recipient: person ?? {}, link, kind: identity.hasPassword ? 'join' : 'set_password',
      });
    },
  };
}
