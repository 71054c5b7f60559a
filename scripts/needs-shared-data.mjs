// Where the recorded shared data is (CWM_SHARED_DATA, else ../shared/data beside the repo), and
// which test files cannot even load without it: those that import, directly or through local
// helpers, a module calling `requireSharedData(` (test/shared-data.ts). vitest.config.ts leaves
// them out when the data is absent, so a clone without it still passes. Plain JS: the Vitest and
// Playwright configs load it.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const SHARED_DATA = process.env.CWM_SHARED_DATA ?? path.resolve(repoRoot, "../shared/data");

/** The files the suites read; the data counts as present only when all of them are there. */
export const SHARED_DATA_FILES = [
  "cruxeval/cruxeval.jsonl",
  "cwm-recorded/cruxeval-800.jsonl",
  "cwm-recorded/cruxeval-sample8.jsonl",
  "cwm-recorded/counter_N3.json",
];

export const sharedDataPresent = SHARED_DATA_FILES.every((f) => fs.existsSync(path.join(SHARED_DATA, f)));

export const SHARED_DATA_MISSING = `the recorded data is not at ${SHARED_DATA} (set CWM_SHARED_DATA to the folder holding cruxeval/ and cwm-recorded/)`;

const EXTS = [".ts", ".tsx", ".mts", ".mjs", ".js"];
const IMPORT_RE = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
const MARKER = /\brequireSharedData\(/;

function resolveLocal(root, spec, from) {
  let base;
  if (spec.startsWith("@/")) base = path.join(root, spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(from), spec);
  else return null;
  for (const c of [base, ...EXTS.map((x) => base + x), ...EXTS.map((x) => path.join(base, "index" + x))]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return null;
}

/** Absolute paths of the `testFiles` (absolute) that reach a module needing the data. */
export function testFilesNeedingSharedData(root, testFiles) {
  const definer = path.join(root, "test/shared-data.ts");
  const memo = new Map();
  const needs = (file, stack = new Set()) => {
    if (memo.has(file)) return memo.get(file);
    if (stack.has(file)) return false; // a cycle: decided by the file that started it
    stack.add(file);
    const src = fs.readFileSync(file, "utf8");
    let result = file !== definer && MARKER.test(src);
    for (const m of src.matchAll(IMPORT_RE)) {
      if (result) break;
      if (/^(?:import|export)\s+type\b/.test(m[0])) continue;
      const local = resolveLocal(root, m[1] ?? m[2], file);
      if (local && local !== definer && needs(local, stack)) result = true;
    }
    stack.delete(file);
    memo.set(file, result);
    return result;
  };
  return testFiles.filter((f) => needs(f));
}
