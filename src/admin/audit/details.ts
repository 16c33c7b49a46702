// An audit entry's details as lines a person reads, never cut-off JSON: `{ before: { mfaPolicy:
// 'risk' }, after: { mfaPolicy: 'always' } }` is "mfa policy: risk → always"; other keys are
// "label: value", nested objects by their path ("after › scope: practice"). Values are text; the
// page escapes them.
import { isAuditEvent } from '../../audit/events.js';
import { eventLabel, words } from './labels.js';

export interface DetailLine {
  label: string;
  value: string;
}

const MAX_LINES = 20;

export function detailLines(details: Record<string, unknown> | null | undefined): DetailLine[] {
  if (!details) return [];
  const lines: DetailLine[] = [];
  const { before, after, ...rest } = details;
  if (isRecord(before) || isRecord(after)) {
    const was = isRecord(before) ? before : {};
    const now = isRecord(after) ? after : {};
    for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
      lines.push({ label: words(key), value: `${valueText(was[key])} → ${valueText(now[key])}` });
    }
  } else {
    if (before !== undefined) lines.push({ label: 'before', value: valueText(before) });
    if (after !== undefined) lines.push({ label: 'after', value: valueText(after) });
  }
  flatten(rest, [], lines);
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), { label: 'and', value: `${lines.length - MAX_LINES} more (in the CSV export)` }] : lines;
}

function flatten(value: Record<string, unknown>, path: string[], lines: DetailLine[]): void {
  for (const [key, item] of Object.entries(value)) {
    if (isRecord(item) && Object.keys(item).length) flatten(item, [...path, words(key)], lines);
    // `change.requested` names the change by its event: said in words too.
    else if (key === 'change' && isAuditEvent(item)) lines.push({ label: 'change', value: eventLabel(item) });
    else lines.push({ label: [...path, words(key)].join(' › '), value: valueText(item) });
  }
}

function valueText(value: unknown): string {
  if (value === undefined || value === null || value === '') return '(none)';
  if (value === true) return 'yes';
  if (value === false) return 'no';
  if (Array.isArray(value)) return value.length ? value.map(valueText).join(', ') : '(none)';
  if (isRecord(value)) return Object.entries(value).map(([key, item]) => `${words(key)} ${valueText(item)}`).join(', ');
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
