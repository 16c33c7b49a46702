// practices create | list | security: the tenants users belong to, each with its MFA policy.
import { MFA_POLICIES, type MfaPolicy } from '../store/models/practice.js';
import { JSON_OPTION, PROGRAM, type CommandGroup } from './command.js';
import { isoDate, printJson, printTable } from './output.js';
import { practiceLogo } from './practice-logo.js';
import { practiceSecurity } from './practice-security.js';
import { passwordlessCommand, phishingResistantCommand } from './passkey-policy.js';

export const practices: CommandGroup = {
  name: 'practices',
  summary: 'Practices (tenants), their MFA policy, security settings and logo.',
  commands: [
    {
      name: 'create',
      summary: 'Create a practice and print its id.',
      options: {
        name: { type: 'string', value: 'NAME', required: true, description: 'the practice name' },
        'mfa-policy': {
          type: 'string', value: 'POLICY', choices: MFA_POLICIES,
          description: 'when a one-time code is asked: off | risk | always (default risk)',
        },
        json: { ...JSON_OPTION, description: 'print the created practice as JSON' },
      },
      example: `${PROGRAM} practices create --name "Riverside Family Medicine" --mfa-policy always`,
      async run({ values, context, io }) {
        const practice = await context.accounts.createPractice({
          name: String(values.name),
          ...(values['mfa-policy'] ? { mfaPolicy: values['mfa-policy'] as MfaPolicy } : {}),
        });
        const view = { id: practice._id.toString(), name: practice.name, mfaPolicy: practice.mfaPolicy };
        if (values.json) return printJson(io, view);
        io.out(`Created practice ${view.id} "${view.name}" (MFA policy: ${view.mfaPolicy})`);
      },
    },
    {
      name: 'list',
      summary: 'List practices with their id, MFA policy and number of users.',
      options: { json: JSON_OPTION },
      example: `${PROGRAM} practices list --json`,
      async run({ values, context, io }) {
        const [rows, counts] = await Promise.all([
          context.models.Practice.find().sort({ createdAt: 1 }).lean(),
          context.models.Membership.aggregate<{ _id: unknown; users: number }>([{ $group: { _id: '$practiceId', users: { $sum: 1 } } }]),
        ]);
        const users = new Map(counts.map((count) => [String(count._id), count.users]));
        const view = rows.map((practice) => ({
          id: practice._id.toString(),
          name: practice.name,
          mfaPolicy: practice.mfaPolicy,
          users: users.get(practice._id.toString()) ?? 0,
          created: isoDate(practice.createdAt),
        }));
        if (values.json) return printJson(io, view);
        printTable(io, view, ['id', 'name', 'mfaPolicy', 'users', 'created'], 'No practices yet.');
      },
    },
    practiceSecurity,
    passwordlessCommand,
    phishingResistantCommand,
    practiceLogo,
  ],
};
