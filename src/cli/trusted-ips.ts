// trusted-ips add | list | remove: addresses and CIDR ranges (IPv4, IPv6) from which sign-ins count
// as the practice's normal pattern and, unless the practice turned it off, skip the code. Adding and
// removing are src/commands/trusted-ips.ts, as on the admin page /admin/ip-access.
import { addTrustedIp, OPERATOR, removeTrustedIp } from '../commands/index.js';
import { AppError, NotFoundError } from '../errors.js';
import { createTrustedIps } from '../mfa/trusted-ips.js';
import { JSON_OPTION, PROGRAM, type CommandGroup } from './command.js';
import type { CliContext } from './context.js';
import { practiceById, userByEmail } from './operator.js';
import { isoDate, printJson, printTable } from './output.js';

const PRACTICE = { type: 'string', value: 'ID', required: true, description: 'practice id (see "practices list")' } as const;
const service = (context: CliContext) => createTrustedIps({ models: context.models, now: Date.now, production: context.config.production });

function parseExpiry(value: unknown): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) {
    throw new AppError('bad expiry', { status: 400, code: 'invalid_input', userMessage: `--expires must be a date or date-time, e.g. 2030-06-30 or 2030-06-30T18:00:00Z.` });
  }
  return date;
}

export const trustedIps: CommandGroup = {
  name: 'trusted-ips',
  summary: "Trusted IP addresses and ranges of a practice (everyone) or of one user.",
  commands: [
    {
      name: 'add',
      summary: 'Trust an address or CIDR range for the whole practice, or for one user with --email.',
      options: {
        practice: PRACTICE,
        ip: { type: 'string', value: 'IP[/PREFIX]', required: true, description: 'e.g. 203.0.113.7, 203.0.113.0/24, 2001:db8:1::/48' },
        email: { type: 'string', value: 'EMAIL', description: "trust it for this user only (default: the whole practice)" },
        description: { type: 'string', value: 'TEXT', description: 'what it is, e.g. "Front desk"' },
        expires: { type: 'string', value: 'DATE', description: 'stop trusting it after this date-time (ISO 8601)' },
        json: { ...JSON_OPTION, description: 'print the entry as JSON' },
      },
      example: `${PROGRAM} trusted-ips add --practice 665f1c2e9b1e8a0012345678 --ip 203.0.113.0/24 --description "Main office"`,
      async run({ values, context, io }) {
        const practice = await practiceById(context, values.practice);
        const user = values.email === undefined ? undefined : await userByEmail(context, values);
        if (user && !user.practiceId.equals(practice._id)) {
          throw new AppError('user of another practice', { status: 400, code: 'invalid_input', userMessage: `${user.email} is not a user of this practice.` });
        }
        const expiresAt = parseExpiry(values.expires);
        const { entry, scope } = await addTrustedIp(await context.deps(), OPERATOR, practice._id, {
          entry: String(values.ip),
          ...(user ? { userId: user._id } : {}),
          ...(values.description !== undefined ? { description: String(values.description) } : {}),
          ...(expiresAt ? { expiresAt } : {}),
        });
        const view = { id: String(entry._id), entry: entry.entry, scope, description: entry.description, expires: isoDate(entry.expiresAt) };
        if (values.json) return printJson(io, view);
        io.out(`Trusted ${view.entry} for ${user ? user.email : `practice "${practice.name}"`} (id ${view.id})`);
      },
    },
    {
      name: 'list',
      summary: "List a practice's trusted IPs (all, or one user's with --email); expired ones are marked.",
      options: {
        practice: PRACTICE,
        email: { type: 'string', value: 'EMAIL', description: "only this user's entries" },
        json: JSON_OPTION,
      },
      example: `${PROGRAM} trusted-ips list --practice 665f1c2e9b1e8a0012345678`,
      async run({ values, context, io }) {
        const practice = await practiceById(context, values.practice);
        const user = values.email === undefined ? undefined : await userByEmail(context, values);
        const rows = await service(context).list({ practiceId: practice._id, ...(user ? { userId: user._id } : {}) });
        const ownerIds = rows.flatMap((row) => (row.userId ? [row.userId] : []));
        const owners = new Map((await context.models.User.find({ _id: { $in: ownerIds } }, { email: 1 }).lean())
          .map((owner) => [String(owner._id), owner.email]));
        const now = Date.now();
        const view = rows.map((row) => ({
          id: String(row._id),
          entry: row.entry,
          scope: row.userId ? owners.get(String(row.userId)) ?? 'unknown user' : 'practice',
          description: row.description,
          expires: isoDate(row.expiresAt),
          expired: row.expiresAt ? row.expiresAt.getTime() <= now : false,
        }));
        if (values.json) return printJson(io, view);
        printTable(io, view, ['id', 'entry', 'scope', 'description', 'expires', 'expired'], 'No trusted IPs.');
      },
    },
    {
      name: 'remove',
      summary: 'Stop trusting an entry (its id from "trusted-ips list").',
      options: { practice: PRACTICE, id: { type: 'string', value: 'ID', required: true, description: 'the entry id' } },
      example: `${PROGRAM} trusted-ips remove --practice 665f1c2e9b1e8a0012345678 --id 6660aa...`,
      async run({ values, context, io }) {
        const practice = await practiceById(context, values.practice);
        const removed = await removeTrustedIp(await context.deps(), OPERATOR, practice._id, String(values.id)).catch((err: unknown) => {
          throw err instanceof NotFoundError ? new AppError('no such entry', { status: 404, code: 'trusted_ip_not_found', userMessage: `No trusted IP with id ${String(values.id)} in this practice.` }) : err;
        });
        io.out(`Removed ${removed.entry}`);
      },
    },
  ],
};
