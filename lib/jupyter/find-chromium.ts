/**
 * Finding a Chromium for the browser checks: `$THREATLAB_CHROMIUM`, else Debian's or Ubuntu's. No
 * tool is ever allowed to download a browser of its own.
 */
import { existsSync } from "node:fs";

/** Places a Debian or Ubuntu Chromium is installed. */
export const CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"] as const;

/** One line that says how to get Chromium. */
export const HOW_TO_GET_CHROMIUM = "install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), or set THREATLAB_CHROMIUM to a Chromium or Chrome executable";

/** Returns the paths looked at, in order: THREATLAB_CHROMIUM alone when it is set. */
export function chromiumCandidates(env: NodeJS.ProcessEnv): string[] {
  const chosen = env.THREATLAB_CHROMIUM?.trim();
  return chosen ? [chosen] : [...CHROMIUM_PATHS];
}

/** Returns the Chromium executable to drive, or undefined. */
export function findChromium(env: NodeJS.ProcessEnv): string | undefined {
  return chromiumCandidates(env).find((p) => existsSync(p));
}
