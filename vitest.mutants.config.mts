// The test configuration of `npm run mutants`: the usual one, with the mutant named in
// THREATLAB_MUTANT applied to the sources as vitest compiles them (see lib/tasks/mutation.ts).
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.mts";
import { MUTANT_VARIABLE, mutantPlugin } from "./lib/tasks/mutation.ts";

export default mergeConfig(base, defineConfig({ plugins: [mutantPlugin(process.env[MUTANT_VARIABLE])] }));
