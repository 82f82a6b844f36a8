/**
 * `npm run fuzz`: the fuzzer of test/hostile/fuzz.test.ts with many more cases than CI runs.
 * `npm run fuzz -- --runs 2000 --seed 7`; defaults 300 cases per format, seed from the clock
 * (printed, so a failure can be replayed with --seed).
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "300" }, seed: { type: "string" } } });
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  process.stderr.write("fuzz: --runs and --seed take whole numbers\n");
  process.exit(2);
}
process.stdout.write(`fuzzing every format: ${runs} cases each, seed ${seed} (replay with npm run fuzz -- --seed ${seed})\n`);
const root = resolve(__dirname, "..", "..");
const run = spawnSync(process.execPath, [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "test/hostile/fuzz.test.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, THREATLAB_FUZZ_RUNS: String(runs), THREATLAB_FUZZ_SEED: String(seed) },
});
process.exit(run.status ?? 1);
