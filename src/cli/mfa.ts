// mfa practice-policy | user | unlock | forget-devices: the second factor of practices and users.
// Each change is a command of src/commands/ (as on the admin pages), audited with the actor `cli`.
import { appError } from '../errors.js';
import { applyAccountChange } from '../accounts/account-change/apply.js';
import { forgetDevices as forgetKnownDevices, OPERATOR, setPracticeSecurity, setTwoStep, unlockUser } from '../commands/index.js';
import { MFA_MODES, type MfaMode } from '../mfa/risk/index.js';
import { E164, MFA_CHANNELS, type MfaChannel } from '../store/models/user.js';
import { PROGRAM, UsageError, commandHelp, type Command, type CommandGroup } from './command.js';
import { CLI_ACTOR, EMAIL, practiceById, userByEmail } from './operator.js';
import { memberPractice } from './member-active.js';
import { userCommand } from './user-command.js';

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
    const { settings: after } = await setPracticeSecurity(await context.deps(), OPERATOR, practice._id, {
      ...(values.mode !== undefined ? { mfaPolicy: values.mode as MfaMode } : {}),
      ...(values['trusted-ips-bypass'] !== undefined ? { trustedIpsBypass: values['trusted-ips-bypass'] === 'on' } : {}),
    });
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
      throw appError('invalid_input', { detail: 'bad phone', message: 'The phone must be in E.164 form, e.g. +15551234567 (or "none").' });
    }
    let found = await userByEmail(context, values);
    const access = {
      ...(values['two-step'] !== undefined ? { mfaEnabled: values['two-step'] === 'on' } : {}),
      ...(values.channel !== undefined ? { mfaChannel: values.channel as MfaChannel } : {}),
    };
    const deps = await context.deps();
    // A number is a change of the account (src/accounts/account-change/apply.ts, as "users change"):
    // added before text delivery needs it, removed after email delivery no longer does.
    const setPhone = async () => {
      if (phone === undefined) return;
      if (phone === 'none' && found.mfaEnabled && found.mfaChannel === 'sms') {
        throw appError('invalid_input', { detail: 'phone in use', message: 'This user receives sign-in codes by text message: keep a number, or give --channel email.' });
      }
      await applyAccountChange({ models: context.models, audit: deps.audit, now: Date.now, provider: () => null }, { user: found, kind: 'phone', after: phone === 'none' ? null : phone, actor: CLI_ACTOR });
      found = (await context.accounts.findUserBySub(found.sub))!;
    };
    if (phone !== 'none') await setPhone();
    if (Object.keys(access).length > 0) await setTwoStep(deps, OPERATOR, found, access);
    found = (await context.accounts.findUserBySub(found.sub))!;
    if (phone === 'none') await setPhone();
    const route = found.mfaChannel === 'sms' && found.phone ? 'by text message' : 'by email';
    io.out(`${found.email}: two-step sign-in ${found.mfaEnabled ? 'on' : 'off'}; codes go ${route}`);
  },
};

const unlock = userCommand({
  name: 'unlock',
  summary: 'Lift an account lock (after too many failed passwords or codes) and reset its counters.',
  example: `${PROGRAM} mfa unlock --email dr.lee@example.org`,
  async act({ user, context }) {
    const wasLocked = await unlockUser(await context.deps(), OPERATOR, user);
    return wasLocked ? `Unlocked ${user.email}` : `${user.email} was not locked; its failure count is reset`;
  },
});

const forgetDevices: Command = {
  name: 'forget-devices',
  summary: "Forget a user's known browsers: each asks for a code again (in risk mode).",
  details: 'Browsers are known per practice (where a code was given on them). With --practice, only that\npractice forgets them, as its admin\'s "Forget known devices" does; without, every practice does.',
  options: { email: EMAIL, practice: { type: 'string', value: 'ID', description: 'only the browsers this practice knows (see "memberships list")' } },
  example: `${PROGRAM} mfa forget-devices --email dr.lee@example.org --practice 665f1c2e9b1e8a0012345678`,
  async run({ values, context, io }) {
    const user = await userByEmail(context, values);
    const practice = values.practice === undefined ? undefined : await memberPractice(context, user, values.practice);
    const count = await forgetKnownDevices(await context.deps(), OPERATOR, user, practice?._id);
    io.out(`Forgot ${count} known ${count === 1 ? 'browser' : 'browsers'} of ${user.email}${practice ? ` in ${practice.name}` : ''}`);
  },
};

export const mfa: CommandGroup = {
  name: 'mfa',
  summary: 'Two-step sign-in: practice mode, users, account locks, known browsers.',
  commands: [practicePolicy, user, unlock, forgetDevices],
};
