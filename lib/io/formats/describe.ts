/**
 * The formats described for people: the README's formats table and `threatlab formats` are both
 * made here from the format list, so neither can drift from the code.
 */
import type { FormatInfo } from "./format";
import { FORMATS } from "./registry";

/** Returns text safe inside a Markdown table cell's code span. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/**
 * Returns the Markdown table of the formats: name, what it is, a one-line example, its clock.
 * @example
 * formatsMarkdown().split("\n")[0] // => "| `--format` | what | example | clock |"
 */
export function formatsMarkdown(formats: readonly FormatInfo[] = FORMATS): string {
  return [
    "| `--format` | what | example | clock |",
    "|---|---|---|---|",
    ...formats.map((f) => `| \`${f.name}\` | ${cell(f.title)} | \`${cell(f.example)}\` | ${cell(f.clock)} |`),
  ].join("\n");
}

/**
 * Returns the formats as text for a terminal: each name and what it is, then its example and clock.
 * @example
 * formatsText().split("\n")[0] // => "parquet  events in Parquet (what threatlab ingest, convert and scenario write)"
 */
export function formatsText(formats: readonly FormatInfo[] = FORMATS): string {
  const width = Math.max(...formats.map((f) => f.name.length));
  return formats
    .map((f) => [`${f.name.padEnd(width)}  ${f.title}`, `${" ".repeat(width)}  example: ${f.example}`, `${" ".repeat(width)}  clock:   ${f.clock}`].join("\n"))
    .join("\n\n");
}
