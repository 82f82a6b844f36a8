/**
 * Frames as every stage takes them: logs in memory (a DataFrame) or a lazy frame over a file that
 * is read in batches, and the two ways of running a plan over them.
 */
import type { DataFrame, LazyDataFrame } from "nodejs-polars";

/** Logs in memory, or a lazy frame over a file that is read in batches (`scanLogs`). */
export type Frame = DataFrame | LazyDataFrame;

/**
 * Returns true for a lazy frame.
 * @example
 * isLazyFrame(logs.lazy()) // => true
 */
export function isLazyFrame(frame: Frame): frame is LazyDataFrame {
  return typeof (frame as LazyDataFrame).collectSync === "function";
}

/**
 * Returns a lazy frame over the logs, to build a plan on.
 * @example
 * lazyFrame(logs).collectSync().height // => 1000
 */
export function lazyFrame(frame: Frame): LazyDataFrame {
  return isLazyFrame(frame) ? frame : frame.lazy();
}

/** Runs a plan with polars' streaming engine: in batches, so the data never has to fit in memory. */
export function collectStreaming(plan: LazyDataFrame): DataFrame {
  return plan.collectSync({ engine: "streaming" } as never);
}
