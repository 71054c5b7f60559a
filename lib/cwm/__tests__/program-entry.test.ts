/** The entry wrapper's name: `main` unless the user's own code uses that name (issue 9). */
import { describe, expect, it } from "vitest";
import { buildProgram, identifiers, MAIN_DEF } from "@/lib/cwm/program";
import { buildPrompt } from "@/lib/cwm/prompt";

describe("entry wrapper name", () => {
  it("stays main when the code has no identifier main, so recorded prompts keep their bytes", () => {
    const p = buildProgram("def f(x):\n    return x\n", "f(1)");
    expect(p.entry).toBe("main");
    expect(p.program).toBe(`def f(x):\n    return x\n${MAIN_DEF}  # << START_OF_TRACE\n    return f(1)\n`);
  });

  it("is renamed when the user defines main, so the call reaches the user's main", () => {
    const p = buildProgram("def main(n):\n    return n + 1\n", "main(1)");
    expect(p.entry).toBe("main_");
    expect(p.entryDef).toBe("def main_():");
    expect(p.program).toContain("def main_():  # << START_OF_TRACE\n    return main(1)\n");
    expect(buildPrompt("def main(n):\n    return n + 1\n", "main(1)").text).toContain("<|action_sep|>def main_():\n");
  });

  it("skips every name the code already uses", () => {
    expect(buildProgram("main = 1\nmain_ = 2\ndef f():\n    return main + main_\n", "f()").entry).toBe("main__");
  });

  it("ignores main inside strings and comments", () => {
    expect(buildProgram("def f():\n    # main\n    return 'main' + \"\"\"main\"\"\"\n", "f()").entry).toBe("main");
  });

  it("keeps main in script mode, where the user's code is the wrapper's body", () => {
    expect(buildProgram("def main():\n    return 1\nprint(main())\n").entry).toBe("main");
  });

  it("finds identifiers in one pass over hostile input", () => {
    const src = `${"'".repeat(20_000)}main${'"""'.repeat(10_000)}`;
    expect(identifiers(src).size).toBeLessThanOrEqual(1);
    expect(identifiers("xmain mainly main2 main").has("main")).toBe(true);
    expect(identifiers("xmain mainly main2").has("main")).toBe(false);
  });
});
