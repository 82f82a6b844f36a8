import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findJupyter, HOW_TO_GET_JUPYTER, type Jupyter } from "../../lib/jupyter/find-jupyter";
import { planLab } from "../../lib/tasks/lab";
import { describeWith, type Found } from "../external";
import { freePort, ROOT, tempDir } from "../helpers";
import { fakeJupyter } from "./fake-jupyter";

const LAB = join(ROOT, "dist", "tasks", "lab.js");
const TSLAB = join(ROOT, "node_modules", "tslab", "bin", "tslab");

const jupyterWith = (versions: Jupyter["versions"]): Jupyter => ({ command: ["/opt/jupyter"], python: "python3", versions });

/** Runs `npm run lab`'s program with extra environment, as a non-root user would see it unless root. */
function lab(args: string[], env: Record<string, string>) {
  const run = spawnSync(process.execPath, [LAB, ...args], { encoding: "utf8", env: { ...process.env, ...env }, cwd: ROOT });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("planLab: what npm run lab starts", () => {
  const both = jupyterWith({ nbconvert: "7.16.4", notebook: "7.2.2", jupyterlab: "4.2.5" });

  it("opens JupyterLab where it is installed, passing other arguments through", () => {
    expect(planLab(both, ["--port", "8890"], false)).toEqual({ app: "lab", title: "JupyterLab 4.2.5", argv: ["/opt/jupyter", "lab", "--port", "8890"] });
  });

  it("opens the classic Notebook with --classic, or where JupyterLab is missing", () => {
    expect(planLab(both, ["--classic"], false)).toMatchObject({ app: "notebook", argv: ["/opt/jupyter", "notebook"] });
    expect(planLab(jupyterWith({ nbconvert: "6.5.3", notebook: "6.4.12" }), [], false)).toMatchObject({ app: "notebook", argv: ["/opt/jupyter", "notebook"] });
  });

  it("says why when there is nothing to open the notebooks with", () => {
    const plan = planLab(jupyterWith({ nbconvert: "6.5.3" }), [], false);
    expect(plan).toEqual({ problem: expect.stringContaining("neither JupyterLab nor the classic Notebook") });
    expect(planLab(jupyterWith({ nbconvert: "7.0.0", jupyterlab: "4.0.0" }), ["--classic"], false)).toEqual({ problem: expect.stringContaining("has no classic Notebook") });
  });

  it("lets Jupyter start as root (as in containers), once", () => {
    expect(planLab(both, [], true)).toMatchObject({ argv: ["/opt/jupyter", "lab", "--allow-root"] });
    expect(planLab(both, ["--allow-root"], true)).toMatchObject({ argv: ["/opt/jupyter", "lab", "--allow-root"] });
  });
});

describe("npm run lab", () => {
  it("without Jupyter says in one line how to get one, and exits 2", () => {
    const run = lab([], { THREATLAB_JUPYTER: join(tempDir(), "no-jupyter-here") });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("run npm run setup, which installs JupyterLab 4 into the project's own .venv");
  });

  it("registers this checkout's tslab as the threatlab kernel, then starts JupyterLab on notebooks/ with the arguments given", () => {
    const fake = fakeJupyter(tempDir(), { nbconvert: "7.16.4", notebook: "7.2.2", jupyterlab: "4.2.5" });
    const run = lab(["--port", "8890", "--no-browser"], { THREATLAB_JUPYTER: fake.path });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const kernel = fake.installedKernel()!;
    expect(kernel.argv.slice(0, 3)).toEqual([process.execPath, TSLAB, "kernel"]);
    expect(kernel.display_name).toMatch(/threatlab/);
    expect(kernel.env.NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
    const started = fake.started()!;
    expect(started.cwd).toBe(join(ROOT, "notebooks"));
    expect(started.args.slice(0, 4)).toEqual(["lab", "--port", "8890", "--no-browser"]);
    expect(run.stdout).toContain("JupyterLab 4.2.5");
  });

  it("--classic starts the classic Notebook instead", () => {
    const fake = fakeJupyter(tempDir(), { nbconvert: "7.16.4", notebook: "7.2.2", jupyterlab: "4.2.5" });
    expect(lab(["--classic"], { THREATLAB_JUPYTER: fake.path }).code).toBe(0);
    expect(fake.started()!.args[0]).toBe("notebook");
  });

  it("a Jupyter without a notebook app is refused before anything is registered", () => {
    const fake = fakeJupyter(tempDir(), { nbconvert: "7.16.4" });
    const run = lab([], { THREATLAB_JUPYTER: fake.path });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^threatlab: .*neither JupyterLab nor the classic Notebook/);
    expect(fake.installedKernel()).toBeUndefined();
    expect(fake.started()).toBeUndefined();
  });
});

const found: Found<Jupyter> = (() => {
  const jupyter = findJupyter(process.env);
  return jupyter?.versions.jupyterlab ? { value: jupyter } : { missing: `JupyterLab was not found; ${HOW_TO_GET_JUPYTER}` };
})();

describeWith("npm run lab with the real Jupyter", "JUPYTER", found, () => {
  it("serves notebooks/ with the threatlab kernel of this checkout, and stops cleanly", async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const token = "threatlab-test-token";
    const child = spawn(process.execPath, [LAB, "--no-browser", "--port", String(port), `--IdentityProvider.token=${token}`], {
      // A fresh home, so the kernel found is the one npm run lab registered.
      env: { ...process.env, HOME: dataDir, JUPYTER_DATA_DIR: join(dataDir, "jupyter"), JUPYTER_RUNTIME_DIR: join(dataDir, "runtime") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const api = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { Authorization: `token ${token}` } });
      return response.json() as Promise<Record<string, unknown>>;
    };
    try {
      let specs: { kernelspecs: Record<string, { spec: { argv: string[]; display_name: string } }> } | undefined;
      for (let i = 0; i < 120 && !specs; i++) {
        specs = await api("/api/kernelspecs").catch(() => undefined) as typeof specs;
        if (!specs) await new Promise((r) => setTimeout(r, 500));
      }
      expect(specs, output).toBeDefined();
      expect(specs!.kernelspecs.threatlab.spec.argv.slice(0, 2)).toEqual([process.execPath, TSLAB]);
      const contents = (await api("/api/contents")) as { content: { name: string }[] };
      expect(contents.content.map((c) => c.name)).toContain("01-setup.ipynb");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
