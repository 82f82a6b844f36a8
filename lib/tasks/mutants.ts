/**
 * `npm run mutants`: breaks each detector in turn (see mutation.ts) and runs the tests that name
 * it; a mutant that no test notices is a detector whose tests cannot fail. `npm run mutants --
 * brute_force recon` breaks only those rules. Exits 1 when a mutant survives.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { detectorMutants, REPO_ROOT, testsOf } from "./detector-mutants";
import { MUTANT_VARIABLE } from "./mutation";

interface VitestJson {
  numTotalTests: number;
  numFailedTests: number;
  testResults: { assertionResults: { status: string; fullName: string }[]; message?: string }[];
}

const { positionals } = parseArgs({ allowPositionals: true });
const all = detectorMutants();
const unknown = positionals.filter((p) => !all.some((m) => m.rule === p));
if (unknown.length > 0) {
  process.stderr.write(`mutants: no rule named ${unknown.join(", ")} (rules: ${[...new Set(all.map((m) => m.rule))].join(", ")})\n`);
  process.exit(2);
}
const chosen = positionals.length === 0 ? all : all.filter((m) => positionals.includes(m.rule));
const scratch = mkdtempSync(join(tmpdir(), "threatlab-mutants-"));
const survivors: string[] = [];
try {
  chosen.forEach((mutant, i) => {
    const label = `${mutant.rule} (${mutant.mode === "nothing" ? "finds nothing" : "scores every window alike"})`;
    const files = testsOf(mutant);
    process.stdout.write(`[${i + 1}/${chosen.length}] ${label}: ${files.length} test files … `);
    if (files.length === 0) {
      survivors.push(label);
      process.stdout.write("SURVIVED (no test names this rule)\n");
      return;
    }
    const output = join(scratch, `${i}.json`);
    const run = spawnSync(process.execPath, [join(REPO_ROOT, "node_modules", "vitest", "vitest.mjs"), "run", "--config", "vitest.mutants.config.mts", "--reporter=json", `--outputFile=${output}`, ...files], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, [MUTANT_VARIABLE]: JSON.stringify({ ...mutant, file: resolve(REPO_ROOT, mutant.file) }) },
    });
    let report: VitestJson;
    try {
      report = JSON.parse(readFileSync(output, "utf8")) as VitestJson;
    } catch {
      process.stdout.write(`the test run ended without a report (exit ${run.status}):\n${run.stderr.slice(-2000)}\n`);
      process.exit(1);
    }
    const broken = report.testResults.find((r) => r.message?.includes("mutant:"));
    if (broken) {
      process.stdout.write(`could not be applied: ${broken.message}\n`);
      process.exit(1);
    }
    const failed = report.testResults.flatMap((r) => r.assertionResults.filter((a) => a.status === "failed").map((a) => a.fullName));
    if (failed.length === 0) {
      survivors.push(label);
      process.stdout.write(`SURVIVED all ${report.numTotalTests} tests\n`);
    } else {
      process.stdout.write(`killed by ${failed.length} of ${report.numTotalTests} tests, e.g. "${failed[0]}"\n`);
    }
  });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (survivors.length > 0) {
  process.stdout.write(`\n${survivors.length} of ${chosen.length} mutants survived: ${survivors.join("; ")}\n`);
  process.exit(1);
}
process.stdout.write(`\nall ${chosen.length} mutants were killed\n`);
