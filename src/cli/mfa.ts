// mfa practice-policy | user | unlock | forget-devices: the second factor of practices and users.
// Every change is audited with the actor `cli`.
import { AppError } from '../errors.js';
import { createAccountLockout } from '../mfa/account-lockout.js';
import { createKnownDevices } from '../mfa/known-devices.js';
import { MFA_MODES, type MfaMode } from '../mfa/risk/index.js';
import { E164, MFA_CHANNELS, type MfaChannel } from '../store/models/user.js';
import { PROGRAM, UsageError, commandHelp, type Command, type CommandGroup } from './command.js';
import { CLI_ACTOR, cliAudit, cliChange, EMAIL, practiceById, userByEmail } from './operator.js';

const ON_OFF = ['on', 'off'] as const;

const practicePolicy: Command = {
  name: 'practice-policy',
  summary: "Set when a practice's users are asked for a one-time code, and whether trusted IPs skip it.",
  details: 'Modes: off (only users who turned two-step sign-in on), risk (also new browsers and unusual\nnetworks; the default), always (every sign-in). A change applies to the next request of every user.',
  options: {
    practice: { type: 'string', value: 'ID', required: true, description: 'practice id (see "practices list")' },
    mode: { type: 'string', value: 'MODE', choices: MFA_MODES, description: 'off | risk | always' },
    'trusted-ips-bypass': { type: 'string', value: 'on|off', choices: ON_OFF, description: 'whether a sign-in from a trusted IP skips the code' },
  },
  example: `${PROGRAM} mfa practice-policy --practice 665f1c2e9b1e8a0012345678 --mode always --trusted-ips-bypass off`,
  async run({ values, context, io }) {
    if (values.mode === undefined && values['trusted-ips-bypass'] === undefined) {
      throw new UsageError('give --mode or --trusted-ips-bypass', commandHelp(mfa, practicePolicy));
    }
    const practice = await practiceById(context, values.practice);
    const before = { mfaPolicy: practice.mfaPolicy, trustedIpsBypass: practice.trustedIpsBypass };
    if (values.mode !== undefined) practice.mfaPolicy = values.mode as MfaMode;
    if (values['trusted-ips-bypass'] !== undefined) practice.trustedIpsBypass = values['trusted-ips-bypass'] === 'on';
    await cliChange(context, 'admin.practice.security_changed', { practiceId: practice._id }, () => practice.save());
    const after = { mfaPolicy: practice.mfaPolicy, trustedIpsBypass: practice.trustedIpsBypass };
    await cliAudit(context).record({ event: 'admin.practice.security_changed', outcome: 'success', actor: CLI_ACTOR, practiceId: practice._id, details: { before, after } });
    io.out(`Practice "${practice.name}": MFA mode ${after.mfaPolicy}, trusted IPs ${after.trustedIpsBypass ? 'skip' : 'do not skip'} the code`);
  },
};

const user: Command = {
  name: 'user',
  summary: "Turn a user's two-step sign-in on or off; set the channel for codes and the phone.",
  details: 'With two-step sign-in on, a code is asked at every sign-in (unless from a trusted IP). Codes go by\ntext message when the channel is sms and a phone is set, otherwise by email.',
  options: {
    email: EMAIL,
    'two-step': { type: 'string', value: 'on|off', choices: ON_OFF, description: 'turn two-step sign-in on or off' },
    channel: { type: 'string', value: 'CHANNEL', choices: MFA_CHANNELS, description: 'email | sms' },
    phone: { type: 'string', value: '+15551234567', description: 'mobile number in E.164 form; "none" removes it' },
  },
  example: `${PROGRAM} mfa user --email dr.lee@example.org --two-step on --channel sms --phone +15551234821`,
  async run({ values, context, io }) {
    if (values['two-step'] === undefined && values.channel === undefined && values.phone === undefined) {
      throw new UsageError('give --two-step, --channel or --phone', commandHelp(mfa, user));
    }
    const phone = values.phone === undefined ? undefined : String(values.phone);
    if (phone !== undefined && phone !== 'none' && !E164.test(phone)) {
      throw new AppError('bad phone', { status: 400, code: 'invalid_input', userMessage: 'The phone must be in E.164 form, e.g. +15551234567 (or "none").' });
    }
    const found = await userByEmail(context, values);
    const before = { mfaEnabled: found.mfaEnabled, mfaChannel: found.mfaChannel, phone: found.phone ?? null };
    if (values['two-step'] !== undefined) found.mfaEnabled = values['two-step'] === 'on';
    if (values.channel !== undefined) found.mfaChannel = values.channel as MfaChannel;
    if (phone !== undefined) found.phone = phone === 'none' ? undefined : phone;
    await cliChange(context, 'admin.user.mfa_changed', { practiceId: found.practiceId, userSub: found.sub }, () => found.save());
    const after = { mfaEnabled: found.mfaEnabled, mfaChannel: found.mfaChannel, phone: found.phone ?? null };
    await cliAudit(context).record({ event: 'admin.user.mfa_changed', outcome: 'success', actor: CLI_ACTOR, practiceId: found.practiceId, userSub: found.sub, details: { before, after } });
    const route = found.mfaChannel === 'sms' && found.phone ? 'by text message' : 'by email';
    io.out(`${found.email}: two-step sign-in ${found.mfaEnabled ? 'on' : 'off'}; codes go ${route}`);
  },
};

const unlock: Command = {
  name: 'unlock',
  summary: 'Lift an account lock (after too many failed passwords or codes) and reset its counters.',
  options: { email: EMAIL },
  example: `${PROGRAM} mfa unlock --email dr.lee@example.org`,
  async run({ values, context, io }) {
    const found = await userByEmail(context, values);
    const wasLocked = await cliChange(context, 'account.unlocked', { practiceId: found.practiceId, userSub: found.sub }, () => createAccountLockout({ models: context.models, now: Date.now }).unlock(found._id));
    await cliAudit(context).record({ event: 'account.unlocked', outcome: 'success', actor: CLI_ACTOR, practiceId: found.practiceId, userSub: found.sub, details: { wasLocked } });
    io.out(wasLocked ? `Unlocked ${found.email}` : `${found.email} was not locked; its failure count is reset`);
  },
};

const forgetDevices: Command = {
  name: 'forget-devices',
  summary: "Forget every known browser of a user: each asks for a code again (in risk mode).",
  options: { email: EMAIL },
  example: `${PROGRAM} mfa forget-devices --email dr.lee@example.org`,
  async run({ values, context, io }) {
    const found = await userByEmail(context, values);
    const count = await cliChange(context, 'device.forgotten', { practiceId: found.practiceId, userSub: found.sub }, () => createKnownDevices({ models: context.models, now: Date.now }).forgetAll(found._id));
    await cliAudit(context).record({ event: 'device.forgotten', outcome: 'success', actor: CLI_ACTOR, practiceId: found.practiceId, userSub: found.sub, details: { count } });
    io.out(`Forgot ${count} known ${count === 1 ? 'browser' : 'browsers'} of ${found.email}`);
  },
};

export const mfa: CommandGroup = {
  name: 'mfa',
  summary: 'Two-step sign-in: practice mode, users, account locks, known browsers.',
  commands: [practicePolicy, user, unlock, forgetDevices],
};
