/**
 * `npm run lab [-- --classic] [-- JUPYTER ARGS…]`: registers this checkout's kernel, then opens
 * notebooks/ in JupyterLab, or in the classic Notebook where JupyterLab is not installed (or with
 * `--classic`). Other arguments go to Jupyter unchanged, e.g. `--port 8890` or `--no-browser`.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { HOW_TO_GET_JUPYTER, type Jupyter } from "../jupyter/find-jupyter";
import { KERNEL_DISPLAY_NAME } from "../jupyter/kernelspec";
import { jupyterOrSay, registeredOrSay } from "./register-kernel";
import { projectRoot } from "../shared/paths";

/** What `npm run lab` starts. */
export interface LabPlan {
  /** "lab" for JupyterLab, "notebook" for the classic Notebook. */
  app: "lab" | "notebook";
  /** A name for messages, e.g. "JupyterLab 4.2.5". */
  title: string;
  /** The command line: Jupyter's command, the app, then the arguments passed through. */
  argv: string[];
}

export const LAB_USAGE = `usage: npm run lab [-- --classic] [-- JUPYTER OPTIONS…]
Registers the threatlab kernel for this checkout and opens notebooks/ in JupyterLab (from the project's
.venv, made by npm run setup), or in the Notebook where JupyterLab is not installed. --classic chooses
the Notebook's one-document interface (Notebook 7 in .venv); every other option goes to Jupyter (e.g.
--port 8890, --no-browser).`;

/**
 * Returns what to start for these arguments, or a one-line reason why nothing can be started.
 * @example
 * planLab(jupyter, ["--classic", "--port", "8890"]) // => { app: "notebook", argv: [..., "notebook", "--port", "8890"] }
 */
export function planLab(jupyter: Jupyter, args: readonly string[], isRoot: boolean = process.getuid?.() === 0): LabPlan | { problem: string } {
  const classic = args.includes("--classic");
  const rest = args.filter((a) => a !== "--classic");
  // Jupyter refuses to start as root (as in most containers) unless told to.
  if (isRoot && !rest.includes("--allow-root")) rest.push("--allow-root");
  const { jupyterlab, notebook } = jupyter.versions;
  if (!classic && jupyterlab) return { app: "lab", title: `JupyterLab ${jupyterlab}`, argv: [...jupyter.command, "lab", ...rest] };
  if (notebook) return { app: "notebook", title: `the Notebook ${notebook}`, argv: [...jupyter.command, "notebook", ...rest] };
  const what = classic ? "no classic Notebook" : "neither JupyterLab nor the classic Notebook";
  return { problem: `${jupyter.command.join(" ")} has ${what} to open the notebooks with; ${HOW_TO_GET_JUPYTER}` };
}

function main(args: string[]): Promise<number> | number {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(LAB_USAGE);
    return 0;
  }
  const jupyter = jupyterOrSay("open the notebooks with", "lab");
  if (!jupyter) return 2;
  const plan = planLab(jupyter, args);
  if ("problem" in plan) {
    console.error(`threatlab: ${plan.problem}`);
    return 2;
  }
  if (!registeredOrSay(jupyter)) return 1;
  const notebooks = join(projectRoot(), "notebooks");
  console.log(`threatlab: kernel "${KERNEL_DISPLAY_NAME}" registered for ${projectRoot()}; opening ${notebooks} in ${plan.title} (stop it with Ctrl+C)`);
  return new Promise((resolve) => {
    const child = spawn(plan.argv[0], plan.argv.slice(1), {
      cwd: notebooks,
      stdio: "inherit",
      env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    });
    // Ctrl+C reaches Jupyter from the terminal itself (it asks before it stops); stay alive until it has.
    process.on("SIGINT", () => undefined);
    process.on("SIGTERM", () => child.kill("SIGTERM"));
    child.on("error", (error) => {
      console.error(`threatlab: could not start ${plan.argv.join(" ")}: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1)));
  });
}

if (require.main === module) {
  void Promise.resolve(main(process.argv.slice(2))).then((code) => {
    process.exitCode = code;
  });
}
