/**
 * CSV (RFC 4180) for exports opened in spreadsheets. Text cells that a spreadsheet would run as
 * a formula (starting with = + - @, or a tab or carriage return that hides one) get a leading
 * apostrophe, the OWASP remedy; numbers are written as numbers, so -3.5 stays a number.
 */
export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = FORMULA_START.test(value) ? "'" + value : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 has it. */
export const csvRow = (cells: readonly Cell[]) => cells.map(csvCell).join(",") + "\r\n";
