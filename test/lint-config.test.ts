/**
 * The lint rules the house relies on, pinned: each snippet is linted as if it were the named
 * file, through eslint.config.mjs, and must raise the rule.
 */
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, "eslint.config.mjs"), cache: false });

async function rulesHit(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? "parse");
}

describe("eslint.config.mjs", () => {
  it("refuses a component importing a server-only module", async () => {
    expect(await rulesHit("components/Probe.tsx", 'import { db } from "@/lib/storage/db";\nexport const x = db;\n')).toContain("no-restricted-imports");
  });

  it("refuses a component importing a Node built-in", async () => {
    expect(await rulesHit("components/Probe.tsx", 'import fs from "node:fs";\nexport const x = fs;\n')).toContain("no-restricted-imports");
  });

  it("lets server code import server modules", async () => {
    expect(await rulesHit("app/api/probe/route.ts", 'import { db } from "@/lib/storage/db";\nexport const x = db;\n')).not.toContain("no-restricted-imports");
  });

  it("refuses React in lib/", async () => {
    expect(await rulesHit("lib/probe.ts", 'import { useState } from "react";\nexport const x = useState;\n')).toContain("no-restricted-imports");
  });

  it("refuses an explicit any", async () => {
    expect(await rulesHit("lib/probe.ts", "export const x = (v: any) => v;\n")).toContain("@typescript-eslint/no-explicit-any");
  });

  it("refuses a hook effect with a missing dependency", async () => {
    const code =
      'import { useEffect } from "react";\n' +
      "export function Probe(props: { n: number }) {\n  useEffect(() => {\n    console.log(props.n);\n  }, []);\n  return null;\n}\n";
    expect(await rulesHit("components/Probe.tsx", code)).toContain("react-hooks/exhaustive-deps");
  });

  it("refuses a hook called conditionally", async () => {
    const code = 'import { useState } from "react";\nexport function Probe(props: { on: boolean }) {\n  if (props.on) useState(0);\n  return null;\n}\n';
    expect(await rulesHit("components/Probe.tsx", code)).toContain("react-hooks/rules-of-hooks");
  });
});
