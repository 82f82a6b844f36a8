/**
 * `npm run kernel`: registers this checkout's tslab with Jupyter as the kernel "threatlab", so that
 * JupyterLab or the Notebook opens the notebooks on it.
 */
import { HOW_TO_GET_JUPYTER, findJupyter, type Jupyter } from "../jupyter/find-jupyter";
import { KERNEL_DISPLAY_NAME, KERNEL_NAME, registerKernel } from "../jupyter/kernelspec";
import { projectRoot } from "../shared/paths";

/** Returns the Jupyter found, or says in one line that there is none (for `npm run NAME`) and returns undefined. */
export function jupyterOrSay(purpose: string, script: string): Jupyter | undefined {
  const jupyter = findJupyter(process.env);
  if (!jupyter) console.error(`threatlab: Jupyter was not found, so there is nothing to ${purpose}; ${HOW_TO_GET_JUPYTER}, then rerun npm run ${script}`);
  return jupyter;
}

/** Registers this checkout's kernel with `jupyter`; on failure says why in one line and returns false. */
export function registeredOrSay(jupyter: Jupyter): boolean {
  try {
    registerKernel(jupyter);
    return true;
  } catch (error) {
    console.error(`threatlab: ${(error as Error).message}`);
    return false;
  }
}

function main(): number {
  const jupyter = jupyterOrSay("register the kernel with", "kernel");
  if (!jupyter) return 2;
  if (!registeredOrSay(jupyter)) return 1;
  const app = jupyter.versions.jupyterlab ? "jupyter lab" : "jupyter notebook";
  console.log(`Registered the kernel "${KERNEL_DISPLAY_NAME}" (${KERNEL_NAME}) for ${projectRoot()}; open the notebooks with: npm run lab (or ${app} notebooks/)`);
  return 0;
}

if (require.main === module) process.exitCode = main();
