// The small capabilities commands are given (each command's deps interface picks from these), so a
// surface wires them once: the admin pages from the running app, the CLI from its own store.
import type { Types } from 'mongoose';
import type { EndedSessions, EndSessionsOptions } from '../sessions/end-sessions.js';
import type { MfaChannel } from '../store/models/user.js';

/** Ends every sign-in of a user; modules are told by back-channel logout (src/sessions/end-sessions.ts). */
export type EndSessions = (accountId: string, options?: EndSessionsOptions) => Promise<EndedSessions>;

/** The user a command acts on, as the surface found it (by URL id or by email). */
export interface TargetUser {
  _id: Types.ObjectId;
  sub: string;
  email: string;
  name: string;
  practiceId: Types.ObjectId;
  active: boolean;
  mfaEnabled: boolean;
  mfaChannel: MfaChannel;
}

export const target = (user: TargetUser) => ({ practiceId: user.practiceId, userSub: user.sub });

export const endedDetails = (ended: EndedSessions) => ({ sessionsEnded: ended.sessions, grantsRevoked: ended.grants, modulesNotified: ended.modulesNotified });
