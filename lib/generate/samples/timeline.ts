/**
 * What every bundled sample shares: a fixed period, working hours, and lines that are written
 * out in time order whatever order they were made in.
 */
import { DAY_MS, HOUR_MS } from "../../time";
import type { Rng } from "../../shared/rng";
import { integer, uniform } from "../draw";

/** Midnight UTC of the samples' first day: Monday 3 March 2025. */
export const SAMPLE_START = Date.UTC(2025, 2, 3);

/** The samples' year, for `--year` (syslog lines carry none). */
export const SAMPLE_YEAR = 2025;

/** One line of a log, with the time it is sorted by. */
export interface TimedLine {
  readonly t: number;
  readonly text: string;
}

/** Collects lines in any order and returns them sorted by time (ties in the order they were added). */
export class LineLog {
  private readonly lines: { t: number; text: string; order: number }[] = [];

  add(t: number, text: string): void {
    this.lines.push({ t, text, order: this.lines.length });
  }

  /** Returns the lines as file content, one per line, in time order. */
  toText(): string {
    return this.lines
      .sort((a, b) => a.t - b.t || a.order - b.order)
      .map((l) => `${l.text}\n`)
      .join("");
  }
}

/** Returns midnight UTC of sample day `day` (0-based). */
export function dayStart(day: number): number {
  return SAMPLE_START + day * DAY_MS;
}

/** Returns true for Saturdays and Sundays (day 0 is a Monday). */
export function isWeekend(day: number): boolean {
  return day % 7 >= 5;
}

/** Returns a whole-millisecond time within working hours (08:00–18:00 UTC) of `day`. */
export function workTime(rng: Rng, day: number): number {
  return Math.floor(dayStart(day) + uniform(rng, 8 * HOUR_MS, 18 * HOUR_MS));
}

/** Returns a client port, as an operating system would pick one. */
export function clientPort(rng: Rng): number {
  return integer(rng, 32768, 60999);
}
