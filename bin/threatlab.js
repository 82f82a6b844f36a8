#!/usr/bin/env node
// The threatlab command: a thin launcher for the compiled CLI in dist/.
"use strict";
const { join } = require("node:path");

let cli;
try {
  cli = require(join(__dirname, "..", "dist", "cli", "main.js"));
} catch (error) {
  if (error && error.code === "MODULE_NOT_FOUND" && String(error.message).includes(join("dist", "cli", "main.js"))) {
    console.error(`threatlab: not built yet; run "npm run build" in ${join(__dirname, "..")}`);
    process.exit(2);
  }
  throw error;
}
cli.removeTemporariesOnSignals();
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
