/**
 * "Everything works offline once npm ci has run": a fresh copy of the project installs from npm's
 * cache alone (`npm ci --offline`, the way docs/workshop.md has an instructor pre-seed a room), its
 * install scripts reach for nothing, and the result runs: polars, tslab's zeromq, the CLI.
 */
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT, tempDir } from "../helpers";

it("a fresh copy installs with npm ci --offline from the cache npm ci filled, and runs", () => {
  const copy = tempDir();
  for (const path of ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "lib", "bin", "data"]) {
    cpSync(join(ROOT, path), join(copy, path), { recursive: true });
  }
  const install = spawnSync("npm", ["ci", "--offline", "--no-audit", "--no-fund"], { cwd: copy, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
  expect(install.stderr.split("\n").filter((l) => /ENOTCACHED|npm error/.test(l))).toEqual([]);
  expect(install.status).toBe(0);
  const loads = spawnSync(process.execPath, ["-e", "require('nodejs-polars'); require(require.resolve('zeromq', { paths: ['node_modules/tslab'] })); require('plotly.js-dist-min/package.json'); console.log('ok')"], { cwd: copy, encoding: "utf8" });
  expect(loads.stdout.trim()).toBe("ok");
  const generated = spawnSync(process.execPath, ["bin/threatlab.js", "generate", "--rows", "1000", "--seed", "42", "--out", "again.csv"], { cwd: copy, encoding: "utf8" });
  expect(generated.status).toBe(0);
  expect(readFileSync(join(copy, "again.csv"), "utf8")).toBe(readFileSync(join(ROOT, "data", "sample_logs.csv"), "utf8"));
}, 300_000);
