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

  it("turns special token texts into single ids", () => {
    expect(tok.encode(`${TOK.BOS}${TOK.FRAME}`)).toEqual([n, n + 100]);
  });

  it("applies merges by rank within each pre-token", () => {
    const rank = (s: string) => 256 + FIXTURE_MERGES.indexOf(s);
    expect(tok.encode("return")).toEqual([rank("return")]);
    expect(tok.encode("hello")).toEqual([rank("hello")]);
    // " f" is one pre-token under the Llama 3 split and one merge.
    expect(tok.encode("def f")).toEqual([rank("def"), rank(" f")]);
  });

  it("round-trips a whole prompt with code, accents, emoji and special tokens", () => {
    const p = buildPrompt("def f(s):\n    return s + 'é😀'\n", "f('naïve')").withBos;
    const ids = tok.encode(p);
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
