// practices passwordless | practices phishing-resistant: the operator's side of the admin page
// /admin/security/passkeys, the same commands (src/commands/passwordless-allowed.ts,
// phishing-resistant-required.ts), audited alike. Without a change option each prints the setting.
import { PHR_REQUIRED_FOR, type PasskeyPolicy } from '../mfa/factors/passkey-policy.js';
import { OPERATOR, setPasswordlessAllowed, setPhishingResistantRequired } from '../commands/index.js';
import { JSON_OPTION, PROGRAM, type Command } from './command.js';
import type { CliContext } from './context.js';
import { practiceById } from './operator.js';
import { printJson } from './output.js';

const PRACTICE = { type: 'string', value: 'ID', required: true, description: 'practice id (see "practices list")' } as const;
const ON_OFF = ['on', 'off'] as const;

function print(io: { out(line: string): void }, name: string, settings: PasskeyPolicy): void {
  io.out(`Practice "${name}": passwordless sign-in ${settings.passwordlessAllowed ? 'allowed' : 'not allowed'}; passkey or security key required for ${settings.phishingResistantRequired}`);
}

async function current(context: CliContext, id: unknown) {
  const practice = await practiceById(context, id);
  return { practice, settings: await context.accounts.passkeyPolicy(practice._id) };
}

export const passwordlessCommand: Command = {
  name: 'passwordless',
  summary: "Show or change whether a practice's users may sign in with a passkey alone (no password).",
  details: 'The passkey must verify its user (PIN or biometric). Needs passkeys allowed as a second factor ("practices security --factors").',
  options: {
    practice: PRACTICE,
    allowed: { type: 'string', value: 'on|off', choices: ON_OFF, description: 'allow passwordless sign-in' },
    json: { ...JSON_OPTION, description: 'print the settings as JSON' },
  },
  example: `${PROGRAM} practices passwordless --practice 665f1c2e9b1e8a0012345678 --allowed on`,
  async run({ values, context, io }) {
    let { practice, settings } = await current(context, values.practice);
    if (values.allowed !== undefined) ({ settings } = await setPasswordlessAllowed(await context.deps(), OPERATOR, practice._id, values.allowed === 'on'));
    if (values.json) return printJson(io, settings);
    print(io, practice.name, settings);
  },
};

export const phishingResistantCommand: Command = {
  name: 'phishing-resistant',
  summary: 'Show or change who must sign in with a passkey or security key: nobody, admins or everyone.',
  details: 'Such a user is offered no code, app or recovery code; one without a passkey adds one while signing in,\nafter their password and a factor they already hold (and is emailed).',
  options: {
    practice: PRACTICE,
    'required-for': { type: 'string', value: PHR_REQUIRED_FOR.join('|'), choices: PHR_REQUIRED_FOR, description: 'who must use a passkey or security key' },
    json: { ...JSON_OPTION, description: 'print the settings as JSON' },
  },
  example: `${PROGRAM} practices phishing-resistant --practice 665f1c2e9b1e8a0012345678 --required-for admins`,
  async run({ values, context, io }) {
    let { practice, settings } = await current(context, values.practice);
    const asked = values['required-for'] as PasskeyPolicy['phishingResistantRequired'] | undefined;
    if (asked !== undefined) ({ settings } = await setPhishingResistantRequired(await context.deps(), OPERATOR, practice._id, asked));
    if (values.json) return printJson(io, settings);
    print(io, practice.name, settings);
  },
};
