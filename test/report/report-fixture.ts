/**
 * Events whose names were written by an attacker: HTML and script payloads and spreadsheet
 * formulas in user names and sources, each behind a brute force that makes them reach the alerts.
 */

/** A user name that would run script if a page inserted it as HTML. */
export const IMG_PAYLOAD = "<img src=x onerror=\"window.__pwned='img'\">";
/** A source that would close the page's script element and open another if embedded raw. */
export const SCRIPT_PAYLOAD = "</script><script>window.__pwned='script'</script>";
/** A source that a spreadsheet would run as a formula. */
export const FORMULA_SOURCE = '=HYPERLINK("http://evil.example/","click")';
/** A user name that a spreadsheet would run as a formula. */
export const FORMULA_USER = "@SUM(1+1)";

/**
 * Returns NDJSON events: 12 failures within 55 s from {@link SCRIPT_PAYLOAD} to {@link IMG_PAYLOAD}
 * starting 2025-03-03 10:00:00 UTC, 12 from {@link FORMULA_SOURCE} to {@link FORMULA_USER} an hour
 * later, and 6 ordinary events between them — 30 events from 10:00:00 to 11:00:55.
 */
export function hostileEvents(): string {
  const at = (h: number, s: number): string => `2025-03-03T${String(10 + h).padStart(2, "0")}:00:${String(s).padStart(2, "0")}Z`;
  const events = [
    ...Array.from({ length: 12 }, (_, k) => ({ timestamp: at(0, k * 5), log_type: "login_failed", user_id: IMG_PAYLOAD, ip_address: SCRIPT_PAYLOAD })),
    ...Array.from({ length: 6 }, (_, k) => ({ timestamp: at(0, 58 + Math.min(k, 1)), log_type: "file_access", user_id: "alice", ip_address: "10.0.0.5", bytes_out: 1000 })),
    ...Array.from({ length: 12 }, (_, k) => ({ timestamp: at(1, k * 5), log_type: "login_failed", user_id: FORMULA_USER, ip_address: FORMULA_SOURCE })),
  ];
  return events.map((e) => JSON.stringify(e)).join("\n") + "\n";
}
