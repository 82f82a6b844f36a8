/**
 * Tests that need a program from outside npm (Jupyter, python3 with pandas) run only where it is
 * found. Where it is absent they are skipped with the reason in their title, unless the variable
 * THREATLAB_REQUIRE_<NAME>=1 is set (CI sets it): then they fail, so CI can never skip them.
 */
import { describe, it } from "vitest";
import { chromiumCandidates, findChromium as findChromiumExecutable, HOW_TO_GET_CHROMIUM } from "../lib/jupyter/find-chromium";

/** What a lookup for an outside program found. */
export interface Found<T> {
  value?: T;
  /** Why it was not found, and how to get it. */
  missing?: string;
}

/**
 * Declares a test suite that needs an outside program. `name` is the suffix of the variable that
 * makes the program required (e.g. "JUPYTER" for THREATLAB_REQUIRE_JUPYTER).
 */
export function describeWith<T>(title: string, name: string, found: Found<T>, body: (value: T) => void): void {
  const required = process.env[`THREATLAB_REQUIRE_${name}`] === "1";
  if (found.value !== undefined) {
    describe(title, () => body(found.value as T));
  } else if (required) {
    describe(title, () => {
      it(`needs ${name.toLowerCase()} (THREATLAB_REQUIRE_${name}=1)`, () => {
        throw new Error(`THREATLAB_REQUIRE_${name}=1 but it is missing: ${found.missing}`);
      });
    });
  } else {
    const reason = `skipped: ${found.missing}`;
    console.warn(`[threatlab tests] ${title}: ${reason}`);
    describe.skip(`${title} (${reason})`, () => body(undefined as T));
  }
}

/** Returns the Chromium to drive with playwright-core (see lib/jupyter/find-chromium). */
export function findChromium(): Found<string> {
  const path = findChromiumExecutable(process.env);
  return path ? { value: path } : { missing: `no Chromium at ${chromiumCandidates(process.env).join(" or ")}; ${HOW_TO_GET_CHROMIUM}` };
}

/** The flags for a quiet, offline headless Chromium in a container. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"];
