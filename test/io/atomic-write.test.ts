import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OptionError } from "../../lib/errors";
import { checkNotInput, writeAtomic } from "../../lib/io/atomic-write";
import { tempDir } from "../helpers";

describe("writeAtomic", () => {
  const dir = tempDir();

  it("writes through a temporary file and leaves only the target", () => {
    const target = join(dir, "a.txt");
    writeAtomic(target, (tmp) => {
      expect(tmp).not.toBe(target);
      expect(existsSync(target)).toBe(false);
      writeFileSync(tmp, "hello");
    });
    expect(readFileSync(target, "utf8")).toBe("hello");
    expect(readdirSync(dir)).toEqual(["a.txt"]);
  });

  it("keeps the old file whole and removes the temporary one when writing fails", () => {
    const target = join(dir, "b.txt");
    writeFileSync(target, "old");
    expect(() =>
      writeAtomic(target, (tmp) => {
        writeFileSync(tmp, "half");
        throw new Error("disk full");
      }),
    ).toThrow(new OptionError(`cannot write ${target}: disk full`));
    expect(readFileSync(target, "utf8")).toBe("old");
    expect(readdirSync(dir).filter((f) => f.includes("b.txt"))).toEqual(["b.txt"]);
  });

  it("creates missing folders", () => {
    const target = join(dir, "x", "y", "c.txt");
    writeAtomic(target, (tmp) => writeFileSync(tmp, "deep"));
    expect(readFileSync(target, "utf8")).toBe("deep");
  });

  it("says why it cannot write, without temporary names", () => {
    const blocker = join(dir, "file");
    writeFileSync(blocker, "");
    expect(() => writeAtomic(join(blocker, "d.txt"), () => undefined)).toThrow(
      new OptionError(`cannot write ${join(blocker, "d.txt")}: a part of the path is not a folder`),
    );
  });
});

describe("checkNotInput", () => {
  const dir = tempDir();

  it("refuses an output that is an input, also through a relative path or a link", () => {
    const input = join(dir, "logs.csv");
    writeFileSync(input, "x");
    symlinkSync(input, join(dir, "link.csv"));
    expect(() => checkNotInput(input, [input])).toThrow(OptionError);
    expect(() => checkNotInput(join(dir, ".", "logs.csv"), [input])).toThrow("is also an input");
    expect(() => checkNotInput(join(dir, "link.csv"), [input])).toThrow("is also an input");
    expect(() => checkNotInput(join(dir, "other.csv"), [input])).not.toThrow();
  });
});
