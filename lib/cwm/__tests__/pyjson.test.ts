import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { pyJsonObject, pyJsonString, parseJsonLocals, parseJsonString } from "@/lib/cwm/pyjson";

const SAMPLES = [
  "plain ascii",
  "café crème à la carte",
  "emoji 😀 and 🧪 beyond the BMP",
  `quotes " and ' and backslash \\ and \\n literally`,
  "newline\nreturn\rtab\tbackspace\bformfeed\f",
  "control \u0000 \u0001 \u001f \u007f \u0080 \u2028 \u2029",
  "'BYE\\nNO\\nWAY'",
  "",
  "日本語のテキスト",
  "lone surrogate-free mix: ñ € 𝄞",
];

function python(values: unknown): string[] {
  const out = execFileSync("python3", ["-c", "import json,sys\nfor v in json.load(sys.stdin): print(json.dumps(v))"], {
    input: JSON.stringify(values),
  });
  return out.toString("utf8").trimEnd().split("\n");
}

describe("pyjson", () => {
  it("writes strings exactly as Python's json.dumps", () => {
    expect(SAMPLES.map(pyJsonString)).toEqual(python(SAMPLES));
  });

  it("writes dicts of strings exactly as Python's json.dumps, keys in order", () => {
    const dicts: Record<string, string>[] = [{}, { s: "'abc'", n: "3" }, { ".0": "<str_ascii_iterator object>", "é": "'ü'", q: '"\\' }];
    expect(dicts.map(pyJsonObject)).toEqual(python(dicts));
  });

  it("reads back what it writes", () => {
    for (const s of SAMPLES) expect(parseJsonString(pyJsonString(s))).toBe(s);
    expect(parseJsonLocals(pyJsonObject({ a: "1", b: "'x'" }))).toEqual({ a: "1", b: "'x'" });
  });

  it("rejects JSON that is not a string or an object of strings", () => {
    expect(parseJsonString("3")).toBeNull();
    expect(parseJsonString(`"'!?'`)).toBeNull();
    expect(parseJsonLocals(`{"a": 1}`)).toBeNull();
    expect(parseJsonLocals(`["a"]`)).toBeNull();
    expect(parseJsonLocals(`{"a": "1"`)).toBeNull();
  });
});
