/** `cwm trace --edit K:NAME=EXPR` and `"edit"` on --jsonl lines, run as a person would. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CanonicalTrace } from "@/lib/trace/schema";
import { runCli } from "./run-cli";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-trace-edit-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
}

const SUM = "def f(xs):\n    s = 0\n    for n in xs:\n        s += n\n    return s\n";

describe("cwm trace --edit", () => {
  it("applies the edit and prints the counterfactual trace with its edit report", async () => {
    const file = write("sum.py", SUM);
    const r = await runCli(["trace", file, "--call", "f([1, 2, 3])", "--edit", "7:s=100"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const t = CanonicalTrace.parse(JSON.parse(r.stdout));
    expect(t.result).toBe("105");
    expect(t.frames[7].locals).toEqual({ xs: "[1, 2, 3]", s: "100", n: "2" });
    expect(t.edit).toEqual({ at: 7, name: "s", value: "100", applied: true, repr: "100" });
  }, 60_000);

  it("keeps '=' and spaces inside the value, and edits script mode", async () => {
    const file = write("script.py", "x = 'a'\nprint(x)\n");
    const r = await runCli(["trace", file, "--edit", "2:x='k = v'"]);
    expect(r.code).toBe(0);
    const t = CanonicalTrace.parse(JSON.parse(r.stdout));
    expect(t.stdout).toBe("k = v\n");
    expect(t.edit).toMatchObject({ at: 2, name: "x", value: "'k = v'", applied: true });
  }, 60_000);

  it("still traces when the edit cannot apply, and says why in the trace", async () => {
    const file = write("sum2.py", SUM);
    const r = await runCli(["trace", file, "--call", "f([1, 2])", "--edit", "5:s=__import__('os')"]);
    expect(r.code).toBe(0);
    const t = CanonicalTrace.parse(JSON.parse(r.stdout));
    expect(t.result).toBe("3");
    expect(t.edit?.applied).toBe(false);
    expect(t.edit?.error).toMatch(/is not a Python literal/);
  }, 60_000);

  for (const [flag, why] of [
    ["5s=1", /--edit needs K:NAME=EXPR/],
    ["x:s=1", /--edit needs K:NAME=EXPR/],
    ["-1:s=1", /--edit needs K:NAME=EXPR/],
    ["5:=1", /the name is empty/],
    ["5:s=", /the value is empty/],
    ["5:s=   ", /the value is empty/],
    ["99999999999999999999:s=1", /frame index 99999999999999999999 is too large/],
  ] as const) {
    it(`exits 2 on --edit "${flag}" with a clear message`, async () => {
      const file = write("any.py", SUM);
      // --edit=… so that node:util's parseArgs takes "-1:…" as the value, not as an option.
      const r = await runCli(["trace", file, "--call", "f([1])", `--edit=${flag}`]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(why);
    }, 60_000);
  }

  it("refuses --edit with --jsonl and points to the line field", async () => {
    const input = write("x.jsonl", `${JSON.stringify({ id: 1, code: SUM, call: "f([1])" })}\n`);
    const r = await runCli(["trace", "--jsonl", input, "--edit", "1:s=1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--edit is for one FILE\.py; in --jsonl give a line "edit"/);
  }, 60_000);
});

describe('cwm trace --jsonl with "edit" on a line', () => {
  it("edits the lines that ask for it; a bad edit fails that line only", async () => {
    const input = write(
      "edits.jsonl",
      [
        JSON.stringify({ id: "edited", code: SUM, call: "f([1, 2, 3])", edit: { at: 7, name: "s", value: "100" } }),
        JSON.stringify({ id: "bad", code: SUM, call: "f([1, 2, 3])", edit: { at: -1, name: "s", value: "100" } }),
        JSON.stringify({ id: "crux", code: SUM, input: "[4, 5]", edit: { at: 2, name: "xs", value: "[1]" } }),
        JSON.stringify({ id: "plain", code: SUM, call: "f([1, 2, 3])" }),
      ].join("\n"),
    );
    const r = await runCli(["trace", "--jsonl", input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/edits\.jsonl:2: bad "edit", expected \{"at": K/);
    expect(r.stderr).toContain("1 of 4 lines skipped");
    const out = r.stdout
      .trim()
      .split("\n")
      .map((l) => {
        const { id, ...trace } = JSON.parse(l) as { id: string } & Record<string, unknown>;
        return { id, t: CanonicalTrace.parse(trace) };
      });
    expect(out.map((o) => o.id)).toEqual(["edited", "crux", "plain"]);
    expect(out[0].t.result).toBe("105");
    expect(out[0].t.edit?.applied).toBe(true);
    expect(out[1].t.result).toBe("1");
    expect(out[1].t.edit).toMatchObject({ at: 2, name: "xs", applied: true });
    expect(out[2].t.result).toBe("6");
    expect(out[2].t.edit).toBeUndefined();
  }, 60_000);
});
