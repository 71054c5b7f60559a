import { describe, expect, it } from "vitest";
import { bracketDelta, lineShape, looksLikeComprehension, matchingBracket, simpleAssignment, simpleCall, stripComment } from "@/lib/cwm/pyscan";

/** The regular expression looksLikeComprehension replaces; fine on short lines, cubic on long ones. */
const OLD_COMPREHENSION = /[[{(].*\bfor\b.*\bin\b/;

describe("the line scanner", () => {
  it("strips a comment but not a # inside a string", () => {
    expect(stripComment("x = '#a' # note")).toBe("x = '#a'");
    expect(stripComment('s = "a\\"#"  ')).toBe('s = "a\\"#"');
  });

  it("reads a compound statement's keyword, async included, and whether it opens a block", () => {
    expect(lineShape("    async def f(x={'a': 1}):  # c")).toMatchObject({ indent: 4, keyword: "async", head: "def", opensBlock: true });
    expect(lineShape("else: return x")).toMatchObject({ keyword: "else", opensBlock: false });
    expect(lineShape("    # only a comment").code).toBe("");
  });

  it("reads a plain assignment and nothing else", () => {
    expect(simpleAssignment("x = [1, 2]  # c")).toEqual({ name: "x", value: "[1, 2]" });
    expect(simpleAssignment("__proto__ = 1")).toEqual({ name: "__proto__", value: "1" });
    expect(simpleAssignment("x == 1")).toBeNull();
    expect(simpleAssignment("x += 1")).toBeNull();
    expect(simpleAssignment("x =")).toBeNull();
  });

  it("reads a call of a name", () => {
    expect(simpleCall(" f([1, (2, 3)]) ")).toEqual({ name: "f", args: "[1, (2, 3)]" });
    expect(simpleCall("f(1) + g(2)")).toEqual({ name: "f", args: "1) + g(2" });
    expect(simpleCall("obj.f(1)")).toBeNull();
  });

  it("matches brackets outside strings", () => {
    const s = "def f(a=')', b=(1, 2)) -> (int): pass";
    expect(s[matchingBracket(s, s.indexOf("("))]).toBe(")");
    expect(matchingBracket(s, s.indexOf("("))).toBe(s.indexOf(" -> ") - 1);
    expect(bracketDelta("x = [1, (2,  # ]")).toBe(2);
  });

  it("finds comprehension lines exactly as the old regular expression did", () => {
    const alphabet = ["(", "[", "{", "for", "in", " ", "x", "_", "\n", "\u2028", "fo", "r", "i", "n"];
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 5000; k++) {
      const s = Array.from({ length: 1 + Math.floor(rand() * 12) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
      expect(looksLikeComprehension(s), JSON.stringify(s)).toBe(OLD_COMPREHENSION.test(s));
    }
  });

  it("reads a 64 KiB line of brackets and fors in one pass", () => {
    const line = `${"(".repeat(30_000)}${" for ".repeat(6_000)}x`;
    expect(looksLikeComprehension(line)).toBe(false);
    expect(looksLikeComprehension(`${line} in y`)).toBe(true);
  });
});
