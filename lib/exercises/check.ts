/**
 * `check(id, answer)`: instant feedback on an exercise in a notebook — ✓, or ✗ with what is wrong
 * and a hint, never the expected answer.
 */
import { dataPath } from "../notebook/own-logs";
import { type ExerciseContext, contextFor, exercise } from "./exercises";

/** What a check said. */
export interface CheckResult {
  id: string;
  ok: boolean;
  /** The line shown to the learner, starting with ✓ or ✗. */
  message: string;
}

/**
 * Judges an answer without printing anything. `null` or `undefined` (the untouched placeholder)
 * is "not answered yet". The context defaults to the data the notebooks read.
 * @example
 * checkAnswer("1.1", 1000).message // => "✓ Exercise 1.1: right."
 */
export function checkAnswer(id: string, answer: unknown, context: ExerciseContext = contextFor(dataPath())): CheckResult {
  const { hint, judge } = exercise(id);
  const no = (why: string): CheckResult => ({ id, ok: false, message: `✗ Exercise ${id}: ${why}. Hint: ${hint}.` });
  if (answer === null || answer === undefined) return no("not answered yet: replace null with your answer, then run the cell again");
  let verdict;
  try {
    verdict = judge(answer, context);
  } catch (error) {
    return no(`your answer could not be checked (${(error as Error).message.split("\n")[0]})`);
  }
  return verdict.ok ? { id, ok: true, message: `✓ Exercise ${id}: right.` } : no(verdict.why);
}

/**
 * Checks an exercise answer in a notebook and prints ✓, or ✗ with a hint.
 * @example
 * check("3.1", failedPerUser) // prints "✓ Exercise 3.1: right." or "✗ Exercise 3.1: … Hint: …"
 */
export function check(id: string, answer: unknown): void {
  console.log(checkAnswer(id, answer).message);
}
