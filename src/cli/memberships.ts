// memberships list | invite | resend | cancel | deactivate | activate | set-default: a person's place
// in each practice (docs/memberships.md). The same commands as the admin pages (src/commands/),
// with the operator as actor: `invite` answers alike whether or not the email had an identity.
import { createMemberships } from '../accounts/memberships.js';
import { cancelInvitation, inviteMember, OPERATOR, resendInvitation } from '../commands/index.js';
import { USER_ROLES, type UserRole } from '../store/models/user.js';
import { JSON_OPTION, PROGRAM, type CommandGroup, type Values } from './command.js';
import type { CliContext } from './context.js';
import { setMemberActiveCommand } from './member-active.js';
import { EMAIL, practiceById, userByEmail } from './operator.js';
import { isoDate, printJson, printTable } from './output.js';

const PRACTICE = { type: 'string', value: 'ID', required: true, description: 'practice id (see "practices list")' } as const;

const target = async (context: CliContext, values: Values) => ({ practice: await practiceById(context, values.practice), user: await userByEmail(context, values) });

export const memberships: CommandGroup = {
  name: 'memberships',
  summary: 'A person\'s place in each practice: invite, list, deactivate per practice, default practice.',
  commands: [
    {
      name: 'list',
      summary: 'List the practices of a person (role, status, default).',
      options: { email: EMAIL, json: JSON_OPTION },
      example: `${PROGRAM} memberships list --email dr.lee@example.org`,
      async run({ values, context, io }) {
        const user = await userByEmail(context, values);
        const rows = await createMemberships(context).listMemberships(user._id);
        const names = new Map((await context.models.Practice.find({ _id: { $in: rows.map((row) => row.practiceId) } }, { name: 1 }).lean()).map((p) => [String(p._id), p.name]));
        const view = rows.map((row) => ({
          practiceId: String(row.practiceId), practice: names.get(String(row.practiceId)) ?? '', role: row.role, status: row.status,
          default: String(user.defaultPracticeId ?? '') === String(row.practiceId), since: isoDate(row.createdAt),
        }));
        if (values.json) return printJson(io, view);
        printTable(io, view, ['practiceId', 'practice', 'role', 'status', 'default', 'since'], 'No memberships.');
      },
    },
    {
      name: 'invite',
      summary: 'Invite a person to a practice: an emailed link to join (or, for a new address, to choose a password).',
      details: 'The answer is the same whether or not the address already has an account.',
      options: {
        practice: PRACTICE,
        email: EMAIL,
        name: { type: 'string', value: 'NAME', required: true, description: 'full name, as the practice knows them' },
        role: { type: 'string', value: 'ROLE', required: true, choices: USER_ROLES, description: `one of ${USER_ROLES.join(' | ')}` },
      },
      example: `${PROGRAM} memberships invite --practice 665f1c2e9b1e8a0012345678 --email dr.lee@example.org --name "Dana Lee" --role clinician`,
      async run({ values, context, io }) {
        const practice = await practiceById(context, values.practice);
        const { mailed } = await inviteMember(await context.deps(), OPERATOR, practice._id, { email: String(values.email), name: String(values.name), role: values.role as UserRole });
        io.out(`Invited ${String(values.email).trim().toLowerCase()} to ${practice.name}${mailed ? '' : '; the email could not be sent: use "memberships resend"'}`);
      },
    },
    {
      name: 'resend',
      summary: 'Send an invitation again (the earlier link stops working).',
      options: { practice: PRACTICE, email: EMAIL },
      example: `${PROGRAM} memberships resend --practice 665f1c2e9b1e8a0012345678 --email dr.lee@example.org`,
      async run({ values, context, io }) {
        const { practice, user } = await target(context, values);
        const { mailed } = await resendInvitation(await context.deps(), OPERATOR, practice._id, user._id);
        io.out(mailed ? `Invitation sent again to ${user.email}` : 'The email could not be sent; try again later');
      },
    },
    {
      name: 'cancel',
      summary: 'Cancel an invitation (the invited membership is removed).',
      options: { practice: PRACTICE, email: EMAIL },
      example: `${PROGRAM} memberships cancel --practice 665f1c2e9b1e8a0012345678 --email dr.lee@example.org`,
      async run({ values, context, io }) {
        const { practice, user } = await target(context, values);
        await cancelInvitation(await context.deps(), OPERATOR, practice._id, user._id);
        io.out(`Cancelled the invitation of ${user.email} to ${practice.name}`);
      },
    },
    {
      name: 'deactivate',
      summary: 'Stop a person\'s access to ONE practice; ends the sign-ins that entered it (their other practices stay).',
      options: { practice: PRACTICE, email: EMAIL },
      example: `${PROGRAM} memberships deactivate --practice 665f1c2e9b1e8a0012345678 --email dr.lee@example.org`,
      run: setMemberActiveCommand(false),
    },
    {
      name: 'activate',
      summary: 'Give a deactivated membership its access back.',
      options: { practice: PRACTICE, email: EMAIL },
      example: `${PROGRAM} memberships activate --practice 665f1c2e9b1e8a0012345678 --email dr.lee@example.org`,
      run: setMemberActiveCommand(true),
    },
    {
      name: 'set-default',
      summary: 'The practice a sign-in offers first when the app names none (one of the person\'s active ones).',
      options: { email: EMAIL, practice: { type: 'string', value: 'ID', description: 'practice id; leave out to ask each time' } },
      example: `${PROGRAM} memberships set-default --email dr.lee@example.org --practice 665f1c2e9b1e8a0012345678`,
      async run({ values, context, io }) {
        const user = await userByEmail(context, values);
        const practice = values.practice === undefined ? null : await practiceById(context, values.practice);
        await createMemberships(context).setDefaultPractice(user._id, practice?._id ?? null);
        io.out(practice ? `Default practice of ${user.email}: ${practice.name}` : `${user.email} is asked each time`);
      },
    },
  ],
};
