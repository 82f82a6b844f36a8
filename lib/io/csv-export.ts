/**
 * CSV for spreadsheets, safe against formula injection: log values are attacker-controlled, and a
 * cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by Excel
 * and LibreOffice. Such cells get a leading apostrophe (OWASP's advice), which shows the text as is.
 */

/** The start of a cell that spreadsheets would run as a formula. */
export const FORMULA_PREFIX = "^[=+\\-@\\t\\r]";

/**
 * Returns one CSV cell: formula prefixes neutralised, quoted when it holds a comma, a quote or a
 * line break. Numbers and booleans are written as they are.
 * @example
 * csvCell("=HYPERLINK(\"http://x\")") // => "\"'=HYPERLINK(\"\"http://x\"\")\""
 * csvCell(-5) // => "-5"
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  let text = typeof value === "string" ? value : JSON.stringify(value);
  if (new RegExp(FORMULA_PREFIX).test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Returns CSV text: a header line, then one line per row, CRLF line endings as RFC 4180 asks. */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [columns.map(csvCell), ...rows.map((r) => r.map(csvCell))].map((r) => r.join(",")).join("\r\n") + "\r\n";
}
