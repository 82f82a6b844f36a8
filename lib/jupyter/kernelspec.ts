/**
 * The threatlab kernel: tslab from this checkout, registered with Jupyter under a name that says
 * threatlab, so notebooks never run on another checkout's or a global tslab by accident.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot } from "../shared/paths";
import { JUPYTER_ENV, type Jupyter } from "./find-jupyter";

/** The kernel name written in every notebook's metadata. */
export const KERNEL_NAME = "threatlab";

/** The kernel's display name in Jupyter's menus. */
export const KERNEL_DISPLAY_NAME = "TypeScript (threatlab)";

/** A Jupyter kernel.json. */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  env: Record<string, string>;
}

/**
 * Returns the kernel spec for this checkout: this Node binary running this checkout's tslab.
 * `NODE_OPTIONS` gives the kernel room for millions of rows (4 GiB of heap).
 */
export function kernelSpec(root: string = projectRoot()): KernelSpec {
  return {
    argv: [process.execPath, join(root, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    env: { NODE_OPTIONS: "--max-old-space-size=4096" },
  };
}

/**
 * Writes the kernel spec as `DIR/kernels/threatlab/kernel.json` and returns `DIR`, a folder to put
 * first on `JUPYTER_PATH` so that Jupyter finds this checkout's kernel before any registered one.
 */
export function writeKernelSpec(dataDir: string, root: string = projectRoot()): string {
  const dir = join(dataDir, "kernels", KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), `${JSON.stringify(kernelSpec(root), null, 2)}\n`);
  return dataDir;
}

/**
 * Registers the kernel for the current user (`jupyter kernelspec install --user`), replacing an
 * earlier registration; returns Jupyter's output line. Throws with Jupyter's message on failure.
 */
export function registerKernel(jupyter: Jupyter, root: string = projectRoot()): string {
  const staging = mkdtempSync(join(tmpdir(), "threatlab-kernel-"));
  try {
    writeKernelSpec(staging, root);
    const run = spawnSync(
      jupyter.command[0],
      [...jupyter.command.slice(1), "kernelspec", "install", "--user", "--replace", "--name", KERNEL_NAME, join(staging, "kernels", KERNEL_NAME)],
      { encoding: "utf8", env: { ...process.env, ...JUPYTER_ENV } },
    );
    const said = `${run.stdout}${run.stderr}`.trim().split("\n").filter(Boolean);
    if (run.status !== 0) throw new Error(`jupyter kernelspec install failed: ${said[said.length - 1] ?? `exit ${run.status}`}`);
    return said[said.length - 1] ?? "";
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
