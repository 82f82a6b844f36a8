/**
 * polars keeps its data outside V8's heap, where the garbage collector does not see it: a loop that
 * makes a fresh frame per piece of a big data set grows by a whole frame each time until V8 happens
 * to collect. And Node frees that data only in the finalizers it runs once the event loop turns, so
 * a synchronous loop never frees it at all. {@link releaseNativeMemory} collects, then lets the
 * loop turn: between pieces, memory stays at about one piece whatever the number of pieces.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

/** Collects garbage, then yields once to the event loop so the native finalizers run and free. */
export async function releaseNativeMemory(): Promise<void> {
  if (!gc) {
    // The documented way to reach V8's collector without starting Node with --expose-gc.
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
  await new Promise<void>((resolve) => setImmediate(resolve));
}
