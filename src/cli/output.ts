// Human-readable tables and script-friendly JSON for list commands.
import type { CliIo } from './command.js';

export type Row = Record<string, unknown>;

/** Prints rows as aligned columns (headers upper-cased), or `none` when there are none. */
export function printTable(io: CliIo, rows: Row[], columns: string[], emptyMessage = '(none)'): void {
  if (rows.length === 0) {
    io.out(emptyMessage);
    return;
  }
  const cells = rows.map((row) => columns.map((column) => cell(row[column])));
  const headers = columns.map((column) => column.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase());
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((line) => line[i]!.length)));
  const format = (line: string[]) => line.map((text, i) => (i === line.length - 1 ? text : text.padEnd(widths[i]!))).join('  ');
  io.out([format(headers), ...cells.map(format)].join('\n'));
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map(cell).join(' ');
  // One line per cell, and no terminal control sequences, whatever a stored name holds.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this strips
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

export function isoDate(date: Date | undefined | null): string | undefined {
  return date ? date.toISOString() : undefined;
}
