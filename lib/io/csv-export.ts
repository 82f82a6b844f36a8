/**
 * CSV for spreadsheets, safe against formula injection: log values are attacker-controlled, and a
 * cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by Excel
 * and LibreOffice — also after leading spaces (` =1+1`), and after a semicolon (`a;=1+1`), which a
 * spreadsheet set to a semicolon-separated locale splits into a new cell. Such cells get an
 * apostrophe before the formula (OWASP's advice), which shows the text as is.
 */

/** The start of a cell that spreadsheets would run as a formula, leading spaces allowed. */
export const FORMULA_PREFIX = "^[ ]*[=+\\-@\\t\\r]";
/** A formula after a semicolon (and spaces): the start of a cell where `;` separates cells. */
export const FORMULA_AFTER_SEMICOLON = ";([ ]*)([=+\\-@\\t\\r])";
/** Either: a cell with anything {@link FORMULA_PREFIX} or {@link FORMULA_AFTER_SEMICOLON} would change. */
export const FORMULA_ANYWHERE = "(^|;)[ ]*[=+\\-@\\t\\r]";

/**
 * Returns one CSV cell: formula prefixes neutralised, quoted when it holds a comma, a quote or a
 * line break. Numbers and booleans are written as they are.
 * @example
 * csvCell("=HYPERLINK(\"http://x\")") // => "\"'=HYPERLINK(\"\"http://x\"\")\""
 * csvCell(-5) // => "-5"
 * csvCell("a;=1+1") // => "a;'=1+1"
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  let text = typeof value === "string" ? value : JSON.stringify(value);
  if (new RegExp(FORMULA_PREFIX).test(text)) text = `'${text}`;
  text = text.replace(new RegExp(FORMULA_AFTER_SEMICOLON, "g"), ";$1'$2");
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Returns CSV text: a header line, then one line per row, CRLF line endings as RFC 4180 asks.
 * @example
 * toCsv(["user", "n"], [["=1+1", 2]]) // => "user,n\r\n'=1+1,2\r\n"
 */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [columns.map(csvCell), ...rows.map((r) => r.map(csvCell))].map((r) => r.join(",")).join("\r\n") + "\r\n";
}
