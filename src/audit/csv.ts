// CSV cells and rows (RFC 4180), safe to open in a spreadsheet: a cell that a spreadsheet would
// read as a formula (starting with = + - @, a tab or a carriage return) is prefixed with a single
// quote, so a user agent or name chosen by an attacker cannot run as a formula.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record with its CRLF line break. */
export function csvRow(cells: ReadonlyArray<string | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
