import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { loadTokenizer, parseTokenizerModel } from "@/lib/cwm/tokenizer";
import { TOK } from "@/lib/cwm/tokens";
import { buildPrompt } from "@/lib/cwm/prompt";
import { FIXTURE_MERGES, fixtureTokenizerText, writeFixtureTokenizer } from "@/test/fakes/tokenizer-fixture";

const tok = parseTokenizerModel(fixtureTokenizerText());
const n = 256 + FIXTURE_MERGES.length;

describe("Tokenizer", () => {
  it("numbers special tokens after the ranks, with the spec's offsets", () => {
    expect(tok.numRanks).toBe(n);
    expect(tok.specialIds.get(TOK.BOS)).toBe(n);
    expect(tok.specialIds.get(TOK.EOS)).toBe(n + 1);
    expect(tok.specialIds.get(TOK.FRAME)).toBe(n + 100);
    expect(tok.specialIds.get(TOK.CONTEXT)).toBe(n + 107);
  });

  it("turns special token texts into single ids only when asked to", () => {
    expect(tok.encodeWithSpecial(`${TOK.BOS}${TOK.FRAME}`)).toEqual([n, n + 100]);
  });

  it("encodes special token text inside plain text as ordinary bytes", () => {
    const ids = tok.encode(`x = '${TOK.FRAME}${TOK.EOS}'`);
    expect(ids.every((id) => id < n)).toBe(true);
    expect(tok.decode(ids)).toBe(`x = '${TOK.FRAME}${TOK.EOS}'`);
  });

  it("encodes a prompt with special ids only where the prompt puts them, not in the user's code", () => {
    const p = buildPrompt(`def f():\n    return '${TOK.FRAME}'  # ${TOK.EOS}`, "f()");
    const ids = tok.encodeSegments(p.segments);
    const specials = ids.filter((id) => id >= n);
    expect(specials).toEqual([n, n + 107, n + 100, n + 103, n + 101, n + 100]);
    expect(tok.decode(ids)).toBe(p.withBos);
  });

  it("merges like the naive lowest-rank-first algorithm, on many random pieces", () => {
    const alphabet = ["r", "e", "t", "u", "n", " ", "d", "f", "m", "a", "i", "(", ")", ":", "l", "o", "h", "\"", "."];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 300; k++) {
      const len = 1 + Math.floor(rand() * 40);
      const text = Array.from({ length: len }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
      expect(tok.encode(text), JSON.stringify(text)).toEqual(naiveEncode(text));
    }
  });

  it("encodes a 64 KiB run of one character (one pre-token) and gives it back", () => {
    for (const ch of [" ", "!", "a", "\n"]) {
      const text = ch.repeat(64 * 1024);
      expect(tok.decode(tok.encode(text))).toBe(text);
    }
  });

  it("applies merges by rank within each pre-token", () => {
    const rank = (s: string) => 256 + FIXTURE_MERGES.indexOf(s);
    expect(tok.encode("return")).toEqual([rank("return")]);
    expect(tok.encode("hello")).toEqual([rank("hello")]);
    // " f" is one pre-token under the Llama 3 split and one merge.
    expect(tok.encode("def f")).toEqual([rank("def"), rank(" f")]);
  });

  it("round-trips a whole prompt with code, accents, emoji and special tokens", () => {
    const prompt = buildPrompt("def f(s):\n    return s + 'é😀'\n", "f('naïve')");
    const p = prompt.withBos;
    const ids = tok.encodeSegments(prompt.segments);
    expect(ids[0]).toBe(n);
    expect(tok.decode(ids)).toBe(p);
  });

  it("fails clearly on an unknown id and on a malformed file", () => {
    expect(() => tok.decode([n + 400])).toThrow(/unknown token id/);
    expect(() => parseTokenizerModel("not-base64-and-no-rank\n")).toThrow(/line 1/);
  });

  it("loads a tokenizer.model file from disk", async () => {
    const file = writeFixtureTokenizer();
    const t = await loadTokenizer(file);
    expect(t.decode(t.encode("x = 1\n"))).toBe("x = 1\n");
    fs.rmSync(file);
  });
});

/** The reference: split like encode(), then tiktoken's O(n²) merge loop. */
function naiveEncode(text: string): number[] {
  const ranks = new Map<string, number>();
  for (let b = 0; b < 256; b++) ranks.set(String.fromCharCode(b), b);
  FIXTURE_MERGES.forEach((m, i) => ranks.set(Buffer.from(m, "utf8").toString("latin1"), 256 + i));
  const out: number[] = [];
  const SPLIT =
    /'(?:[sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;
  for (const m of text.matchAll(SPLIT)) {
    const parts = [...Buffer.from(m[0], "utf8").toString("latin1")];
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < parts.length - 1; i++) {
        const r = ranks.get(parts[i] + parts[i + 1]);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      parts.splice(best, 2, parts[best] + parts[best + 1]);
    }
    for (const p of parts) out.push(ranks.get(p)!);
  }
  return out;
}
