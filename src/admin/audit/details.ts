// An audit entry's details as lines a person reads (the keys in the reader's words where
// locales/<lang>/audit.json names them), never cut-off JSON: `{ before: { mfaPolicy:
// 'risk' }, after: { mfaPolicy: 'always' } }` is "mfa policy: risk → always"; other keys are
// "label: value", nested objects by their path ("after › scope: practice"). Values are text; the
// page escapes them.
import { isAuditEvent } from '../../audit/events.js';
import { eventLabel, words } from './labels.js';
import { hasText } from '../../i18n/translator.js';
import { t } from '../../i18n/request.js';

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
      lines.push({ label: fieldLabel(key), value: `${valueText(was[key])} → ${valueText(now[key])}` });
    }
  } else {
    if (before !== undefined) lines.push({ label: t('audit:details.before'), value: valueText(before) });
    if (after !== undefined) lines.push({ label: t('audit:details.after'), value: valueText(after) });
  }
  flatten(rest, [], lines);
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), { label: t('audit:details.and'), value: t('audit:details.more', { count: lines.length - MAX_LINES }) }] : lines;
}

function flatten(value: Record<string, unknown>, path: string[], lines: DetailLine[]): void {
  for (const [key, item] of Object.entries(value)) {
    if (isRecord(item) && Object.keys(item).length) flatten(item, [...path, fieldLabel(key)], lines);
    // `change.requested` names the change by its event: said in words too.
    else if (key === 'change' && isAuditEvent(item)) lines.push({ label: t('audit:details.change'), value: eventLabel(item) });
    else lines.push({ label: [...path, fieldLabel(key)].join(' › '), value: valueText(item) });
  }
}

function valueText(value: unknown): string {
  if (value === undefined || value === null || value === '') return t('audit:details.none');
  if (value === true) return t('audit:details.yes');
  if (value === false) return t('audit:details.no');
  if (Array.isArray(value)) return value.length ? value.map(valueText).join(', ') : t('audit:details.none');
  if (isRecord(value)) return Object.entries(value).map(([key, item]) => `${fieldLabel(key)} ${valueText(item)}`).join(', ');
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A details key in the reader's words (audit.json `fields.<key>`), else the key read as words. */
function fieldLabel(key: string): string {
  return /^\w+$/.test(key) && hasText(`audit:fields.${key}`) ? t(`audit:fields.${key}`) : words(key);
}
