/**
 * One-line, human summaries of detections: each rule writes its own (its module's `summarize`).
 */
import type { Detection } from "../detect/detection";
import { RULES } from "../detect/suite";

export { formatBytes, plural } from "../detect/words";

/**
 * Returns a one-line summary of a detection, e.g. "203.0.113.7 tried 31 accounts with 1–2
 * passwords each in 9 min; this source's usual is 0–1 accounts".
 * @example
 * summarizeDetection(runDetectors(events).detections[0])
 * // => "103.193.244.234 failed 132 logins to user_9 in 8 min (threshold 10 in 5 min), then logged in successfully at …"
 */
export function summarizeDetection(d: Detection): string {
  const rule = (RULES as Record<string, (typeof RULES)[keyof typeof RULES] | undefined>)[d.rule];
  return rule ? rule.summarize(d) : `${d.entity.value}: ${d.observed} ${d.measure} (expected ${d.expected}) over ${d.window}`;
}
