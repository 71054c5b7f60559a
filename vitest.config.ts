import { defineConfig } from "vitest/config";
import fs from "node:fs";
import path from "node:path";
import { SHARED_DATA_MISSING, sharedDataPresent, testFilesNeedingSharedData } from "./scripts/needs-shared-data.mjs";

/** Test files that cannot load without the recorded data: left out, with one line, when it is absent. */
function withoutSharedData(): string[] {
  if (sharedDataPresent) return [];
  const root = import.meta.dirname;
  const walk = (dir: string): string[] =>
    fs.existsSync(dir)
      ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) return e.name === "node_modules" ? [] : walk(p);
          return /\.test\.tsx?$/.test(e.name) ? [p] : [];
        })
      : [];
  const tests = ["lib", "cli", "test", "app", "scripts", "components"].flatMap((d) => walk(path.join(root, d)));
  const left = testFilesNeedingSharedData(root, tests).map((f) => path.relative(root, f));
  if (left.length) console.log(`skipping ${left.length} test files: ${SHARED_DATA_MISSING}: ${left.join(", ")}`);
  return left;
}

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "test/server-only-shim.ts") } },
  test: {
    include: ["lib/**/*.test.ts", "cli/**/*.test.ts", "test/**/*.test.ts", "app/**/*.test.ts", "scripts/**/*.test.ts", "components/**/*.test.tsx"],
    exclude: ["node_modules", "e2e", ".next", ...withoutSharedData()],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Pyodide and Prisma tests are memory-heavy; two cores do not gain from more forks.
    maxWorkers: 2,
  },
});
