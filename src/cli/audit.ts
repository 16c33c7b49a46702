// audit verify | export: check the hash chain of the audit log; export a practice's entries as CSV.
// Both are audited themselves (audit.verified, audit.exported) with the actor `cli`.
import { AppError } from '../errors.js';
import { createAuditLog } from '../audit/record.js';
import { exportAuditCsv } from '../audit/export.js';
import { verifyChain, type BrokenReason } from '../audit/verify.js';
import { JSON_OPTION, PROGRAM, UsageError, commandHelp, type Command, type CommandGroup, type Values } from './command.js';
import type { CliContext } from './context.js';
import { printJson } from './output.js';

const CLI_ACTOR = { sub: 'cli', role: 'operator' };

const EXPLAIN: Record<BrokenReason, string> = {
  hash_mismatch: 'the entry was changed after it was written',
  prev_hash_mismatch: 'the entry before it was changed, replaced or removed',
  missing_seq: 'the entry is missing (deleted)',
};

const auditLogOf = (context: CliContext) => createAuditLog({ models: context.models, now: Date.now });

const verify: Command = {
  name: 'verify',
  summary: 'Check the audit log hash chain; exit 1 naming the first broken entry.',
  details: 'Keep the printed last hash somewhere else: a later run can then also show that the newest\nentries were not removed.',
  options: { json: { ...JSON_OPTION, description: 'print the report as JSON' } },
  example: `${PROGRAM} audit verify`,
  async run({ values, context, io }) {
    const report = await verifyChain({ models: context.models });
    await auditLogOf(context).record({
      event: 'audit.verified',
      outcome: report.ok ? 'success' : 'failure',
      actor: CLI_ACTOR,
      details: report.ok ? { count: report.count } : { count: report.count, firstBroken: report.firstBroken },
    });
    if (values.json) printJson(io, report);
    if (!report.ok) {
      const { seq, reason } = report.firstBroken;
      const message = `Audit log chain broken at entry seq ${seq}: ${reason} (${EXPLAIN[reason]}); ${report.count} entries before it are intact.`;
      throw new AppError(message, { status: 409, code: 'audit_chain_broken', userMessage: message });
    }
    if (!values.json) io.out(`Audit log intact: ${report.count} entries verified.${report.lastHash ? `\nLast hash: ${report.lastHash}` : ''}`);
  },
};

const exportCsv: Command = {
  name: 'export',
  summary: "Write a practice's audit entries as CSV to stdout, newest first.",
  details: 'Times are UTC. --from is inclusive, --to exclusive; a date alone means 00:00 UTC.',
  options: {
    practice: { type: 'string', value: 'ID', required: true, description: 'practice id (see "practices list")' },
    from: { type: 'string', value: 'ISO', description: 'earliest time, e.g. 2030-01-01 or 2030-01-01T08:00:00Z' },
    to: { type: 'string', value: 'ISO', description: 'end time (exclusive)' },
  },
  example: `${PROGRAM} audit export --practice 665f1c2e8b3f4a0012345678 --from 2030-01-01 > audit.csv`,
  async run({ values, context, io }) {
    const practiceId = String(values.practice);
    const from = isoOption(values, 'from');
    const to = isoOption(values, 'to');
    if (!/^[0-9a-f]{24}$/i.test(practiceId) || !(await context.models.Practice.exists({ _id: practiceId }))) {
      throw new AppError('no such practice', { status: 404, code: 'practice_not_found', userMessage: `No practice with id ${practiceId}.` });
    }
    const rows = await exportAuditCsv({ models: context.models, auditLog: auditLogOf(context) }, {
      practiceId, ...(from ? { from } : {}), ...(to ? { to } : {}),
    }, { actor: CLI_ACTOR });
    // Each row ends in CRLF; io.out adds the LF itself.
    for await (const row of rows) io.out(row.slice(0, -1));
  },
};

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function isoOption(values: Values, name: string): Date | undefined {
  const value = values[name];
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  if (!ISO.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--${name} must be an ISO date or time with a zone, e.g. 2030-01-01 or 2030-01-01T08:00:00Z`, commandHelp(audit, exportCsv));
  }
  return date;
}

export const audit: CommandGroup = {
  name: 'audit',
  summary: 'The tamper-evident audit log: verify its hash chain, export entries as CSV.',
  commands: [verify, exportCsv],
};
