// Models are bound to one mongoose Connection (never the global mongoose), so several servers can
// run in one process, each on its own database.
import type { Connection } from 'mongoose';
import { accountChangeModel } from './account-change.js';
import { appSecretModel } from './app-secret.js';
import { auditEntryModel } from './audit-entry.js';
import { clientModel } from './client.js';
import { knownDeviceModel } from './known-device.js';
import { membershipModel } from './membership.js';
import { oidcRecordModel } from './oidc-record.js';
import { otpChallengeModel } from './otp-challenge.js';
import { passwordTokenModel } from './password-token.js';
import { practiceInvitationModel } from './practice-invitation.js';
import { practiceModel } from './practice.js';
import { practiceEntryModel } from './practice-entry.js';
import { practiceLogoModel } from './practice-logo.js';
import { sessionActivityModel } from './session-activity.js';
import { signInNetworkModel } from './sign-in-network.js';
import { signingKeyModel } from './signing-key.js';
import { smartLaunchModel } from './smart-launch.js';
import { trustedIpModel } from './trusted-ip.js';
import { userModel } from './user.js';
import { userFactorModel } from './user-factor.js';
import { webauthnChallengeModel } from './webauthn-challenge.js';

export function createModels(connection: Connection) {
  return {
    Practice: practiceModel(connection),
    User: userModel(connection),
    Membership: membershipModel(connection),
    Client: clientModel(connection),
    OidcRecord: oidcRecordModel(connection),
    SigningKey: signingKeyModel(connection),
    AppSecret: appSecretModel(connection),
    AuditEntry: auditEntryModel(connection),
    TrustedIp: trustedIpModel(connection),
    KnownDevice: knownDeviceModel(connection),
    SignInNetwork: signInNetworkModel(connection),
    OtpChallenge: otpChallengeModel(connection),
    PasswordToken: passwordTokenModel(connection),
    PracticeInvitation: practiceInvitationModel(connection),
    SessionActivity: sessionActivityModel(connection),
    PracticeEntry: practiceEntryModel(connection),
    AccountChange: accountChangeModel(connection),
    PracticeLogo: practiceLogoModel(connection),
    SmartLaunch: smartLaunchModel(connection),
    UserFactor: userFactorModel(connection),
    WebauthnChallenge: webauthnChallengeModel(connection),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Builds every index (unique emails, TTL) before the app serves a request. */
export async function ensureIndexes(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((model) => model.createIndexes()));
}

export type { Practice, MfaPolicy } from './practice.js';
export type { User, UserRole } from './user.js';
export type { Membership, MembershipStatus, Member, MembershipFields, Identity } from './membership.js';
export type { PracticeEntry } from './practice-entry.js';
export type { Client, ClientAuthMethod } from './client.js';
export type { OidcRecord } from './oidc-record.js';
export type { SigningKey } from './signing-key.js';
export type { AppSecret } from './app-secret.js';
