import { describe, expect, it } from "vitest";
import { draftFromHash, draftToHash, loadDraft, saveDraft } from "@/lib/playground/draft";
import { EXAMPLES } from "@/lib/playground/examples";

class MemoryStorage {
  items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
}

describe("draft", () => {
  it("survives a save and load through storage", () => {
    const s = new MemoryStorage();
    saveDraft(s, { code: "x = 'é😀'\n", call: "" });
    expect(loadDraft(s)).toEqual({ code: "x = 'é😀'\n", call: "" });
  });

  it("ignores a corrupt stored draft", () => {
    const s = new MemoryStorage();
    s.setItem("cwm-playground:draft:v1", "{not json");
    expect(loadDraft(s)).toBeNull();
  });

  it("round-trips unicode code and a call through the URL hash", () => {
    const d = { code: "def f(s):\n    return s + '→ ü 😀'\n", call: "f('a/b+c')" };
    expect(draftFromHash(draftToHash(d))).toEqual(d);
  });

  it("rejects a hash that is not base64url UTF-8", () => {
    expect(draftFromHash("#code=%%%")).toBeNull();
    expect(draftFromHash("#nothing=1")).toBeNull();
  });
});

describe("examples", () => {
  it("has at least 8 examples with unique ids, including a never-halting one", () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(8);
    expect(new Set(EXAMPLES.map((e) => e.id)).size).toBe(EXAMPLES.length);
    expect(EXAMPLES.some((e) => /never halts/i.test(e.title))).toBe(true);
  });
});
