import { spawnSync } from "node:child_process";
import { cpSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findJupyter, HOW_TO_GET_JUPYTER, type Jupyter } from "../../lib/jupyter/find-jupyter";
import { checkChromium, checkJupyter, checkKernel, checkNode, checkSamples, formatChecks, type Check } from "../../lib/tasks/doctor";
import { describeWith, type Found } from "../external";
import { ROOT, tempDir } from "../helpers";
import { fakeJupyter } from "./fake-jupyter";

const TSLAB = join(ROOT, "node_modules", "tslab", "bin", "tslab");
const asJupyter = (path: string, versions: Jupyter["versions"] = { nbconvert: "7.0.0", notebook: "7.0.0" }): Jupyter => ({ command: [path], python: "python3", versions });

/** A copy of the repository's data/ in a fresh folder, to damage. */
function dataCopy(): string {
  const root = tempDir();
  cpSync(join(ROOT, "data"), join(root, "data"), { recursive: true });
  return root;
}

describe("doctor's checks", () => {
  it("Node.js 20.19 or newer passes; older fails with how to upgrade", () => {
    expect(checkNode("20.19.0").ok).toBe(true);
    expect(checkNode("22.3.0").ok).toBe(true);
    const old = checkNode("20.18.3");
    expect(old).toMatchObject({ ok: false, detail: expect.stringContaining("older than 20.19") });
    expect(old.fix).toMatch(/Node\.js 20\.19/);
  });

  it("sample data: present and the seed-42 sample passes; an edited row or a missing log fails and says which", () => {
    const root = dataCopy();
    expect(checkSamples(root).ok).toBe(true);
    const csv = join(root, "data", "sample_logs.csv");
    writeFileSync(csv, readFileSync(csv, "utf8").replace(",normal\n", ",brute_force\n"));
    expect(checkSamples(root)).toMatchObject({ ok: false, detail: expect.stringContaining("was changed") });
    const other = dataCopy();
    rmSync(join(other, "data", "samples", "zeek-conn.log"));
    const missing = checkSamples(other);
    expect(missing).toMatchObject({ ok: false, detail: expect.stringContaining("zeek-conn.log") });
    expect(missing.fix).toContain("git checkout -- data/");
  });

  it("Jupyter: absent, or without an app to open notebooks in, fails with how to get one", () => {
    expect(checkJupyter(undefined)).toMatchObject({ ok: false, fix: expect.stringContaining("npm run setup") });
    expect(checkJupyter(asJupyter("/opt/jupyter", { nbconvert: "7.0.0" })).ok).toBe(false);
    expect(checkJupyter(asJupyter("/opt/jupyter", { nbconvert: "7.0.0", jupyterlab: "4.2.5" }))).toMatchObject({ ok: true, detail: expect.stringContaining("JupyterLab 4.2.5") });
  });

  it("kernel: passes only when registered for this checkout's tslab, on a Node.js that exists", () => {
    const spec = (argv: string[]) => ({ threatlab: { resource_dir: "/x", spec: { argv, display_name: "TypeScript (threatlab)" } } });
    const kernel = (specs: object) => checkKernel(asJupyter(fakeJupyter(tempDir(), {}, specs).path), ROOT);
    expect(kernel({})).toMatchObject({ ok: false, detail: "is not registered with Jupyter", fix: expect.stringContaining("npm run kernel") });
    expect(kernel(spec([process.execPath, "/elsewhere/node_modules/tslab/bin/tslab", "kernel"]))).toMatchObject({ ok: false, detail: expect.stringContaining("/elsewhere/") });
    expect(kernel(spec(["/gone/bin/node", TSLAB, "kernel"]))).toMatchObject({ ok: false, detail: expect.stringContaining("/gone/bin/node") });
    expect(kernel(spec([process.execPath, TSLAB, "kernel"])).ok).toBe(true);
  });

  it("Chromium is optional: its absence is reported with the fix but fails nothing", () => {
    const chromium = checkChromium({ THREATLAB_CHROMIUM: "/nowhere/chromium" });
    expect(chromium).toMatchObject({ ok: false, optional: true });
    const report = formatChecks([{ name: "Node.js", ok: true, detail: "20.19.0" }, chromium]);
    expect(report).toContain("○ Chromium (optional)");
    expect(report).toContain("apt-get install -y chromium");
    expect(report.split("\n").pop()).toMatch(/^All 1 required checks passed/);
  });

  it("a failed required check gets ✗, its fix on the next line, and a verdict that counts it", () => {
    const checks: Check[] = [
      { name: "A", ok: true, detail: "fine" },
      { name: "B", ok: false, detail: "broken", fix: "do this" },
    ];
    expect(formatChecks(checks)).toBe("✓ A: fine\n✗ B: broken\n    fix: do this\n1 required check failed: fix it and rerun npm run doctor.");
  });
});

const found: Found<Jupyter> = (() => {
  const jupyter = findJupyter(process.env);
  return jupyter ? { value: jupyter } : { missing: `Jupyter not found; ${HOW_TO_GET_JUPYTER}` };
})();

describeWith("npm run doctor on this machine, with the real Jupyter", "JUPYTER", found, () => {
  it("fails on an unregistered kernel, naming the fix; passes once npm run kernel has run", () => {
    // A fresh home: no kernel registered by anyone before.
    const home = tempDir();
    const env = { ...process.env, HOME: home, JUPYTER_DATA_DIR: join(home, "jupyter") };
    const doctor = () => spawnSync(process.execPath, [join(ROOT, "dist", "tasks", "doctor.js")], { encoding: "utf8", env, cwd: ROOT });
    const before = doctor();
    expect(before.status).toBe(1);
    expect(before.stdout).toMatch(/✗ kernel "threatlab": is not registered with Jupyter\n {4}fix: npm run kernel/);
    expect(spawnSync(process.execPath, [join(ROOT, "dist", "tasks", "register-kernel.js")], { env }).status).toBe(0);
    const after = doctor();
    expect(after.stdout).not.toContain("✗");
    expect(after.stdout).toMatch(/✓ kernel "threatlab": runs .*node_modules\/tslab\/bin\/tslab/);
    expect(after.stdout).toMatch(/All 6 required checks passed/);
    expect(after.status).toBe(0);
  }, 120_000);
});
