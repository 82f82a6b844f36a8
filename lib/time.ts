/**
 * UTC date and time helpers. threatlab never reads the machine's time zone: naive timestamps in
 * files are wall-clock times and are handled as UTC throughout, so results do not depend on `TZ`.
 */
import { invalidOption } from "./errors";

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?Z?$/;

/** Returns the days of a month (1–12) in a year of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Returns the epoch milliseconds of a UTC date and time given by its parts (month 1–12), or
 * `undefined` when they name no such moment: a year outside 1–9999, month 13, 30 February, hour
 * 24, minute or second 60 (a leap second, :60, is read as the next minute's :00). Unlike
 * `Date.UTC`, years 0–99 stay themselves (not 1900–1999) and nothing rolls over.
 * @example
 * utcFromParts(2025, 2, 30) // => undefined
 * utcFromParts(50, 1, 1) // => -60589296000000 (the year 50, not 1950)
 */
export function utcFromParts(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number | undefined {
  const whole = [year, month, day, hour, minute, second, ms].every(Number.isInteger);
  if (!whole || year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60 || ms > 999 || Math.min(hour, minute, second, ms) < 0) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.setUTCHours(hour, minute, second, ms);
}

/** The first and last millisecond threatlab reads a time in: the years 1 to 9999. */
export const FIRST_TIME = utcFromParts(1, 1, 1)!;
export const LAST_TIME = utcFromParts(9999, 12, 31, 23, 59, 59, 999)!;

/** Returns epoch milliseconds when they lie in the years 1 to 9999, else undefined. */
export function inTimeRange(ms: number): number | undefined {
  return Number.isFinite(ms) && ms >= FIRST_TIME && ms <= LAST_TIME ? ms : undefined;
}

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
  return +s === 60 ? undefined : utcFromParts(+y, +mo, +d, +h, +mi, +s, ms);
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

/**
 * Returns a checked IANA time zone name (e.g. "America/New_York", "UTC"), or throws an
 * OptionError naming `name`.
 */
export function checkTimeZone(name: string, zone: string): string {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    throw invalidOption(name, zone, "an IANA time zone such as UTC, Europe/Berlin or America/New_York");
  }
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Returns the offset of `zone` from UTC, in milliseconds, at the instant `utcMs`. */
export function zoneOffset(utcMs: number, zone: string): number {
  let format = zoneFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    zoneFormats.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(utcMs))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * Returns the UTC epoch milliseconds of a wall-clock time (given as if it were UTC) in `zone`.
 * @example
 * wallTimeToUtc(Date.UTC(2020, 9, 22, 4, 29, 53), "America/New_York") // => Date.UTC(2020, 9, 22, 8, 29, 53)
 */
export function wallTimeToUtc(wallMs: number, zone: string): number {
  if (zone === "UTC") return wallMs;
  let utc = wallMs - zoneOffset(wallMs, zone);
  // A second pass settles times near a daylight-saving change.
  utc = wallMs - zoneOffset(utc, zone);
  return utc;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Returns the 0-based month of a three-letter English month name, or -1. */
export function monthIndex(name: string): number {
  return MONTHS.indexOf(name);
}
