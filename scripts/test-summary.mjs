// Prints one plain closing line for CI ("N passed, N failed") from the JSON reports that
// `npm test` leaves in reports/ (Vitest and Playwright each write one) and the lint outcome
// .ci/run records.
import fs from "node:fs";

function read(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const unit = read("reports/unit.json");
if (unit) {
  passed += unit.numPassedTests ?? 0;
  failed += unit.numFailedTests ?? 0;
  skipped += (unit.numPendingTests ?? 0) + (unit.numTodoTests ?? 0);
}
const e2e = read("reports/e2e.json");
if (e2e?.stats) {
  passed += e2e.stats.expected ?? 0;
  failed += (e2e.stats.unexpected ?? 0) + (e2e.stats.flaky ?? 0);
  skipped += e2e.stats.skipped ?? 0;
}
// .ci/run lints before the tests and records the outcome; a failed lint is one failure here.
let lint = null;
try {
  lint = fs.readFileSync("reports/lint.txt", "utf8").trim();
} catch {
  // not run through .ci/run: nothing to count
}
if (lint === "failed") failed += 1;
if (!unit) failed += 1;
if (!e2e) failed += 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
