/**
 * `npm run bench`: measurements that tests must not make (tests do not time things). Writes
 * `bench/results.json` and prints a table. Cases:
 * - detection: the detector suite on the default scenario (~1M events) for three seeds — time per
 *   rule, the evaluation targets, peak memory; the robustness grid (16 settings); the labelled real
 *   captures (Stratosphere 008 and 010, where the real samples are present); scenarios of growing size;
 * - scaling: N rows generated to Parquet in pieces, then analysed in streaming mode (1M to 100M);
 *   labelled scenarios of 1M to 100M events written in pieces, then detected in streaming mode;
 * - redteam: defence in depth measured — per goal, the adaptive attacker's frontier against the
 *   suite and against the tutorial's rule (as a ratio), and the false alerts per 1,000 users a day
 *   on the same background at the same settings (seed 1, 16 rounds).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { evaluateDetectors, type Evaluation } from "../evaluate/evaluate-detectors";
import { evaluateGrid, formatGrid, type GridResult } from "../evaluate/grid";
import { evaluateLabelledSources, type LabelledSourcesScore } from "../evaluate/labelled-sources";
import { ingestLogs } from "../io/ingest";
import { generateScenario } from "../generate/scenario";
import { writeAtomic } from "../io/atomic-write";
import { projectRoot } from "../shared/paths";
import { findPandasPython } from "./python";
import { median } from "../shared/robust";
import { formatRedTeam, frontierRows, redTeam, type RedTeamResult } from "../evaluate/redteam";

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

/** One timed run of a whole process: wall-clock seconds and peak resident memory. */
export interface Measurement {
  readonly seconds: number;
  /** Peak resident set size of the process, in MB (undefined where it cannot be measured). */
  readonly peak_rss_mb?: number;
}

/** A case measured several times: the median time, the largest peak memory. */
export interface Measured {
  readonly runs: number;
  readonly median_seconds: number;
  readonly peak_rss_mb?: number;
}

const MEASURE = join(projectRoot(), "bench", "measure.py");

/**
 * Runs a command `runs` times, each through bench/measure.py (wall clock and the child's peak RSS,
 * read from the kernel), and returns the median time and the peak memory. Throws with the command's
 * last stderr line when it fails.
 */
export function measure(command: readonly string[], runs: number, python = "python3"): Measured & { stdout?: string; stderr?: string } {
  const times: number[] = [];
  let peak = 0;
  let stdout: string | undefined;
  let stderr: string | undefined;
  for (let i = 0; i < runs; i++) {
    const run = spawnSync(python, [MEASURE, ...command], { encoding: "utf8", cwd: projectRoot(), maxBuffer: 1 << 20 });
    let result: { seconds: number; peak_rss_mb: number; status: number; stderr: string; stdout?: string };
    try {
      result = JSON.parse(run.stdout);
    } catch {
      throw new Error(`could not measure ${command.join(" ")}: ${run.stderr.trim().split("\n").pop() ?? run.error?.message}`);
    }
    if (result.status !== 0) throw new Error(`${command.join(" ")} failed (exit ${result.status}): ${result.stderr}`);
    times.push(result.seconds);
    peak = Math.max(peak, result.peak_rss_mb);
    stdout = result.stdout;
    stderr = result.stderr;
  }
  return { runs, median_seconds: Number(median(times).toFixed(3)), peak_rss_mb: peak, ...(stdout === undefined ? {} : { stdout }), ...(stderr ? { stderr } : {}) };
}

/** One size of the generation or analysis benchmark. */
export interface SizeResult {
  readonly rows: number;
  readonly threatlab: Measured;
  /** The tutorial's pandas code; absent where pandas is missing or the size was skipped. */
  readonly pandas?: Measured;
  readonly pandas_skipped?: string;
  /** The bare nodejs-polars script (analysis only). */
  readonly polars_floor?: Measured;
  /** pandas' median time ÷ threatlab's. */
  readonly speedup_vs_pandas?: number;
  /** threatlab's median time ÷ the floor's (analysis only). */
  readonly ratio_to_floor?: number;
}

const ratio = (a: number, b: number): number => Number((a / b).toFixed(2));
const node = process.execPath;
const CLI = join(projectRoot(), "bin", "threatlab.js");

/** Options of the size benchmarks. */
export interface SizeBenchOptions {
  readonly sizes: readonly number[];
  readonly runs: number;
  /** Rows above which the pandas generator (a Python loop: minutes at 10M) is skipped. */
  readonly slowPandasAbove: number;
  /** The Python with pandas, or undefined: the pandas baselines are then skipped. */
  readonly python?: string;
  readonly dir: string;
}

/** Runs the runs of one size fewer times when the size is large: one run above 5M rows. */
const runsFor = (rows: number, runs: number): number => (rows > 5_000_000 ? 1 : runs);

/** Generation: threatlab's CLI writing N rows to CSV against the tutorial's create_sample_logs + to_csv. */
export function benchGeneration(options: SizeBenchOptions): SizeResult[] {
  return options.sizes.map((rows) => {
    const runs = runsFor(rows, options.runs);
    const out = join(options.dir, `generated-${rows}.csv`);
    const threatlab = measure([node, CLI, "generate", "--rows", String(rows), "--seed", "1", "--out", out], runs);
    let pandas: Measured | undefined;
    let pandas_skipped: string | undefined;
    if (!options.python) pandas_skipped = "python3 with pandas not found";
    else if (rows > options.slowPandasAbove) pandas_skipped = `skipped above ${options.slowPandasAbove.toLocaleString("en-US")} rows (a Python loop: minutes); --with-slow runs it`;
    else pandas = measure([options.python, join(projectRoot(), "bench", "tutorial_generate.py"), String(rows), join(options.dir, `pandas-${rows}.csv`)], runs);
    return { rows, threatlab, pandas, pandas_skipped, speedup_vs_pandas: pandas ? ratio(pandas.median_seconds, threatlab.median_seconds) : undefined };
  });
}

/**
 * Tutorial analysis on a CSV of N rows (written by threatlab's generator): `threatlab analyze
 * --json` (the whole process) against the tutorial's pandas steps 3, 4 and 6 with the printed
 * alert blocks, and against the bare nodejs-polars floor.
 */
export function benchAnalysis(options: SizeBenchOptions): SizeResult[] {
  return options.sizes.map((rows) => {
    const runs = runsFor(rows, options.runs);
    const file = join(options.dir, `analysis-${rows}.csv`);
    measure([node, CLI, "generate", "--rows", String(rows), "--seed", "1", "--out", file], 1);
    const threatlab = measure([node, CLI, "analyze", file, "--json"], runs);
    const polars_floor = measure([node, join(projectRoot(), "bench", "polars_floor.js"), file], runs);
    const pandas = options.python ? measure([options.python, join(projectRoot(), "bench", "tutorial_pandas.py"), file], runs) : undefined;
    return {
      rows,
      threatlab,
      pandas,
      pandas_skipped: options.python ? undefined : "python3 with pandas not found",
      polars_floor,
      speedup_vs_pandas: pandas ? ratio(pandas.median_seconds, threatlab.median_seconds) : undefined,
      ratio_to_floor: ratio(threatlab.median_seconds, polars_floor.median_seconds),
    };
  });
}

/**
 * How fast this machine is at the work the ratios compare, measured on a fixed file before
 * anything else: the bare polars floor and the tutorial's pandas on the CSV of `threatlab generate
 * --rows 1000000 --seed 1`. polars is slow on some machines where pandas is not (page faults,
 * system time), so a ratio means little without the calibration it was measured at.
 */
export interface Calibration {
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
  readonly polars_floor: Measured;
  readonly pandas?: Measured;
  readonly pandas_skipped?: string;
}

/** Measures the {@link Calibration}. */
export function benchCalibration(runs: number, dir: string, python?: string): Calibration {
  const rows = 1_000_000;
  const file = join(dir, "calibration.csv");
  measure([node, CLI, "generate", "--rows", String(rows), "--seed", "1", "--out", file], 1);
  const polars_floor = measure([node, join(projectRoot(), "bench", "polars_floor.js"), file], runs);
  const pandas = python ? measure([python, join(projectRoot(), "bench", "tutorial_pandas.py"), file], runs) : undefined;
  return { file: `threatlab generate --rows ${rows} --seed 1 (CSV)`, rows, bytes: statSync(file).size, polars_floor, pandas, ...(python ? {} : { pandas_skipped: "python3 with pandas not found" }) };
}

/** One line saying what a calibration measured. */
export function formatCalibration(c: Calibration): string {
  return `Calibration on ${c.file}, ${(c.bytes / 1e6).toFixed(1)} MB: bare polars floor ${c.polars_floor.median_seconds.toFixed(2)} s, tutorial pandas ${c.pandas ? `${c.pandas.median_seconds.toFixed(2)} s` : `not measured (${c.pandas_skipped})`}`;
}

/** One size of the Parquet scaling benchmark: writing N rows, then analysing them streamed. */
export interface ScaleResult {
  readonly rows: number;
  /** `threatlab generate --out N.parquet`, in pieces. */
  readonly generate: Measured;
  /** `threatlab analyze N.parquet --json`, in streaming mode. */
  readonly analyze: Measured;
  /** Seconds per million rows of the analysis: flat when cost grows linearly. */
  readonly analyze_seconds_per_million: number;
}

/** Parquet at growing sizes: generation in pieces and streaming analysis, time and peak memory. */
export function benchScaling(sizes: readonly number[], runs: number, dir: string): ScaleResult[] {
  return sizes.map((rows) => {
    const file = join(dir, `scale-${rows}.parquet`);
    const generate = measure([node, CLI, "generate", "--rows", String(rows), "--seed", "1", "--out", file], 1);
    const analyze = measure([node, CLI, "analyze", file, "--json"], runsFor(rows, runs));
    rmSync(file, { force: true });
    return { rows, generate, analyze, analyze_seconds_per_million: Number((analyze.median_seconds / (rows / 1e6)).toFixed(3)) };
  });
}

/** One size of the detection scaling benchmark: a scenario of U users, the whole suite, in its own process. */
export interface DetectionScaleResult {
  readonly users: number;
  readonly events: number;
  readonly generate_seconds: number;
  readonly detect_seconds: number;
  readonly detections: number;
  /** Peak memory of the whole process (scenario and suite). */
  readonly peak_rss_mb?: number;
}

/** The detector suite on scenarios of growing size (about 5,500 events per user), one process each. */
export function benchDetectionScaling(users: readonly number[]): DetectionScaleResult[] {
  return users.map((u) => {
    const m = measure(["--keep-stdout", node, "--max-old-space-size=16384", join(projectRoot(), "dist", "tasks", "bench-detect.js"), String(u)], 1);
    return { ...(JSON.parse(m.stdout ?? "{}") as Omit<DetectionScaleResult, "peak_rss_mb">), peak_rss_mb: m.peak_rss_mb };
  });
}

/** One size of the streaming detection benchmark: a labelled scenario written in pieces, then detected streamed. */
export interface StreamingDetectionResult {
  readonly users: number;
  readonly pieces: number;
  readonly events: number;
  /** `threatlab scenario --users U --pieces P --out N.parquet`. */
  readonly generate: Measured;
  /** `threatlab detect N.parquet --streaming --jsonl`, whole process. */
  readonly detect: Measured;
  readonly detections: number;
  readonly alerts: number;
  /** Seconds per million events of the detection: flat when cost grows linearly. */
  readonly detect_seconds_per_million: number;
}

/** A size of the streaming detection benchmark: `USERSxPIECES`, e.g. `2000x10` (about 106M events). */
export interface ScenarioSize {
  readonly users: number;
  readonly pieces: number;
}

/**
 * The detector suite in streaming mode on scenarios of growing size, each written to Parquet in
 * pieces by the CLI and detected by the CLI, one process each: time, peak memory, what it found.
 */
export function benchStreamingDetection(sizes: readonly ScenarioSize[], dir: string): StreamingDetectionResult[] {
  return sizes.map(({ users, pieces }) => {
    const file = join(dir, `scenario-${users}x${pieces}.parquet`);
    const generate = measure([node, CLI, "scenario", "--users", String(users), "--pieces", String(pieces), "--out", file], 1);
    const detect = measure([node, CLI, "detect", file, "--streaming", "--jsonl"], 1);
    rmSync(file, { force: true });
    // "12 alerts from 345 detections by 12 rules on 1,116,558 events in 4.1 s; skipped: …"
    const said = /^([\d,]+) alerts? from ([\d,]+) detections? by .* on ([\d,]+) events? in /.exec(detect.stderr ?? "");
    if (!said) throw new Error(`threatlab detect did not report its alerts: ${detect.stderr}`);
    const [alerts, detections, events] = said.slice(1).map((n) => Number(n.replaceAll(",", "")));
    const { stderr: _generated, ...generated } = generate;
    const { stderr: _detected, ...detected } = detect;
    return { users, pieces, events, generate: generated, detect: detected, detections, alerts, detect_seconds_per_million: Number((detect.median_seconds / (events / 1e6)).toFixed(3)) };
  });
}

/** A target of issue 6, checked on this run's figures. */
export interface BenchTarget {
  readonly name: string;
  readonly target: string;
  readonly actual: number | null;
  readonly met: boolean | null;
}

/** What the bench keeps of the adaptive attacker's games: per goal the two frontiers and their ratio, and each layer's noise. */
export interface RedTeamBenchmark {
  readonly seconds: number;
  readonly goals: { readonly goal: string; readonly unit: string; readonly tutorial_per_day: number; readonly suite_per_day: number; readonly suite_vs_tutorial: number | "Infinity" | null; readonly suite_rounds: number }[];
  readonly false_alerts_per_thousand_user_days: Record<string, number>;
}

/** Returns the bench's record of a red-team result. */
export function redTeamBenchmark(result: RedTeamResult, seconds: number): RedTeamBenchmark {
  return {
    seconds: Number(seconds.toFixed(1)),
    goals: frontierRows(result).map((r) => ({
      goal: r.goal,
      unit: r.unit,
      tutorial_per_day: r.perDay["tutorial rule"],
      suite_per_day: r.perDay.suite,
      suite_vs_tutorial: r.suiteVsTutorial === Infinity ? "Infinity" : r.suiteVsTutorial === null ? null : Number(r.suiteVsTutorial.toFixed(1)),
      suite_rounds: r.rounds.suite,
    })),
    false_alerts_per_thousand_user_days: Object.fromEntries(result.noise.map((n) => [n.layer, Number(n.perThousandUserDays.toFixed(2))])),
  };
}

/**
 * Returns the targets of defence in depth: per goal, the suite's frontier at least 100× below the
 * tutorial rule's (met at once when nothing got through the suite), and the suite's false alerts at
 * most 1 per 1,000 users a day.
 */
export function redTeamTargets(bench: RedTeamBenchmark): BenchTarget[] {
  const targets: BenchTarget[] = bench.goals.map((g) => {
    const ratio = g.suite_vs_tutorial === "Infinity" ? null : g.suite_vs_tutorial;
    const met = g.suite_vs_tutorial === "Infinity" ? true : ratio === null ? null : ratio >= 100;
    return { name: `redteam ${g.goal}: ${g.unit} a day unseen, tutorial's rule ÷ suite${g.suite_vs_tutorial === "Infinity" ? " (nothing got through the suite)" : ""}`, target: "≥ 100", actual: ratio, met };
  });
  const noise = bench.false_alerts_per_thousand_user_days.suite;
  targets.push({ name: "redteam: the suite's false alerts per 1,000 users a day on the background", target: "≤ 1", actual: noise ?? null, met: noise === undefined ? null : noise <= 1 });
  return targets;
}

/** Returns the speed targets, judged on the 1M-row figures and the detection runs. */
export function benchTargets(
  generation: readonly SizeResult[],
  analysis: readonly SizeResult[],
  detection: readonly DetectionBenchmark[],
  scaling: readonly ScaleResult[] = [],
  streamingDetection: readonly StreamingDetectionResult[] = [],
): BenchTarget[] {
  const at1M = (results: readonly SizeResult[]) => results.find((r) => r.rows === 1_000_000);
  const judge = (name: string, target: string, actual: number | undefined, met: (x: number) => boolean): BenchTarget => ({
    name,
    target,
    actual: actual ?? null,
    met: actual === undefined ? null : met(actual),
  });
  const slowest = detection.length ? Math.max(...detection.map((d) => d.detect_seconds)) : undefined;
  const hundredMillion = scaling.find((r) => r.rows === 100_000_000);
  const hundredMillionEvents = streamingDetection.find((r) => r.events >= 100_000_000);
  const gb = (m?: Measured): number | undefined => (m?.peak_rss_mb === undefined ? undefined : Number((m.peak_rss_mb / 1024).toFixed(2)));
  return [
    judge("tutorial analysis, 1M rows: speed-up over pandas", "≥ 12×", at1M(analysis)?.speedup_vs_pandas, (x) => x >= 12),
    judge("tutorial analysis, 1M rows: time ÷ bare polars floor", "≤ 1.2×", at1M(analysis)?.ratio_to_floor, (x) => x <= 1.2),
    judge("generation, 1M rows to CSV: speed-up over the tutorial's generator", "≥ 10×", at1M(generation)?.speedup_vs_pandas, (x) => x >= 10),
    judge("detection suite, ~1.1M events: slowest of the seeds, seconds", "< 10 s", slowest, (x) => x < 10),
    judge("100M rows from Parquet, streaming analysis: peak memory, GB", "< 6 GB", gb(hundredMillion?.analyze), (x) => x < 6),
    judge("100M+ events from Parquet, detection suite in streaming mode: peak memory, GB", "< 6 GB", gb(hundredMillionEvents?.detect), (x) => x < 6),
  ];
}

const seconds = (m?: Measured): string => (m ? `${m.median_seconds.toFixed(2)} s`.padStart(9) : "        —");
const memory = (m?: Measured): string => (m?.peak_rss_mb !== undefined ? `${m.peak_rss_mb} MB`.padStart(8) : "       —");
const times = (x?: number): string => (x === undefined ? "     —" : `${x.toFixed(2)}×`.padStart(6));

/** Prints one size table. */
function printSizes(title: string, results: readonly SizeResult[], floor: boolean): void {
  console.log(`\n${title}`);
  console.log(`  ${"rows".padStart(11)}  threatlab   memory     pandas   memory${floor ? "   polars floor   memory" : ""}  vs pandas${floor ? "  vs floor" : ""}`);
  for (const r of results) {
    console.log(
      `  ${r.rows.toLocaleString("en-US").padStart(11)}  ${seconds(r.threatlab)} ${memory(r.threatlab)}  ${seconds(r.pandas)} ${memory(r.pandas)}` +
        `${floor ? `      ${seconds(r.polars_floor)} ${memory(r.polars_floor)}` : ""}     ${times(r.speedup_vs_pandas)}${floor ? `    ${times(r.ratio_to_floor)}` : ""}` +
        `${r.pandas_skipped ? `  (pandas: ${r.pandas_skipped})` : ""}`,
    );
  }
}

/** Parses `npm run bench -- [--sizes N,N] [--runs N] [--only a,b] [--with-slow]`. */
export function parseBenchArgs(args: readonly string[]): {
  sizes: number[];
  scaleSizes: number[];
  detectUsers: number[];
  streamDetect: ScenarioSize[];
  runs: number;
  only: Set<string>;
  withSlow: boolean;
} {
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const sizes = (value("--sizes") ?? "100000,1000000,10000000").split(",").map(Number);
  const scaleSizes = (value("--scale-sizes") ?? "1000000,10000000,100000000").split(",").map(Number);
  const detectUsers = (value("--detect-users") ?? "20,200,2000").split(",").map(Number);
  const streamDetect = (value("--stream-detect") ?? "200x1,2000x1,2000x10").split(",").map((size) => {
    const m = /^(\d+)x(\d+)$/.exec(size);
    if (!m || Number(m[1]) < 2 || Number(m[2]) < 1) throw new Error(`--stream-detect takes USERSxPIECES sizes separated by commas, e.g. 2000x10, got ${value("--stream-detect")}`);
    return { users: Number(m[1]), pieces: Number(m[2]) };
  });
  const runs = Number(value("--runs") ?? 3);
  const only = new Set((value("--only") ?? "generation,analysis,detection,scaling,redteam").split(","));
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1)) throw new Error(`--sizes takes whole numbers of rows separated by commas, got ${value("--sizes")}`);
  if (scaleSizes.some((n) => !Number.isSafeInteger(n) || n < 1)) throw new Error(`--scale-sizes takes whole numbers of rows separated by commas, got ${value("--scale-sizes")}`);
  if (detectUsers.some((n) => !Number.isSafeInteger(n) || n < 2)) throw new Error(`--detect-users takes whole numbers ≥ 2 separated by commas, got ${value("--detect-users")}`);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number ≥ 1, got ${value("--runs")}`);
  return { sizes, scaleSizes, detectUsers, streamDetect, runs, only, withSlow: args.includes("--with-slow") };
}

async function main(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseBenchArgs>;
  try {
    parsed = parseBenchArgs(args);
  } catch (error) {
    console.error(`threatlab bench: ${(error as Error).message}`);
    return 2;
  }
  const machine = { node: process.versions.node, cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown", platform: process.platform, total_memory_gb: Math.round(totalmem() / 2 ** 30) };
  console.log(`threatlab benchmark on ${machine.cpus} × ${machine.cpu}, ${machine.total_memory_gb} GB, Node ${machine.node}`);
  const python = findPandasPython();
  if (python) console.log(`pandas baselines with ${python}`);
  else console.log("python3 with pandas and numpy was not found: the pandas baselines are skipped (Debian: apt-get install python3-pandas)");
  const dir = mkdtempSync(join(tmpdir(), "threatlab-bench-"));
  const sizeOptions: SizeBenchOptions = { sizes: parsed.sizes, runs: parsed.runs, slowPandasAbove: parsed.withSlow ? Infinity : 1_000_000, python, dir };
  try {
    const calibration = benchCalibration(parsed.runs, dir, python);
    console.log(formatCalibration(calibration));
    let generation: SizeResult[] = [];
    let analysis: SizeResult[] = [];
    let detection: DetectionBenchmark[] = [];
    if (parsed.only.has("generation")) {
      generation = benchGeneration(sizeOptions);
      printSizes(`Generation: N rows to CSV, whole process (median of ${parsed.runs}; one run above 5M rows)`, generation, false);
    }
    if (parsed.only.has("analysis")) {
      analysis = benchAnalysis(sizeOptions);
      printSizes(`Tutorial analysis: threatlab analyze --json against the tutorial's pandas and bare polars, whole process (median of ${parsed.runs}; one run above 5M rows)`, analysis, true);
    }
    let detectionScaling: DetectionScaleResult[] = [];
    let grid: GridResult[] = [];
    let labelled: LabelledCapture[] = [];
    if (parsed.only.has("detection")) {
      detection = printDetection();
      console.log("\nRobustness grid: the suite on 16 generated populations (users × habits × days × attacks), seed 42");
      grid = evaluateGrid();
      console.log(formatGrid(grid).replace(/^/gm, "  "));
      labelled = await printLabelledCaptures();
      detectionScaling = benchDetectionScaling(parsed.detectUsers);
      console.log("\nDetection scaling: the whole suite on scenarios of growing size, one process each (scenario included in memory)");
      console.log(`  ${"users".padStart(6)}  ${"events".padStart(11)}  generate s  detect s  detections   memory`);
      for (const r of detectionScaling) {
        console.log(`  ${String(r.users).padStart(6)}  ${r.events.toLocaleString("en-US").padStart(11)}  ${r.generate_seconds.toFixed(2).padStart(10)}  ${r.detect_seconds.toFixed(2).padStart(8)}  ${String(r.detections).padStart(10)}  ${`${r.peak_rss_mb} MB`.padStart(8)}`);
      }
    }
    let scaling: ScaleResult[] = [];
    let streamingDetection: StreamingDetectionResult[] = [];
    if (parsed.only.has("scaling")) {
      scaling = benchScaling(parsed.scaleSizes, parsed.runs, dir);
      console.log("\nScaling: Parquet written in pieces, then analysed in streaming mode (whole process)");
      console.log(`  ${"rows".padStart(13)}   generate   memory    analyze   memory   analyze s per 1M rows`);
      for (const r of scaling) {
        console.log(`  ${r.rows.toLocaleString("en-US").padStart(13)}  ${seconds(r.generate)} ${memory(r.generate)}  ${seconds(r.analyze)} ${memory(r.analyze)}   ${r.analyze_seconds_per_million.toFixed(3).padStart(8)}`);
      }
      streamingDetection = benchStreamingDetection(parsed.streamDetect, dir);
      console.log("\nStreaming detection: labelled scenarios written to Parquet in pieces, then threatlab detect --streaming (whole process)");
      console.log(`  ${"users×pieces".padStart(12)}  ${"events".padStart(13)}   generate   memory     detect   memory   detect s per 1M   detections  alerts`);
      for (const r of streamingDetection) {
        console.log(
          `  ${`${r.users}×${r.pieces}`.padStart(12)}  ${r.events.toLocaleString("en-US").padStart(13)}  ${seconds(r.generate)} ${memory(r.generate)}  ${seconds(r.detect)} ${memory(r.detect)}` +
            `   ${r.detect_seconds_per_million.toFixed(3).padStart(15)}   ${String(r.detections).padStart(10)}  ${String(r.alerts).padStart(6)}`,
        );
      }
    }
    let redteam: RedTeamBenchmark | undefined;
    if (parsed.only.has("redteam")) {
      console.log("\nRed team: the adaptive attacker against every layer (seed 1, 16 rounds per goal and layer)");
      const started = performance.now();
      const result = redTeam({ seed: 1, rounds: 16 });
      redteam = redTeamBenchmark(result, (performance.now() - started) / 1000);
      console.log(formatRedTeam(result).replace(/^/gm, "  "));
    }
    const targets = benchTargets(generation, analysis, detection, scaling, streamingDetection);
    if (redteam) targets.push(...redTeamTargets(redteam));
    if (grid.length > 0) {
      const met = grid.filter((r) => (r.alert_precision ?? 1) >= 0.9 && r.campaign_recall === 1).length;
      targets.push({ name: "robustness grid: settings (of 16) with alert precision ≥ 0.9 and campaign recall 1.0", target: `= ${grid.length}`, actual: met, met: met === grid.length });
    }
    for (const c of labelled) {
      targets.push({ name: `${c.capture}: share of the labelled attackers found`, target: "≥ 0.8", actual: c.recall, met: c.recall !== null && c.recall >= 0.8 });
      targets.push({ name: `${c.capture}: share of alerts on labelled attackers`, target: "≥ 0.9", actual: c.precision, met: c.precision !== null && c.precision >= 0.9 });
    }
    console.log("\nTargets");
    for (const t of targets) console.log(`  ${t.met === null ? "·" : t.met ? "✓" : "✗"} ${t.name}: ${t.actual ?? "not measured"} (target ${t.target})`);
    const path = join(projectRoot(), "bench", "results.json");
    const ran = { generation, analysis, detection, detection_scaling: detectionScaling, robustness_grid: grid, labelled_captures: labelled, scaling, streaming_detection: streamingDetection, redteam };
    const results = keepSectionsNotRun(path, parsed.only, { date: new Date().toISOString(), machine, calibration, runs: parsed.runs, ...ran, targets });
    writeAtomic(path, (tmp) => writeFileSync(tmp, `${JSON.stringify(results, null, 2)}\n`));
    console.log(`\nWrote ${path}`);
    return targets.every((t) => t.met !== false) ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sections of results.json each `--only` case writes. */
const SECTIONS: Record<string, readonly string[]> = {
  generation: ["generation"],
  analysis: ["analysis"],
  detection: ["detection", "detection_scaling", "robustness_grid", "labelled_captures"],
  scaling: ["scaling", "streaming_detection"],
  redteam: ["redteam"],
};

/**
 * Returns the results to write: those of this run, with the sections of the cases `--only` left
 * out taken from the results file as it was (so a partial run does not erase the others; each
 * section's own date is not kept, the file's `date` is this run's). Targets this run did not
 * measure keep their earlier values.
 */
export function keepSectionsNotRun(path: string, only: ReadonlySet<string>, results: Record<string, unknown> & { targets: BenchTarget[] }): Record<string, unknown> {
  if (!existsSync(path)) return results;
  let before: Record<string, unknown>;
  try {
    before = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch {
    return results;
  }
  const out: Record<string, unknown> = { ...results };
  const kept: string[] = [];
  for (const [caseName, sections] of Object.entries(SECTIONS)) {
    if (only.has(caseName)) continue;
    for (const section of sections) {
      if (before[section] !== undefined) out[section] = before[section];
      else delete out[section];
    }
    kept.push(caseName);
  }
  // A target this run could not measure (its case was not run) keeps its earlier measurement.
  const measured = results.targets.filter((t) => t.actual !== null || t.met !== null);
  const names = new Set(measured.map((t) => t.name));
  const oldTargets = Array.isArray(before.targets) ? (before.targets as BenchTarget[]).filter((t) => !names.has(t.name) && !(only.has("redteam") && t.name.startsWith("redteam"))) : [];
  out.targets = [...measured, ...oldTargets];
  if (kept.length > 0) {
    out.kept_from_earlier_run = kept;
    // Each kept case was measured at the calibration of the run that measured it, not this one's.
    const keptBefore = Array.isArray(before.kept_from_earlier_run) ? (before.kept_from_earlier_run as string[]) : [];
    const calibrationBefore = (before.kept_calibration ?? {}) as Record<string, unknown>;
    out.kept_calibration = Object.fromEntries(kept.map((c) => [c, (keptBefore.includes(c) ? calibrationBefore[c] : before.calibration) ?? "not recorded"]));
  }
  return out;
}

/** A labelled real capture scored by source (labels hidden from the detectors). */
export interface LabelledCapture extends LabelledSourcesScore {
  readonly capture: string;
}

/** The labelled real captures: Stratosphere's conn logs with a label per flow. */
const LABELLED_CAPTURES = ["008", "010"].map((n) => ({ capture: `Stratosphere ${n}`, path: join("stratosphere-zeek-labelled", n, "conn.log.labeled") }));

/** Scores and prints the labelled real captures, where the real samples are present (../shared/data/real or THREATLAB_REAL_DATA). */
async function printLabelledCaptures(): Promise<LabelledCapture[]> {
  const dir = process.env.THREATLAB_REAL_DATA ?? join(projectRoot(), "..", "shared", "data", "real");
  const present = LABELLED_CAPTURES.filter((c) => existsSync(join(dir, c.path)));
  if (present.length === 0) {
    console.log(`\nLabelled real captures: skipped, none at ${dir} (set THREATLAB_REAL_DATA)`);
    return [];
  }
  console.log("\nLabelled real captures: attackers are the sources with ≥ 10 flows labelled malicious (labels hidden from the detectors)");
  const results: LabelledCapture[] = [];
  for (const { capture, path } of present) {
    const score = evaluateLabelledSources((await ingestLogs(join(dir, path))).events);
    console.log(`  ${capture}: ${score.found} of ${score.attackers} attackers found (recall ${score.recall}), ${score.alerts_on_attackers} of ${score.alerts} alerts on them (precision ${score.precision})`);
    results.push({ capture, ...score });
  }
  return results;
}

/** Runs and prints the detection benchmark for every seed. */
function printDetection(): DetectionBenchmark[] {
  console.log("\nDetection: the whole suite on the default scenario (30 days, 200 users), in this process");
  console.log(`  ${"seed".padStart(5)}  ${"events".padStart(9)}  detect s  alerts  alert-P  campaign-R  event-P  event-R  tutorial alert-P  targets`);
  return SEEDS.map((seed) => {
    const r = benchDetection(seed);
    const met = r.targets.filter((t) => t.met === true).length;
    const failed = r.targets.filter((t) => t.met === false).map((t) => `${t.name} = ${t.actual}`);
    console.log(
      `  ${String(seed).padStart(5)}  ${r.events.toLocaleString("en-US").padStart(9)}  ${r.detect_seconds.toFixed(2).padStart(8)}  ${String(r.alerts).padStart(6)}` +
        `     ${r.alert_precision?.toFixed(3)}       ${r.campaign_recall?.toFixed(3)}    ${r.event_precision?.toFixed(3)}    ${r.event_recall?.toFixed(3)}             ${r.tutorial_alert_precision?.toFixed(3)}  ${met}/${r.targets.length} met${failed.length ? ` (missed: ${failed.join("; ")})` : ""}`,
    );
    return r;
  });
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
