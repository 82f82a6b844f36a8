/**
 * Times as JSON logs write them: ISO-8601 text (with or without an offset) or epoch seconds.
 */
import { inTimeRange, utcFromParts, wallTimeToUtc } from "../../time";

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Returns epoch milliseconds for ISO-8601 text; text without an offset is wall-clock time in
 * `zone` (default UTC). Returns null for anything else.
 * @example
 * isoToUtc("2020-10-22T08:29:55.210Z") // => 1603355395210
 */
export function isoToUtc(value: unknown, zone = "UTC"): number | null {
  if (typeof value !== "string") return null;
  const m = ISO.exec(value.trim());
  if (!m) return null;
  const wall = utcFromParts(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], Math.floor(Number(`0.${m[7] ?? "0"}`) * 1000));
  if (wall === undefined) return null;
  const offset = m[8];
  if (offset === undefined) return wallTimeToUtc(wall, zone);
  if (offset === "Z") return wall;
  const sign = offset[0] === "-" ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  const [hours, minutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2) || "0")];
  if (hours > 23 || minutes > 59) return null;
  return wall - sign * (hours * 60 + minutes) * 60_000;
}

/** Returns epoch milliseconds for epoch seconds (a number or numeric text, fractions allowed), or null. */
export function epochSecondsToMs(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  return inTimeRange(Math.round(n * 1000)) ?? null;
}
