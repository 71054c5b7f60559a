import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testFilesNeedingSharedData } from "./needs-shared-data.mjs";

// Spelled in pieces so this file itself does not read as a module that needs the data.
const CALL = ["requireShared", "Data("].join("");
const root = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-needs-data-"));
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
  return path.join(root, rel);
};
write("test/shared-data.ts", `export function ${CALL}rel: string) { return rel; }\nexport const sharedDataPresent = false;\n`);
write("lib/__tests__/reader.ts", `import { requireSharedData } from "@/test/shared-data";\nexport const rows = () => ${CALL}"x.jsonl");\n`);
write("lib/__tests__/relay.ts", 'export { rows } from "./reader";\n');
write("lib/__tests__/types-only.ts", 'import type { rows } from "./reader";\nexport type R = typeof rows;\n');
const direct = write("lib/a.test.ts", 'import { rows } from "./__tests__/reader";\n');
const viaRelay = write("lib/b.test.ts", 'import { rows } from "@/lib/__tests__/relay";\n');
const typeOnly = write("lib/c.test.ts", 'import type { R } from "./__tests__/types-only";\n');
const onlyFlag = write("lib/d.test.ts", 'import { sharedDataPresent } from "@/test/shared-data";\ndescribe.skipIf(!sharedDataPresent)("x", () => {});\n');
const cycleA = write("lib/e.test.ts", 'import "./__tests__/cycle-b";\n');
write("lib/__tests__/cycle-b.ts", 'import "../e.test";\n');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("test files that cannot load without the shared data", () => {
  const found = testFilesNeedingSharedData(root, [direct, viaRelay, typeOnly, onlyFlag, cycleA]);

  it("include a file importing a module that calls requireSharedData", () => {
    expect(found).toContain(direct);
  });

  it("include a file reaching such a module through a re-export with the @/ alias", () => {
    expect(found).toContain(viaRelay);
  });

  it("leave out type-only imports, which are erased", () => {
    expect(found).not.toContain(typeOnly);
  });

  it("leave out a file that only reads the presence flag to skip some tests", () => {
    expect(found).not.toContain(onlyFlag);
  });

  it("terminate on an import cycle", () => {
    expect(found).not.toContain(cycleA);
  });
});

describe("this repository", () => {
  const repo = path.resolve(import.meta.dirname, "..");
  const rel = (f: string) => path.join(repo, f);

  it("marks the suites reading recorded generations and leaves partly dependent files in", () => {
    const files = ["lib/cwm/__tests__/parse-recorded.test.ts", "lib/compare/__tests__/recorded.test.ts", "test/predict-route.test.ts"].map(rel);
    const found = testFilesNeedingSharedData(repo, files).map((f) => path.relative(repo, f));
    expect(found).toEqual(["lib/cwm/__tests__/parse-recorded.test.ts"]);
  });
});
