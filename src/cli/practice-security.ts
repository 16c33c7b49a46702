// practices security: the operator's view of a practice's security settings (the same settings and
// checks as the admin page /admin/security): idle time-out, password policy, the time zone of
// local times on the admin audit log. Without a change option it prints the settings; with one it
// saves them through src/commands/practice-security.ts and audits exactly what changed.
import type { PracticeSecurity } from '../accounts/practice-security.js';
import { LANGUAGES } from '../i18n/languages.js';
import { SESSION_IDLE_BOUNDS } from '../store/models/practice.js';
import { JSON_OPTION, PROGRAM, type Command, type Values } from './command.js';
import { OPERATOR, setPracticeSecurity } from '../commands/index.js';
import { practiceById } from './operator.js';
import { printJson } from './output.js';

const ON_OFF = ['on', 'off'] as const;
const SWITCHES = {
  'require-upper': 'requireUpper',
  'require-lower': 'requireLower',
  'require-digit': 'requireDigit',
  'require-special': 'requireSpecial',
  'reject-common': 'rejectCommon',
  'reject-personal': 'rejectPersonal',
} as const;

export const practiceSecurity: Command = {
  name: 'security',
  summary: "Show or change a practice's idle time-out, password policy, time zone, language and allowed second factors.",
  details: `The idle time-out (${SESSION_IDLE_BOUNDS.min}-${SESSION_IDLE_BOUNDS.max} minutes) ends a provider session nobody used for that long; the\npassword policy applies to every new password; the time zone (an IANA name, or "server" for the
server's zone) is the one the admin audit log shows local times in; the language (${LANGUAGES.join(', ')}) is used when
neither the app (ui_locales) nor the browser (Accept-Language) names one. The MFA policy is set with
"mfa practice-policy".`,
  options: {
    practice: { type: 'string', value: 'ID', required: true, description: 'practice id (see "practices list")' },
    'idle-minutes': { type: 'string', value: 'N', description: 'idle time-out in minutes' },
    'min-length': { type: 'string', value: 'N', description: 'minimum password length' },
    'time-zone': { type: 'string', value: 'NAME|server', description: 'time zone, e.g. America/Chicago' },
    language: { type: 'string', value: LANGUAGES.join('|'), choices: LANGUAGES, description: 'language of pages, emails and texts when the app and browser name none' },
    factors: { type: 'string', value: 'LIST', description: 'second factors allowed: email,sms,totp (comma-separated)' },
    ...Object.fromEntries(Object.keys(SWITCHES).map((name) => [name, { type: 'string', value: 'on|off', choices: ON_OFF, description: name.replace('-', ' ') }])),
    json: { ...JSON_OPTION, description: 'print the settings as JSON' },
  },
  example: `${PROGRAM} practices security --practice 665f1c2e9b1e8a0012345678 --idle-minutes 10 --min-length 14 --require-special off`,
  async run({ values, context, io }) {
    const practice = await practiceById(context, values.practice);
    const current = await context.accounts.practiceSecurity(practice._id);
    const next = withChanges(current, values);
    const settings = next ? (await setPracticeSecurity(await context.deps(), OPERATOR, practice._id, next)).settings : current;
    if (values.json) return printJson(io, settings);
    const policy = settings.passwordPolicy;
    const zone = settings.timeZone ? `; time zone ${settings.timeZone}` : '';
    io.out(`Practice "${practice.name}": idle time-out ${settings.sessionIdleMinutes} min; passwords ${policy.minLength}-${policy.maxLength} characters${zone}; language ${settings.language}`);
    io.out(`  ${Object.entries(SWITCHES).map(([name, key]) => `${name} ${policy[key] ? 'on' : 'off'}`).join(', ')}`);
    io.out(`  second factors allowed: ${settings.allowedFactors.join(', ')}`);
  },
};

/** The settings with the given options applied, or undefined when no change option was given. */
function withChanges(current: PracticeSecurity, values: Values): PracticeSecurity | undefined {
  const given = (name: string) => values[name] !== undefined;
  if (!['idle-minutes', 'min-length', 'time-zone', 'language', 'factors', ...Object.keys(SWITCHES)].some(given)) return undefined;
  const policy = { ...current.passwordPolicy };
  if (given('min-length')) policy.minLength = wholeNumber(values['min-length']);
  for (const [name, key] of Object.entries(SWITCHES)) if (given(name)) policy[key] = values[name] === 'on';
  return {
    ...current,
    ...(given('idle-minutes') ? { sessionIdleMinutes: wholeNumber(values['idle-minutes']) } : {}),
    ...(given('time-zone') ? { timeZone: values['time-zone'] === 'server' ? null : String(values['time-zone']) } : {}),
    ...(given('language') ? { language: values.language as PracticeSecurity['language'] } : {}),
    passwordPolicy: policy,
    ...(given('factors') ? { allowedFactors: String(values.factors).split(',').map((name) => name.trim()) as PracticeSecurity['allowedFactors'] } : {}),
  };
}

/** Anything not a plain whole number becomes NaN, which the settings check refuses with its message. */
function wholeNumber(value: unknown): number {
  return /^\d{1,4}$/.test(String(value)) ? Number(value) : Number.NaN;
}
