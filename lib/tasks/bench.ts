/**
 * `npm run bench`: measurements that tests must not make (tests do not time things). Writes
 * `bench/results.json` and prints a table. Cases:
 * - detection: the detector suite on the default scenario (~1M events) for three seeds — time per
 *   rule, the evaluation targets, peak memory.
 */
import { cpus } from "node:os";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { evaluateDetectors, type Evaluation } from "../evaluate/evaluate-detectors";
import { generateScenario } from "../generate/scenario";
import { writeAtomic } from "../io/atomic-write";
import { projectRoot } from "../notebook/paths";

/** The detection benchmark's result for one seed. */
export interface DetectionBenchmark {
  readonly seed: number;
  readonly events: number;
  readonly generate_seconds: number;
  readonly detect_seconds: number;
  readonly rule_seconds: Evaluation["rule_seconds"];
  readonly peak_rss_mb: number;
  readonly alerts: number;
  readonly alert_precision: number | null;
  readonly campaign_recall: number | null;
  readonly event_precision: number | null;
  readonly event_recall: number | null;
  readonly tutorial_alert_precision: number | null;
  readonly targets: Evaluation["targets"];
}

const SEEDS = [42, 7, 2025];

/** Runs the detection benchmark for one seed. */
export function benchDetection(seed: number): DetectionBenchmark {
  const started = performance.now();
  const { events } = generateScenario({ seed });
  const generated = performance.now();
  const e = evaluateDetectors(events);
  return {
    seed,
    events: e.events,
    generate_seconds: Number(((generated - started) / 1000).toFixed(2)),
    detect_seconds: e.detect_seconds,
    rule_seconds: e.rule_seconds,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    alerts: e.ensemble.alerts,
    alert_precision: e.ensemble.alert_precision,
    campaign_recall: e.ensemble.campaign_recall,
    event_precision: e.ensemble.event_precision,
    event_recall: e.ensemble.event_recall,
    tutorial_alert_precision: e.tutorial.percentile_rule.alert_precision,
    targets: e.targets,
  };
}

function main(): number {
  const machine = { node: process.versions.node, cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown", platform: process.platform };
  console.log(`threatlab benchmark on ${machine.cpus} × ${machine.cpu}, Node ${machine.node}`);
  console.log("\nDetection: the whole suite on the default scenario (30 days, 200 users)");
  console.log(`  ${"seed".padStart(5)}  ${"events".padStart(9)}  detect s  alerts  alert-P  campaign-R  event-P  event-R  tutorial alert-P  targets`);
  const detection = SEEDS.map((seed) => {
    const r = benchDetection(seed);
    const met = r.targets.filter((t) => t.met === true).length;
    const failed = r.targets.filter((t) => t.met === false).map((t) => `${t.name} = ${t.actual}`);
    console.log(
      `  ${String(seed).padStart(5)}  ${r.events.toLocaleString("en-US").padStart(9)}  ${r.detect_seconds.toFixed(2).padStart(8)}  ${String(r.alerts).padStart(6)}` +
        `     ${r.alert_precision?.toFixed(3)}       ${r.campaign_recall?.toFixed(3)}    ${r.event_precision?.toFixed(3)}    ${r.event_recall?.toFixed(3)}             ${r.tutorial_alert_precision?.toFixed(3)}  ${met}/${r.targets.length} met${failed.length ? ` (missed: ${failed.join("; ")})` : ""}`,
    );
    return r;
  });
  const path = join(projectRoot(), "bench", "results.json");
  const results = { date: new Date().toISOString(), machine, detection };
  writeAtomic(path, (tmp) => writeFileSync(tmp, `${JSON.stringify(results, null, 2)}\n`));
  console.log(`\nWrote ${path}`);
  return detection.every((r) => r.targets.every((t) => t.met !== false)) ? 0 : 1;
}

if (require.main === module) process.exitCode = main();
