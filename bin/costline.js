#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on load so that a fresh clone runs without a build step.
require("tsx/cjs");
const { main } = require("../runtime/cli/main.ts");

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`costline: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
