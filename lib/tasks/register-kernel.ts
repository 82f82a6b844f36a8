/**
 * `npm run kernel`: registers this checkout's tslab with Jupyter as the kernel "threatlab", so that
 * JupyterLab or the Notebook opens the notebooks on it.
 */
import { HOW_TO_GET_JUPYTER, findJupyter } from "../jupyter/find-jupyter";
import { KERNEL_DISPLAY_NAME, KERNEL_NAME, registerKernel } from "../jupyter/kernelspec";
import { projectRoot } from "../notebook/paths";

function main(): number {
  const jupyter = findJupyter();
  if (!jupyter) {
    console.error(`threatlab: Jupyter was not found, so there is nothing to register the kernel with; ${HOW_TO_GET_JUPYTER}, then rerun npm run kernel`);
    return 2;
  }
  try {
    registerKernel(jupyter);
  } catch (error) {
    console.error(`threatlab: ${(error as Error).message}`);
    return 1;
  }
  const app = jupyter.versions.jupyterlab ? "jupyter lab" : "jupyter notebook";
  console.log(`Registered the kernel "${KERNEL_DISPLAY_NAME}" (${KERNEL_NAME}) for ${projectRoot()}; open the notebooks with: npm run lab (or ${app} notebooks/)`);
  return 0;
}

if (require.main === module) process.exitCode = main();
