/**
 * One-line, human summaries of detections, per rule: what happened, how much, against what usual.
 */
import { type Detection, formatDuration } from "../detect/detection";

/** Returns bytes in decimal units: `"950 B"`, `"412 KB"`, `"3.2 GB"`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 || value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`;
}

const count = (n: number): string => Math.round(n).toLocaleString("en-US");

/** Returns "1 alert", "2,000 alerts": a count and its word, plural when not one. */
export const plural = (n: number, word: string): string => `${count(n)} ${word}${Math.round(n) === 1 ? "" : "s"}`;
/** Returns the first `n` items joined by commas, with "…" when there are more. */
const listSome = (items: readonly string[], n: number): string => items.slice(0, n).join(", ") + (items.length > n ? ", …" : "");
const ev = (d: Detection): Record<string, unknown> => d.evidence as Record<string, unknown>;
const span = (d: Detection): string => formatDuration(Math.max(d.end - d.start, 1000));
const upTo = (n: unknown): string => (Number(n) === 0 ? "0" : `0–${count(Number(n))}`);
/** Returns "1 password", "2 passwords" or "1–2 passwords" for a [min, max] pair. */
const range = (values: unknown, word: string): string => {
  const [lo, hi] = values as [number, number];
  return lo === hi ? plural(lo, word) : `${lo}–${hi} ${word}s`;
};

type Summarize = (d: Detection) => string;

const SUMMARIES: Record<string, Summarize> = {
  brute_force: (d) =>
    `${d.entity.value} failed ${count(Number(ev(d).failures))} logins to ${ev(d).account} in ${ev(d).duration}` +
    ` (threshold ${d.expected} in ${d.window.replace(" sliding", "")})${ev(d).succeeded ? `, then logged in successfully at ${ev(d).success_at}` : ""}`,
  password_spray: (d) =>
    `${d.entity.value} tried ${count(Number(ev(d).accounts))} accounts with ${range(ev(d).attempts_per_account, "password")} each in ${ev(d).duration};` +
    ` this source's usual is ${upTo(ev(d).usual_accounts)} accounts`,
  credential_stuffing: (d) =>
    `Logins failed for ${count(Number(ev(d).accounts))} accounts from ${count(Number(ev(d).sources))} sources in ${ev(d).duration}` +
    ` (${ev(d).attempts_per_second} attempts/s); the usual is ${upTo(ev(d).usual_accounts)} accounts` +
    `${(ev(d).successful_logins as string[]).length > 0 ? `; ${(ev(d).successful_logins as string[]).length} succeeded` : ""}`,
  distributed_spray: (d) =>
    `${d.entity.value} had failed logins from ${count(Number(ev(d).sources))} different sources in ${ev(d).duration}` +
    ` (${count(Number(ev(d).failures))} failures); its usual is ${upTo(ev(d).usual_sources)} sources a day`,
  bytes_baseline: (d) =>
    `${d.entity.value} sent ${formatBytes(d.observed)} in one hour${ev(d).usual_bytes === null ? " with no history" : `, ${count(Number(ev(d).ratio))}× their usual ${formatBytes(Number(ev(d).usual_bytes))}`}`,
  volume_exfiltration: (d) =>
    `${d.entity.value} sent ${formatBytes(d.observed)} in ${plural(Number(ev(d).transfers), "transfer")} in a day` +
    `${ev(d).usual_bytes === null ? " with no history" : `, ${count(Number(ev(d).ratio))}× their usual ${formatBytes(Number(ev(d).usual_bytes))}`}`,
  off_hours: (d) =>
    `${d.entity.value} was active for ${span(d)} (${count(d.eventCount)} events) ${ev(d).hours_outside} h outside their usual hours ${ev(d).usual_hours} UTC`,
  unusual_location: (d) =>
    `${d.entity.value} was used from ${ev(d).new} for the first time (known: ${(ev(d).known as string[]).join(", ") || "none"}), from ${ev(d).source_ip}`,
  impossible_travel: (d) =>
    `${d.entity.value} was in ${ev(d).from} then ${ev(d).to} ${formatDuration(Math.max(d.end - d.start, 1000))} later: ${count(Number(ev(d).distance_km))} km at ${count(Number(ev(d).speed_kmh))} km/h`,
  recon: (d) =>
    `${d.entity.value} made ${count(Number(ev(d).events))} system calls and file reads in ${ev(d).duration} (${count(d.observed)}/min); their busiest minute is usually ${ev(d).usual_per_minute}`,
  large_upload: (d) =>
    `${d.entity.value} sent ${formatBytes(d.observed)} to ${ev(d).destination}${ev(d).port === null ? "" : `:${ev(d).port}`}` +
    `${ev(d).service ? ` (${ev(d).service})` : ""} in one transfer: ${ev(d).why}`,
  kerberoasting: (d) =>
    `${d.entity.value} requested RC4-encrypted service tickets for ${plural(d.observed, "service")} in ${formatDuration(Math.max(d.end - d.start, 1))}: ${listSome(ev(d).services as string[], 5)}`,
  isolation_forest: (d) => `${d.entity.value}: unusual hour (score ${d.observed}): ${(ev(d).unusual as string[]).join("; ")}`,
  percentile: (d) => `${d.entity.value} moved ${formatBytes(d.observed)} in one event, above the tutorial's threshold of ${formatBytes(d.expected)}`,
};

/**
 * Returns a one-line summary of a detection, e.g. "203.0.113.7 tried 31 accounts with 1–2
 * passwords each in 9 min; this source's usual is 0–1 accounts".
 */
export function summarizeDetection(d: Detection): string {
  const summarize = SUMMARIES[d.rule];
  return summarize ? summarize(d) : `${d.entity.value}: ${d.observed} ${d.measure} (expected ${d.expected}) over ${d.window}`;
}
