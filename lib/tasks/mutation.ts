/**
 * Mutants of the detectors, for `npm run mutants`: each rule's detection function made to find
 * nothing, and the model made to score every window alike. A mutant is applied by a Vite plugin
 * while vitest compiles `lib/` (the sources are never edited), and it is killed when at least one
 * test of that rule fails. A mutant that cannot be applied is an error, never a silent survivor.
 */
import { resolve } from "node:path";

/** How a detector is broken. */
export type MutantMode = "nothing" | "alike";

/** One broken detector: which rule, which functions of which file, and how. */
export interface Mutant {
  /** The rule the mutant breaks, e.g. `brute_force`. */
  readonly rule: string;
  readonly mode: MutantMode;
  /** The source file, e.g. `lib/detect/brute-force.ts` (absolute where it is handed to the plugin). */
  readonly file: string;
  /** The functions (or, for `alike`, the method) that are cut short. */
  readonly functions: readonly string[];
  /** Words whose presence in a test file makes it a test of this rule. */
  readonly words: readonly string[];
}

/** The constant score every window gets from the model's `alike` mutant. */
const ALIKE_SCORE = "0.5";

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The start of a declaration's body: `export function name(…) … {` or a method `name(…): T {`, on one line. */
export function declaration(name: string, mode: MutantMode): RegExp {
  const head = mode === "alike" ? `^\\s+${escapeRegExp(name)}\\(` : `^export function\\*? ${escapeRegExp(name)}\\(`;
  return new RegExp(`${head}[^\\n]*\\{$`, "m");
}

/**
 * Returns `code` with each named function made to return at once: `[]` (nothing found) or, for
 * `alike`, the model's constant score. Throws when a function is not declared on one line of the
 * form the mutation expects, so a mutant is never silently left unapplied.
 * @example
 * mutateSource("export function detectX(f: F): D[] {\n  return work(f);\n}", ["detectX"], "nothing")
 * // => "export function detectX(f: F): D[] { return [];\n  return work(f);\n}"
 */
export function mutateSource(code: string, functions: readonly string[], mode: MutantMode): string {
  let out = code;
  for (const name of functions) {
    const pattern = declaration(name, mode);
    const matches = out.match(new RegExp(pattern.source, "gm")) ?? [];
    if (matches.length !== 1) throw new Error(`mutant: expected one declaration of ${name}, found ${matches.length}`);
    out = out.replace(pattern, (line) => `${line} return ${mode === "alike" ? ALIKE_SCORE : "[]"};`);
  }
  return out;
}

/** The environment variable that carries a mutant (as JSON) to vitest's configuration. */
export const MUTANT_VARIABLE = "THREATLAB_MUTANT";

/** A Vite plugin, in the shape Vite takes, that applies a mutant while vitest compiles the sources. */
export interface MutantPlugin {
  readonly name: string;
  readonly enforce: "pre";
  transform(code: string, id: string): string | null;
}

/**
 * Returns the Vite plugin that applies the mutant given as JSON (none when `spec` is undefined).
 * The plugin applies it to the mutant's file (an absolute path) alone and throws where it cannot.
 */
export function mutantPlugin(spec: string | undefined): MutantPlugin {
  const mutant = spec === undefined ? undefined : (JSON.parse(spec) as Mutant);
  const target = mutant && resolve(mutant.file);
  return {
    name: "threatlab-mutant",
    enforce: "pre",
    transform(code, id) {
      if (!mutant || resolve(id.split("?")[0]) !== target) return null;
      return mutateSource(code, mutant.functions, mutant.mode);
    },
  };
}

