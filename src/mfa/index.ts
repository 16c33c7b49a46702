// Everything the second factor needs, built once per app: channels, the code service, the lockout,
// known devices, sign-in networks, trusted IPs and the risk assessment of a sign-in.
import type { Connection } from 'mongoose';
import type { AuditLog } from '../audit/record.js';
import type { Config } from '../config/index.js';
import type { Models } from '../store/models/index.js';
import { createAccountLockout, type AccountLockout, type AttackNotice } from './account-lockout.js';
import { createCodeMessageCap, type CodeMessageCap } from './code-message-cap.js';
import { createChannels, type Channels, type ChannelDeps } from './channels/registry.js';
import { createFactors, type Factors } from './factors/index.js';
import { createKnownDevices, type KnownDevices } from './known-devices.js';
import { resolveOtpKey } from './otp-key.js';
import { createMfaService, type MfaService } from './service.js';
import { createSignInNetworks, type SignInNetworks } from './sign-in-networks.js';
import { createSignInRisk, type AssessSignIn } from './sign-in-risk.js';
import { createTrustedIps, type TrustedIps } from './trusted-ips.js';

export interface Mfa {
  channels: Channels;
  codes: MfaService;
  lockout: AccountLockout;
  devices: KnownDevices;
  networks: SignInNetworks;
  trustedIps: TrustedIps;
  /** The per-user cap on code messages, shared by sign-in, reset and phone verification. */
  codeMessages: CodeMessageCap;
  assessSignIn: AssessSignIn;
  /** Authenticator apps, recovery codes and the registry of every second factor (factors/). */
  factors: Factors;
}

export interface MfaDeps {
  config: Config;
  connection: Connection;
  models: Models;
  now: () => number;
  audit: AuditLog;
  /** Renders the email templates. */
  render: ChannelDeps['render'];
  /** Where the development outbox prints each message. */
  log?: (line: string) => void;
  /** Tells a user that sign-ins from unfamiliar places were paused (the composition root wires the notice). */
  notifyAttack: (channels: Channels, notice: AttackNotice) => Promise<unknown>;
}

export async function createMfa({ config, connection, models, now, audit, render, log, notifyAttack }: MfaDeps): Promise<Mfa> {
  const channels = createChannels(config, { render, now, ...(log ? { log } : {}) });
  const key = await resolveOtpKey(config, models, now);
  const devices = createKnownDevices({ models, now });
  const networks = createSignInNetworks({ models, now });
  const lockout = createAccountLockout({
    models, now, devices, networks, audit,
    settings: { threshold: config.mfa.lockoutThreshold, lockMs: config.mfa.lockoutMs },
    notifyAttack: (notice) => notifyAttack(channels, notice),
  });
  const trustedIps = createTrustedIps({ models, now, production: config.production });
  const codeMessages = createCodeMessageCap({ connection, now, settings: config.mfa.codeMessages });
  const factors = await createFactors({ models, now, factorSecretKey: config.mfa.factorSecretKey, otpKey: key, available: channels.available, issuer: config.issuer });
  return {
    factors,
    channels,
    codes: createMfaService({ models, channels, key, now, audit, lockout, codeMessages }),
    codeMessages,
    lockout,
    devices,
    networks,
    trustedIps,
    assessSignIn: createSignInRisk({ models, now, trustedIps, devices, networks }),
  };
}
