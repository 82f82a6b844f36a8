/**
 * Times as JSON logs write them: ISO-8601 text (with or without an offset) or epoch seconds.
 */
import { wallTimeToUtc } from "../../time";

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
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], Math.floor(Number(`0.${m[7] ?? "0"}`) * 1000));
  if (Number.isNaN(wall)) return null;
  const offset = m[8];
  if (offset === undefined) return wallTimeToUtc(wall, zone);
  if (offset === "Z") return wall;
  const sign = offset[0] === "-" ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  return wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0")) * 60_000;
}

/** Returns epoch milliseconds for epoch seconds (a number or numeric text, fractions allowed), or null. */
export function epochSecondsToMs(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? Math.round(n * 1000) : null;
}
