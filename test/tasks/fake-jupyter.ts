/**
 * A stand-in `jupyter` for testing what threatlab asks of Jupyter: it reports chosen versions,
 * records `kernelspec install` and the app it is asked to start, and answers `kernelspec list`.
 */
import { chmodSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { writeFixture } from "../helpers";

/** What the fake is given and what it recorded. */
export interface FakeJupyter {
  /** Path of the executable script. */
  path: string;
  /** The kernel.json it was asked to install, or undefined. */
  installedKernel(): { argv: string[]; display_name: string; env: Record<string, string> } | undefined;
  /** The folder and arguments it was started with as an app, or undefined. */
  started(): { cwd: string; args: string[] } | undefined;
}

/**
 * Writes the fake into `dir`. `versions` is printed for `--version` (e.g. `{ nbconvert: "7.0.0" }`);
 * `kernelspecs` is printed for `kernelspec list --json`.
 */
export function fakeJupyter(dir: string, versions: Record<string, string>, kernelspecs: object = {}): FakeJupyter {
  const versionText = Object.entries(versions).map(([k, v]) => `${k.padEnd(16)}: ${v}`).join("\n");
  writeFixture(dir, "versions.txt", `${versionText}\n`);
  writeFixture(dir, "kernelspecs.json", JSON.stringify({ kernelspecs }));
  const path = writeFixture(
    dir,
    "jupyter",
    `#!/bin/sh
here="${dir}"
case "$1" in
  --version) cat "$here/versions.txt" ;;
  kernelspec)
    if [ "$2" = list ]; then cat "$here/kernelspecs.json"; else for last in "$@"; do :; done; cp "$last/kernel.json" "$here/installed-kernel.json"; echo "Installed kernelspec threatlab in $here"; fi ;;
  *) { pwd; for a in "$@"; do echo "$a"; done; } > "$here/started.txt" ;;
esac
`,
  );
  chmodSync(path, 0o755);
  const read = (name: string): string | undefined => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8") : undefined);
  return {
    path,
    installedKernel: () => {
      const text = read("installed-kernel.json");
      return text === undefined ? undefined : JSON.parse(text);
    },
    started: () => {
      const text = read("started.txt");
      if (text === undefined) return undefined;
      const [cwd, ...args] = text.trimEnd().split("\n");
      return { cwd, args };
    },
  };
}
