/**
 * A progress bar for long work, drawn on stderr only when it is a terminal: redirected output
 * and CI logs stay free of carriage returns.
 */

/** Where a progress bar draws: a raw write that can return to the start of the line. */
export interface ProgressSink {
  /** True when the sink is a terminal; the bar is drawn only then. */
  readonly isTTY: boolean;
  /** Replaces the current terminal line with `text` (no newline). */
  progress?(text: string): void;
}

/** A progress callback and the function that clears the bar when the work ends. */
export interface ProgressBar {
  /** Shows `stage` at `fraction` (0 to 1) done. */
  update(stage: string, fraction: number): void;
  /** Clears the bar's line. */
  done(): void;
}

const WIDTH = 24;

/**
 * Returns the text of a bar, e.g. `[######------------------]  25% reading`.
 * @example
 * progressLine("reading", 0.25) // => "[######------------------]  25% reading"
 */
export function progressLine(stage: string, fraction: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(f * WIDTH);
  return `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${String(Math.floor(f * 100)).padStart(3)}% ${stage}`;
}

/**
 * Returns a progress bar drawing on `sink`, redrawn only when the whole percentage or the stage
 * changes; a no-op when the sink is not a terminal.
 */
export function progressBar(sink: ProgressSink): ProgressBar {
  const draw = sink.isTTY ? sink.progress : undefined;
  if (!draw) return { update: () => undefined, done: () => undefined };
  let last = "";
  return {
    update(stage, fraction) {
      const line = progressLine(stage, fraction);
      if (line !== last) draw(line);
      last = line;
    },
    done() {
      if (last !== "") draw("");
      last = "";
    },
  };
}
