/**
 * UTC date and time helpers. threatlab never reads the machine's time zone: naive timestamps in
 * files are wall-clock times and are handled as UTC throughout, so results do not depend on `TZ`.
 */
import { invalidOption } from "./errors";

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?Z?$/;

/**
 * Returns the epoch milliseconds of a `YYYY-MM-DD[ HH:MM[:SS[.fff]]]` text read as UTC, or
 * `undefined` when the text is not such a date or names an impossible one (month 13, 31 April).
 * @example
 * parseUtc("2025-01-31 13:00:00") // => 1738328400000
 */
export function parseUtc(text: string): number | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h = "0", mi = "0", s = "0", frac = ""] = m.slice(1);
  const ms = Math.floor(Number(`0.${frac || "0"}`) * 1000);
  const t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms);
  const back = new Date(t);
  const valid =
    back.getUTCFullYear() === +y && back.getUTCMonth() === +mo - 1 && back.getUTCDate() === +d &&
    +h < 24 && +mi < 60 && +s < 60;
  return valid ? t : undefined;
}

/**
 * Returns epoch milliseconds for a start option: a `Date`, a UTC date text, or epoch milliseconds.
 * Throws an `OptionError` naming `name` when the value is not a valid time.
 */
export function toEpochMs(name: string, value: Date | string | number): number {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === "number" ? value : parseUtc(value);
  if (ms === undefined || !Number.isFinite(ms)) {
    throw invalidOption(name, value instanceof Date ? "Invalid Date" : value, "a date such as 2025-01-01 or 2025-01-01 08:00:00 (UTC)");
  }
  return ms;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/**
 * Returns `YYYY-MM-DD HH:MM:SS` for epoch milliseconds, in UTC: the tutorial's timestamp text.
 * @example
 * formatUtc(1738328400000) // => "2025-01-31 13:00:00"
 */
export function formatUtc(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** Milliseconds in a minute, an hour and a day. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * Returns ISO-8601 UTC text for epoch milliseconds, without milliseconds when they are zero.
 * @example
 * isoUtc(1738328400000) // => "2025-01-31T13:00:00Z"
 */
export function isoUtc(ms: number): string {
  const text = new Date(ms).toISOString();
  return text.endsWith(".000Z") ? `${text.slice(0, -5)}Z` : text;
}
