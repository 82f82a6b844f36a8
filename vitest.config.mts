import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Results must not depend on the machine's time zone; pin it as arquero and Plot do.
    env: { TZ: "UTC" },
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
