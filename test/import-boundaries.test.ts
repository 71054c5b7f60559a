import { describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { browserEntries, checkBrowserImports } from "../scripts/check-imports.mjs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

describe("import boundaries", () => {
  it("no browser module reaches server-only code, Node built-ins or the database", () => {
    const entries: string[] = browserEntries();
    expect(entries.length).toBeGreaterThan(5);
    expect(checkBrowserImports(entries)).toEqual([]);
  });

  it("catches a component that imports a server module through another file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imports-"));
    fs.writeFileSync(path.join(dir, "server.ts"), 'import "server-only";\nexport const x = 1;\n');
    fs.writeFileSync(path.join(dir, "middle.ts"), 'export { x } from "./server";\n');
    fs.writeFileSync(path.join(dir, "Comp.tsx"), 'import { x } from "./middle";\nexport const C = () => x;\n');
    const problems: string[] = checkBrowserImports([path.join(dir, "Comp.tsx")]);
    expect(problems.length).toBe(1);
    expect(problems[0]).toContain("server-only");
  });
});
