/**
 * The exercises at the end of the tutorial notebooks (1–6) and of notebook 11, and how an answer is judged. Each
 * verdict says right, or what is wrong and a hint, and never prints the expected answer: the
 * learner should still have to find it.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { tutorialAlerts } from "../alerts/tutorial-alerts";
import { dailyCounts } from "../analyze/describe";
import { flagByteAnomalies } from "../detect/percentile-rule";
import { generateLogs } from "../generate/generate-logs";
import { readLogs } from "../io/read-logs";
import type { Figure } from "../visualize/figure";
import { type DefenceLayer, redTeam } from "../evaluate/redteam";

/** What a check sees besides the answer: the data the notebook read. */
export interface ExerciseContext {
  /** The tutorial's logs the notebooks read (`readLogs(dataPath())`). */
  logs(): DataFrame;
}

/** A verdict: right, or why not. `why` never contains the expected answer. */
export type Verdict = { ok: true } | { ok: false; why: string };

/** One exercise. */
export interface Exercise {
  /** "N.k": notebook N, exercise k. */
  id: string;
  /** The question, as the notebook asks it (markdown). */
  question: string;
  /** Where to look, given with every ✗. */
  hint: string;
  /** Judges an answer that is not the untouched placeholder. */
  judge(answer: unknown, context: ExerciseContext): Verdict;
}

const RIGHT: Verdict = { ok: true };
const wrong = (why: string): Verdict => ({ ok: false, why });

const isFrame = (x: unknown): x is DataFrame =>
  typeof x === "object" && x !== null && typeof (x as DataFrame).frameEqual === "function" && typeof (x as DataFrame).height === "number";

const typeName = (x: unknown): string => (x === null ? "null" : Array.isArray(x) ? "an array" : isFrame(x) ? "a DataFrame" : typeof x);

/** Judges a count: a whole number equal to `expected`, with `near` for answers worth a nudge. */
function judgeCount(answer: unknown, expected: number, near: Record<number, string> = {}): Verdict {
  if (typeof answer === "bigint") answer = Number(answer);
  if (typeof answer !== "number" || !Number.isFinite(answer)) return wrong(`expected a number, got ${typeName(answer)}`);
  if (answer === expected) return RIGHT;
  return wrong(near[answer] ?? (Number.isInteger(answer) ? "not the right count" : "a count is a whole number"));
}

/** Judges a text answer, ignoring surrounding spaces and case. */
function judgeText(answer: unknown, expected: readonly string[]): Verdict {
  if (typeof answer !== "string") return wrong(`expected text (a string in quotes), got ${typeName(answer)}`);
  return expected.includes(answer.trim().toLowerCase()) ? RIGHT : wrong(`"${answer}" is not it`);
}

/** Failed logins per user in the logs, as a map. */
function failedPerUser(logs: DataFrame): Map<string, number> {
  const counts = new Map<string, number>();
  const types = logs.getColumn("log_type").toArray() as string[];
  const users = logs.getColumn("user_id").toArray() as string[];
  types.forEach((type, i) => {
    if (type === "login_failed") counts.set(users[i], (counts.get(users[i]) ?? 0) + 1);
  });
  return counts;
}

const notThreat = pl.col("threat_level").neq(pl.lit("normal"));
const countRows = (frame: DataFrame): number => frame.height;
const flaggedAt = (logs: DataFrame, quantile: number): number => countRows(flagByteAnomalies(logs, { quantile }).filter(pl.col("is_anomaly")));

/** The guesser's frontier against one layer, as exercises 11.1 and 11.2 ask for it (seed 1, 9 rounds), computed once per process. */
const guesserFrontiers = new Map<string, number>();
function guesserFrontier(rules: readonly string[], failures?: number): number {
  const key = `${rules.join(",")}/${failures ?? "default"}`;
  let perDay = guesserFrontiers.get(key);
  if (perDay === undefined) {
    const layer: DefenceLayer = { name: "exercise", rules };
    perDay = redTeam({ seed: 1, goals: ["guess"], rounds: 9, layers: [layer], detectorOptions: failures === undefined ? undefined : { brute_force: { failures } } }).frontiers[0].perDay;
    guesserFrontiers.set(key, perDay);
  }
  return perDay;
}

/** Every exercise, in course order. */
export const EXERCISES: readonly Exercise[] = [
  {
    id: "1.1",
    question: "How many rows does the data file have?",
    hint: "read the file with `readLogs(dataPath())`; a polars frame's `.height` is its number of rows",
    judge: (answer, { logs }) => judgeCount(answer, logs().height),
  },
  {
    id: "1.2",
    question: "How many distinct users appear in the data?",
    hint: "take the column with `.getColumn(\"user_id\")`; a polars series counts its distinct values with `.nUnique()`",
    judge: (answer, { logs }) => judgeCount(answer, logs().getColumn("user_id").nUnique(), { [logs().height]: "that is the number of rows, not of distinct users" }),
  },
  {
    id: "2.1",
    question: "Generate 500 rows with the seed 3. Your answer is the frame.",
    hint: "`generateLogs` takes `{ rows, seed }`",
    judge: (answer) => {
      if (!isFrame(answer)) return wrong(`expected a DataFrame from generateLogs, got ${typeName(answer)}`);
      if (answer.height !== 500) return wrong(`your frame has ${answer.height} rows; the exercise asks for 500`);
      return answer.frameEqual(generateLogs({ rows: 500, seed: 3 })) ? RIGHT : wrong("500 rows, but other values: which seed did you pass?");
    },
  },
  {
    id: "2.2",
    question: "Generate 10,000 rows with the seed 42. What share of them carry a threat label (`threat_level` not `normal`)? Answer a number between 0 and 1.",
    hint: "`threatRows(frame)` keeps the labelled rows; divide their number by the frame's `.height`",
    judge: (answer) => {
      if (typeof answer !== "number") return wrong(`expected a number, got ${typeName(answer)}`);
      if (answer > 1) return wrong("a share is between 0 and 1: divide the count by the number of rows");
      const logs = generateLogs({ rows: 10_000, seed: 42 });
      const share = countRows(logs.filter(notThreat)) / logs.height;
      return Math.abs(answer - share) < 1e-9 ? RIGHT : wrong("not the share of labelled rows in that frame (did you generate 10,000 rows with seed 42?)");
    },
  },
  {
    id: "3.1",
    question: "Count the failed logins (`log_type` `login_failed`) of each user. Your answer is a frame with the columns `user_id` and `count`.",
    hint: "keep the rows whose log_type is login_failed (`.filter(pl.col(…).eq(pl.lit(…)))`), then group them by user_id and count each group (`pl.len()`, named with `.alias(\"count\")`)",
    judge: (answer, { logs }) => {
      if (!isFrame(answer)) return wrong(`expected a DataFrame, got ${typeName(answer)}`);
      const missing = ["user_id", "count"].filter((c) => !answer.columns.includes(c));
      if (missing.length > 0) return wrong(`your frame has the columns ${answer.columns.join(", ")}; it needs user_id and count`);
      const expected = failedPerUser(logs());
      const users = answer.getColumn("user_id").toArray() as string[];
      const counts = (answer.getColumn("count").toArray() as unknown[]).map(Number);
      const total = counts.reduce((a, b) => a + b, 0);
      if (total === logs().height) return wrong("these count every event: keep only the failed logins first");
      if (new Set(users).size !== users.length) return wrong("a user appears on more than one row: group by user_id");
      const given = new Map(users.map((u, i) => [u, counts[i]] as const));
      const differ = [...new Set([...given.keys(), ...expected.keys()])].filter((u) => (given.get(u) ?? 0) !== (expected.get(u) ?? 0));
      return differ.length === 0 ? RIGHT : wrong(`${differ.length} user${differ.length === 1 ? "'s count differs" : "s' counts differ"}`);
    },
  },
  {
    id: "3.2",
    question: "Which `location` has the largest mean `bytes_transferred`? Answer its name.",
    hint: "`logs.groupBy(\"location\").agg(pl.col(\"bytes_transferred\").mean())`, then sort by the mean",
    judge: (answer, { logs }) => {
      const means = logs().groupBy("location").agg(pl.col("bytes_transferred").mean().alias("mean"));
      const best = Math.max(...(means.getColumn("mean").toArray() as number[]));
      const winners = means.filter(pl.col("mean").eq(pl.lit(best))).getColumn("location").toArray() as string[];
      return judgeText(answer, winners.map((w) => w.toLowerCase()));
    },
  },
  {
    id: "4.1",
    question: "Change the percentile: how many rows does a threshold at the **99th** percentile flag?",
    hint: "`flagByteAnomalies(logs, { quantile: 0.99 })`, then count the rows where `is_anomaly` is true",
    judge: (answer, { logs }) => judgeCount(answer, flaggedAt(logs(), 0.99), { [flaggedAt(logs(), 0.95)]: "that is the count at the 95th percentile: pass { quantile: 0.99 }" }),
  },
  {
    id: "4.2",
    question: "Of the rows flagged at the 95th percentile, how many carry a threat label (`threat_level` not `normal`)?",
    hint: "filter `flagged` on `pl.col(\"is_anomaly\")` and on `threat_level` not equal to `\"normal\"` (`.neq(pl.lit(\"normal\"))`)",
    judge: (answer, { logs }) => {
      const flagged = flagByteAnomalies(logs()).filter(pl.col("is_anomaly"));
      return judgeCount(answer, countRows(flagged.filter(notThreat)), { [flagged.height]: "that counts every flagged row: keep only those with a threat label" });
    },
  },
  {
    id: "5.1",
    question: "Draw the bytes histogram with **20** bins instead of 50. Your answer is the figure.",
    hint: "`plotBytesHistogram` takes options: `{ bins: 20 }`",
    judge: (answer, { logs }) => {
      const bars = (answer as Figure | null)?.data?.[0]?.y;
      if (!Array.isArray(bars)) return wrong(`expected the figure plotBytesHistogram returns, got ${typeName(answer)}`);
      if (bars.length !== 20) return wrong(`your histogram has ${bars.length} bins`);
      const total = bars.reduce((a: number, b: number) => a + b, 0);
      return total === logs().height ? RIGHT : wrong("20 bins, but not of these logs' byte counts");
    },
  },
  {
    id: "5.2",
    question: "Which day has the most logs? Answer the date as `\"YYYY-MM-DD\"`.",
    hint: "`dailyCounts(logs)` has one row per `date` with its `count`: sort it by count, largest first (`.sort(\"count\", true)`), then read the first date (`.getColumn(\"date\").get(0)`)",
    judge: (answer, { logs }) => {
      const days = dailyCounts(logs());
      const most = Math.max(...(days.getColumn("count").toArray() as number[]).map(Number));
      return judgeText(answer, days.filter(pl.col("count").eq(pl.lit(most))).getColumn("date").toArray() as string[]);
    },
  },
  {
    id: "6.1",
    question: "How many alerts were raised **only** because of the `threat_level` label, not by the byte rule?",
    hint: "each alert has `reasons`; keep the alerts whose reasons do not include `\"bytes_above_threshold\"`",
    judge: (answer, { logs }) => {
      const alerts = tutorialAlerts(flagByteAnomalies(logs()));
      const onlyLabel = alerts.filter((a) => !a.reasons.includes("bytes_above_threshold")).length;
      return judgeCount(answer, onlyLabel, { [alerts.length]: "that is every alert: keep those the byte rule did not raise" });
    },
  },
  {
    id: "6.2",
    question:
      "Write a rule that does not read the answer key: which users have **at least 5** failed logins? Answer their `user_id`s as an array of strings, in any order.",
    hint: "read the logs with `readLogs(dataPath())`, keep the failed logins (`.filter(pl.col(\"log_type\").eq(pl.lit(\"login_failed\")))`), count them per user with `valueCounts(…, \"user_id\")`, keep `count` ≥ 5 (`.filter(pl.col(\"count\").gtEq(5))`), then `.getColumn(\"user_id\").toArray()`",
    judge: (answer, { logs }) => {
      if (!Array.isArray(answer) || answer.some((u) => typeof u !== "string")) return wrong(`expected an array of user ids (strings), got ${typeName(answer)}`);
      const counts = failedPerUser(logs());
      const expected = [...counts].filter(([, n]) => n >= 5).map(([u]) => u);
      const extra = answer.filter((u) => !expected.includes(u));
      if (extra.length > 0) return wrong(`${extra.length} of your users ${extra.length === 1 ? "has" : "have"} fewer than 5 failed logins`);
      const missed = expected.filter((u) => !answer.includes(u)).length;
      return missed === 0 ? RIGHT : wrong(`${missed} user${missed === 1 ? " is" : "s are"} missing`);
    },
  },
  {
    id: "11.1",
    question:
      "Change one threshold: play the guesser against `brute_force` alone with its `failures` raised from 10 to 20 (`seed: 1`, `rounds: 9`). How many passwords a day does it now try without an alert (the frontier's `perDay`)?",
    hint: "`redTeam({ seed: 1, goals: [\"guess\"], rounds: 9, layers: [{ name: \"brute force\", rules: [\"brute_force\"] }], detectorOptions: { brute_force: { failures: 20 } } })`, then `.frontiers[0].perDay`",
    judge: (answer) =>
      judgeCount(answer, guesserFrontier(["brute_force"], 20), {
        [guesserFrontier(["brute_force"])]: "that is the frontier at the default of 10 failures: pass `detectorOptions`",
      }),
  },
  {
    id: "11.2",
    question:
      "Add a detector that learns from the whole population: play the same guesser (`seed: 1`, `rounds: 9`, default thresholds) against a layer of `brute_force` and `isolation_forest` together. What is its frontier now?",
    hint: "the call of 11.1 without `detectorOptions`, with `rules: [\"brute_force\", \"isolation_forest\"]` in the layer, then `.frontiers[0].perDay`",
    judge: (answer) =>
      judgeCount(answer, guesserFrontier(["brute_force", "isolation_forest"]), {
        [guesserFrontier(["brute_force"])]: "that is the frontier of `brute_force` alone: add `isolation_forest` to the layer's rules",
        [guesserFrontier(["brute_force"], 20)]: "that is 11.1's frontier: drop `detectorOptions`, so brute_force keeps its 10 failures",
      }),
  },
];

/** Returns the exercise with this id, or throws listing the ids there are. */
export function exercise(id: string): Exercise {
  const found = EXERCISES.find((e) => e.id === id);
  if (!found) throw new Error(`no exercise "${id}"; the exercises are ${EXERCISES.map((e) => e.id).join(", ")}`);
  return found;
}

/** Returns a context that reads the tutorial CSV at `path` once, when a check first needs it. */
export function contextFor(path: string): ExerciseContext {
  let logs: DataFrame | undefined;
  return { logs: () => (logs ??= readLogs(path)) };
}
