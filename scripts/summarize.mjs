// Prints the plain closing line CI reads: "N passed, N failed" (vitest's JSON report, the browser
// tests' TAP report, plus the type and lint checks), and exits non-zero when anything failed.
import { existsSync, readFileSync } from "node:fs";

const [file, checksPassed, checksFailed, vitestRc, e2eTap, e2eRc] = process.argv.slice(2);
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
// The browser tests (node --test, TAP summary lines "# pass N", "# fail N", ...).
if (e2eTap !== undefined) {
  const tap = existsSync(e2eTap) ? readFileSync(e2eTap, "utf8") : "";
  const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, "m"))?.[1] ?? 0);
  const e2eFailed = count("fail") + count("cancelled");
  passed += count("pass");
  failed += e2eFailed;
  skipped += count("skipped") + count("todo");
  // No report, or a failing run that counted no failure (the server did not start): one failure.
  if (!/^# tests \d+$/m.test(tap) || (Number(e2eRc) !== 0 && e2eFailed === 0)) failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed === 0 ? 0 : 1);
