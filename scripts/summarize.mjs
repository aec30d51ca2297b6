// Prints the plain closing line CI reads: "N passed, N failed" (vitest's JSON report plus the
// type and lint checks), and exits non-zero when anything failed.
import { existsSync, readFileSync } from "node:fs";

const [file, checksPassed, checksFailed, vitestRc] = process.argv.slice(2);
let passed = Number(checksPassed);
let failed = Number(checksFailed);
let skipped = 0;
if (existsSync(file)) {
  const r = JSON.parse(readFileSync(file, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A file that failed to load has no failed tests but is a failure all the same.
  failed += r.testResults.filter((t) => t.status === "failed" && t.assertionResults.length === 0).length;
} else {
  failed += 1;
}
if (Number(vitestRc) !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed === 0 ? 0 : 1);
