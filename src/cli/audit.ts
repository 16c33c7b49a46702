// audit verify | export | archive | checkpoint: check the keyed chain (against published
// checkpoints, or an archive file on its own); export a practice's entries as CSV; move old entries
// to an archive file; print a checkpoint of the chain's head. A verify that finds a break writes
// nothing: a break is reported, never extended.
import { readFileSync } from 'node:fs';
import { AppError } from '../errors.js';
import { archiveEntries, verifyArchive } from '../audit/archive.js';
import { checkCheckpoint, checkpointsIn, signCheckpoint, type Checkpoint } from '../audit/checkpoint.js';
import { exportAuditCsv } from '../audit/export.js';
import type { AuditKeys } from '../audit/keys.js';
import { BROKEN_REASON_TEXT, verifyChain, type ChainReport } from '../audit/verify.js';
import { JSON_OPTION, PROGRAM, UsageError, commandHelp, type Command, type CommandGroup, type Values } from './command.js';
import { CLI_ACTOR, cliAudit } from './operator.js';
import { printJson } from './output.js';

const verify: Command = {
  name: 'verify',
  summary: 'Check the audit log chain (and published checkpoints); exit 1 naming the first broken entry.',
  details: [
    'Each entry is keyed with the audit key (AUDIT_KEY): an entry changed, added or removed in the',
    'database breaks the chain. Removing the newest entries leaves a shorter chain that links: give',
    'the checkpoints the provider published (--checkpoint, a JSON checkpoint or a file of them, e.g.',
    'the log) to show the chain still reaches them. --archive checks an archive file on its own.',
    'An intact chain is recorded (audit.verified); a broken one is reported and nothing is written.',
  ].join('\n'),
  options: {
    checkpoint: { type: 'string', value: 'JSON|FILE', multiple: true, description: 'a checkpoint, or a file holding checkpoints (JSON lines or the JSON log)' },
    archive: { type: 'string', value: 'FILE', description: 'verify this archive file instead of the live chain' },
    json: { ...JSON_OPTION, description: 'print the report as JSON' },
  },
  example: `${PROGRAM} audit verify --checkpoint /var/log/idp/audit-checkpoints.jsonl`,
  async run({ values, context, io }) {
    const keys = cliAudit(context).keys;
    const checkpoints = readCheckpoints(values, keys);
    if (typeof values.archive === 'string') {
      const { header, report, problem } = await verifyArchive(values.archive, keys, checkpoints);
      if (values.json) printJson(io, { header, report, ...(problem ? { problem } : {}) });
      if (!report.ok) throw brokenError(report, problem ? `Archive ${values.archive}: ${problem}` : `Archive ${values.archive}`);
      if (!values.json) io.out(`Archive intact: entries ${header!.firstSeq}..${header!.throughSeq} (${report.count}) verified.\nLast hash: ${header!.lastHash}`);
      return;
    }
    const report = await verifyChain({ models: context.models, keys }, { checkpoints });
    if (values.json) printJson(io, report);
    if (!report.ok) throw brokenError(report, 'Audit log chain');
    await cliAudit(context).record({
      event: 'audit.verified', outcome: 'success', actor: CLI_ACTOR,
      details: { count: report.count, lastSeq: report.lastSeq, lastHash: report.lastHash, checkpoints: report.checkpoints },
    });
    if (values.json) return;
    const lines = [`Audit log intact: ${report.count} entries verified${report.firstSeq && report.firstSeq > 1 ? ` (from seq ${report.firstSeq}; older ones are archived)` : ''}.`];
    if (report.lastHash) lines.push(`Last hash: ${report.lastHash} (seq ${report.lastSeq})`);
    if (report.unkeyed) lines.push(`${report.unkeyed} entries from before the chain was keyed (plain SHA-256 links).`);
    if (checkpoints.length) lines.push(`Checkpoints reached: ${report.checkpoints} of ${checkpoints.length}${report.checkpoints < checkpoints.length ? ' (the others are older than the live chain: check them with --archive)' : ''}.`);
    io.out(lines.join('\n'));
  },
};

function brokenError(report: Extract<ChainReport, { ok: false }>, what: string): AppError {
  const { seq, reason } = report.firstBroken;
  const message = `${what} broken at entry seq ${seq}: ${reason} (${BROKEN_REASON_TEXT[reason]}); ${report.count} entries before it are intact.`;
  return new AppError(message, { status: 409, code: 'audit_chain_broken', userMessage: message });
}

/** Every --checkpoint (inline JSON or a file), each checked against the keys: one bad checkpoint is an error. */
function readCheckpoints(values: Values, keys: AuditKeys): Checkpoint[] {
  const given = Array.isArray(values.checkpoint) ? values.checkpoint : [];
  const found: Checkpoint[] = [];
  for (const source of given) {
    let text: string;
    try {
      text = source.trim().startsWith('{') ? source : readFileSync(source, 'utf8');
    } catch {
      throw new UsageError(`--checkpoint ${source}: not JSON and not a readable file`, commandHelp(audit, verify));
    }
    const candidates = checkpointsIn(text);
    if (candidates.length === 0) throw new UsageError(`--checkpoint ${source}: holds no audit checkpoint`, commandHelp(audit, verify));
    for (const candidate of candidates) {
      const checked = checkCheckpoint(candidate, keys);
      if (!checked.ok) throw new AppError(`bad checkpoint in ${source}`, { status: 400, code: 'bad_checkpoint', userMessage: `A checkpoint in ${source} is not valid: ${checked.problem}.` });
      found.push(checked.checkpoint);
    }
  }
  return found;
}

const checkpoint: Command = {
  name: 'checkpoint',
  summary: "Verify the chain, then print a checkpoint of its newest entry (keep it outside the database).",
  options: {},
  example: `${PROGRAM} audit checkpoint >> /secure/audit-checkpoints.jsonl`,
  async run({ context, io }) {
    const keys = cliAudit(context).keys;
    const report = await verifyChain({ models: context.models, keys });
    if (!report.ok) throw brokenError(report, 'Audit log chain');
    if (!report.lastSeq || !report.lastHash) throw new AppError('empty audit log', { status: 409, code: 'audit_empty', userMessage: 'The audit log is empty: there is nothing to checkpoint.' });
    io.out(JSON.stringify(signCheckpoint({ seq: report.lastSeq, hash: report.lastHash }, new Date(), keys)));
  },
};

const archive: Command = {
  name: 'archive',
  summary: 'Move entries written before a date to an archive file that verifies on its own.',
  details: [
    'The live chain must verify first. The file (JSON lines, a keyed header then the entries) is',
    'written and synced, an audit.archived entry records its range and last hash, then the entries',
    'leave the database; the remaining chain verifies from the archive\'s last hash. Keep the file',
    'where the database insider cannot reach it; check it with "audit verify --archive FILE".',
  ].join('\n'),
  options: {
    before: { type: 'string', value: 'ISO', required: true, description: 'archive entries written before this time, e.g. 2030-01-01' },
    out: { type: 'string', value: 'FILE', required: true, description: 'the archive file to create (must not exist)' },
  },
  example: `${PROGRAM} audit archive --before 2030-01-01 --out /archive/audit-2029.jsonl`,
  async run({ values, context, io }) {
    const before = isoOption(values, 'before', archive)!;
    const auditLog = cliAudit(context);
    let result;
    try {
      result = await archiveEntries({ models: context.models, auditLog, now: Date.now }, before, String(values.out), { actor: CLI_ACTOR });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new AppError('archive exists', { status: 409, code: 'archive_exists', userMessage: `${String(values.out)} (or its .partial) already exists: choose another file.` });
      throw err;
    }
    if (!result.archived) return io.out(`No entries before ${before.toISOString()}: nothing archived.`);
    io.out(`Archived ${result.count} entries (seq ${result.firstSeq}..${result.throughSeq}) to ${String(values.out)}.\nLast hash: ${result.lastHash}\nFile SHA-256: ${result.sha256}`);
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
    const from = isoOption(values, 'from', exportCsv);
    const to = isoOption(values, 'to', exportCsv);
    if (!/^[0-9a-f]{24}$/i.test(practiceId) || !(await context.models.Practice.exists({ _id: practiceId }))) {
      throw new AppError('no such practice', { status: 404, code: 'practice_not_found', userMessage: `No practice with id ${practiceId}.` });
    }
    const rows = await exportAuditCsv({ models: context.models, auditLog: cliAudit(context) }, {
      practiceId, ...(from ? { from } : {}), ...(to ? { to } : {}),
    }, { actor: CLI_ACTOR });
    // Each row ends in CRLF; io.out adds the LF itself.
    for await (const row of rows) io.out(row.slice(0, -1));
  },
};

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function isoOption(values: Values, name: string, command: Command): Date | undefined {
  const value = values[name];
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  if (!ISO.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--${name} must be an ISO date or time with a zone, e.g. 2030-01-01 or 2030-01-01T08:00:00Z`, commandHelp(audit, command));
  }
  return date;
}

export const audit: CommandGroup = {
  name: 'audit',
  summary: 'The tamper-evident audit log: verify its keyed chain, export entries as CSV, archive, checkpoint.',
  commands: [verify, exportCsv, archive, checkpoint],
};
