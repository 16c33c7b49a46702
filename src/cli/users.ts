// users create | list | deactivate | activate | set-password | end-sessions | change. Passwords come from stdin only.
import { Types } from 'mongoose';
import { applyAccountChange } from '../accounts/account-change/apply.js';
import { assertValidEmail } from '../accounts/email.js';
import { checkPhone } from '../accounts/practice-users.js';
import { type AppError, appError } from '../errors.js';
import type { AccountChangeKind } from '../store/models/account-change.js';
import { USER_ROLES, type UserRole } from '../store/models/user.js';
import { JSON_OPTION, PROGRAM, type CommandGroup } from './command.js';
import { createUser, endAllSessions, OPERATOR, setPassword } from '../commands/index.js';
import { setMemberActiveCommand } from './member-active.js';
import { CLI_ACTOR, cliAudit, EMAIL, practiceById, userByEmail } from './operator.js';
import { setFhirUserCommand } from './resource-servers.js';
import { isoDate, printJson, printTable } from './output.js';
import { readPassword } from './secret-input.js';
import { userCommand } from './user-command.js';
import { joinMember } from '../accounts/memberships.js';

// The same commands as the admin pages (src/commands/), with the operator as actor: deactivating
// ends the sign-ins that entered that practice (member-active.ts), a new password ends every
// session, tells modules by back-channel logout, emails the user and lifts an account lock.
const PRACTICE_OF_MEMBER = { type: 'string', value: 'ID', description: 'the practice (required when the user is a member of several; see "memberships list")' } as const;

export const users: CommandGroup = {
  name: 'users',
  summary: 'People who sign in: clinicians, staff and practice admins.',
  commands: [
    {
      name: 'create',
      summary: 'Create a user in a practice.',
      details: 'With --password-stdin the password is read from stdin (a hidden prompt on a terminal);\nwithout it the user has no password until one is set.',
      options: {
        practice: { type: 'string', value: 'ID', required: true, description: 'practice id (see "practices list")' },
        email: EMAIL,
        name: { type: 'string', value: 'NAME', required: true, description: 'full name' },
        role: { type: 'string', value: 'ROLE', required: true, choices: USER_ROLES, description: `one of ${USER_ROLES.join(' | ')}` },
        phone: { type: 'string', value: '+15551234567', description: 'mobile number in E.164 form, for one-time codes by SMS' },
        'password-stdin': { type: 'boolean', description: 'read the initial password from stdin (never pass it as an argument)' },
        json: { ...JSON_OPTION, description: 'print the created user as JSON' },
      },
      example: `printf '%s\\n' "$PASSWORD" | ${PROGRAM} users create --practice 665f1c2e9b1e8a0012345678 --email dr.lee@example.org --name "Dana Lee" --role clinician --password-stdin`,
      async run({ values, context, io }) {
        const password = values['password-stdin'] ? await readPassword(io, 'Password: ') : undefined;
        const practice = await practiceById(context, values.practice);
        const user = await createUser(await context.deps(), OPERATOR, {
          practiceId: practice._id,
          email: String(values.email),
          name: String(values.name),
          role: values.role as UserRole,
          ...(values.phone ? { phone: String(values.phone) } : {}),
          ...(password !== undefined ? { password } : {}),
        });
        const view = { sub: user.sub, email: user.email, name: user.name, role: user.role, practiceId: user.practiceId.toString(), hasPassword: Boolean(user.passwordHash) };
        if (values.json) return printJson(io, view);
        io.out(`Created ${view.role} ${view.email} (sub ${view.sub})${view.hasPassword ? '' : '; no password yet: use "users set-password"'}`);
      },
    },
    {
      name: 'list',
      summary: 'List users (all, or one practice\'s). Never shows password hashes.',
      options: {
        practice: { type: 'string', value: 'ID', description: 'only this practice\'s users' },
        json: JSON_OPTION,
      },
      example: `${PROGRAM} users list --practice 665f1c2e9b1e8a0012345678`,
      async run({ values, context, io }) {
        const practice = values.practice === undefined ? undefined : String(values.practice);
        if (practice !== undefined && !Types.ObjectId.isValid(practice)) {
          throw appError('invalid_input', { detail: 'invalid practice id', message: `"${practice}" is not a practice id.` });
        }
        // One row per membership: a person in two practices is listed in each.
        const memberships = await context.models.Membership.find(practice ? { practiceId: practice } : {}).lean();
        const identities = new Map((await context.models.User.find({ _id: { $in: memberships.map((m) => m.userId) } }).lean()).map((user) => [String(user._id), user]));
        const rows = memberships.flatMap((m) => { const user = identities.get(String(m.userId)); return user ? [joinMember(user, m)] : []; })
          .sort((a, b) => a.email.localeCompare(b.email) || String(a.practiceId).localeCompare(String(b.practiceId)));
        const view = rows.map((user) => ({
          email: user.email,
          name: user.name,
          role: user.role,
          active: user.active,
          hasPassword: Boolean(user.passwordHash),
          phone: user.phone,
          practiceId: user.practiceId.toString(),
          sub: user.sub,
          created: isoDate(user.createdAt),
        }));
        if (values.json) return printJson(io, view);
        printTable(io, view, ['email', 'name', 'role', 'active', 'hasPassword', 'phone', 'practiceId', 'sub'], 'No users.');
      },
    },
    {
      name: 'deactivate',
      summary: 'Stop a user\'s access to one practice and end the sign-ins that entered it (their other practices and data stay).',
      options: { email: EMAIL, practice: PRACTICE_OF_MEMBER },
      example: `${PROGRAM} users deactivate --email dr.lee@example.org --practice 665f1c2e9b1e8a0012345678`,
      run: setMemberActiveCommand(false),
    },
    {
      name: 'activate',
      summary: 'Give a deactivated user their access to one practice back.',
      options: { email: EMAIL, practice: PRACTICE_OF_MEMBER },
      example: `${PROGRAM} users activate --email dr.lee@example.org --practice 665f1c2e9b1e8a0012345678`,
      run: setMemberActiveCommand(true),
    },
    {
      name: 'change',
      summary: 'Change a user\'s sign-in email, mobile number or role at once (no confirmation); ends their sessions.',
      details: 'The operator, with access to the store, applies the change directly; admins in the browser wait for\nthe new address to confirm it. Each change is audited (admin.user.updated, before/after, phones masked).\nNo notice is emailed: tell the user.',
      options: {
        email: EMAIL,
        'new-email': { type: 'string', value: 'EMAIL', description: 'the new sign-in email address' },
        phone: { type: 'string', value: '+15551234567', description: 'the new mobile number, E.164' },
        'remove-phone': { type: 'boolean', description: 'remove the mobile number' },
        role: { type: 'string', value: 'ROLE', choices: USER_ROLES, description: `one of ${USER_ROLES.join(' | ')}` },
      },
      example: `${PROGRAM} users change --email dr.lee@example.org --new-email dana.lee@example.org`,
      async run({ values, context, io }) {
        let user = await userByEmail(context, values);
        const wanted: Array<[AccountChangeKind, string | null]> = [];
        if (values['new-email'] !== undefined) wanted.push(['email', assertValidEmail(String(values['new-email']))]);
        if (values.phone !== undefined && values['remove-phone']) throw badOption('Give either --phone or --remove-phone.');
        if (values.phone !== undefined) wanted.push(['phone', checkPhone(String(values.phone)) ?? null]);
        if (values['remove-phone']) {
          if (user.mfaEnabled && user.mfaChannel === 'sms') throw badOption('This user receives sign-in codes by text message: keep a number.');
          wanted.push(['phone', null]);
        }
        if (values.role !== undefined) wanted.push(['role', String(values.role)]);
        if (wanted.length === 0) throw badOption('Name a change: --new-email, --phone, --remove-phone or --role.');
        const deps = { models: context.models, audit: cliAudit(context), now: Date.now, provider: () => null };
        for (const [kind, after] of wanted) {
          const result = await applyAccountChange(deps, { user, kind, after, actor: CLI_ACTOR });
          io.out(result.before === result.after ? `${kind}: unchanged` : `${kind} changed${kind === 'role' ? '' : '; signed out everywhere'}`);
          user = (await context.accounts.findUserBySub(user.sub))!;
        }
      },
    },
    userCommand({
      name: 'set-password',
      summary: 'Set a user\'s password, read from stdin (a hidden prompt, asked twice, on a terminal); ends their sessions, emails them, lifts a lock.',
      example: `${PROGRAM} users set-password --email dr.lee@example.org`,
      async act({ user, context, io }) {
        const password = await readPassword(io);
        const result = await setPassword(await context.deps(), OPERATOR, user, password);
        const notes = [result.wasLocked ? 'account unlocked' : '', result.notified ? '' : 'the "password changed" email could not be sent'].filter(Boolean);
        return `Password set for ${user.email}; signed out everywhere${notes.length ? `; ${notes.join('; ')}` : ''}`;
      },
    }),
    userCommand({
      name: 'end-sessions',
      summary: 'Sign a user out everywhere: browser sessions, grants and tokens; modules are told.',
      example: `${PROGRAM} users end-sessions --email dr.lee@example.org`,
      async act({ user, context }) {
        const ended = await endAllSessions(await context.deps(), OPERATOR, user);
        return `Signed ${user.email} out everywhere: ${ended.sessions} ${ended.sessions === 1 ? 'session' : 'sessions'}, ${ended.grants} ${ended.grants === 1 ? 'grant' : 'grants'}, ${ended.modulesNotified} ${ended.modulesNotified === 1 ? 'module' : 'modules'} told`;
      },
    }),
    setFhirUserCommand,
  ],
};

function badOption(message: string): AppError {
  return appError('invalid_input', { message });
}
