import { describe, expect, it } from "vitest";
import { loadSavedDrafts, MAX_SAVED_DRAFTS, storeSavedDrafts, withSavedDraft, worthSaving } from "@/lib/playground/drafts";

const NOW = new Date("2026-12-05T12:00:00Z");

describe("saved drafts", () => {
  it("saves the newest draft first", () => {
    const list = withSavedDraft(withSavedDraft([], { code: "a", call: "" }, NOW), { code: "b", call: "" }, NOW);
    expect(list.map((d) => d.code)).toEqual(["b", "a"]);
  });

  it("moves an identical draft to the front instead of repeating it", () => {
    let list = withSavedDraft([], { code: "a", call: "" }, NOW);
    list = withSavedDraft(list, { code: "b", call: "" }, NOW);
    list = withSavedDraft(list, { code: "a", call: "" }, NOW);
    expect(list.map((d) => d.code)).toEqual(["a", "b"]);
  });

  it("keeps at most the bound, dropping the oldest", () => {
    let list = withSavedDraft([], { code: "first", call: "" }, NOW);
    for (let i = 0; i < MAX_SAVED_DRAFTS; i++) list = withSavedDraft(list, { code: `c${i}`, call: "" }, NOW);
    expect(list).toHaveLength(MAX_SAVED_DRAFTS);
    expect(list.some((d) => d.code === "first")).toBe(false);
  });

  it("round-trips through storage and ignores garbage", () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    storeSavedDrafts(storage, withSavedDraft([], { code: "x", call: "f()" }, NOW));
    expect(loadSavedDrafts(storage)[0]).toMatchObject({ code: "x", call: "f()" });
    store.set("cwm-playground:drafts:v1", "{not json");
    expect(loadSavedDrafts(storage)).toEqual([]);
  });

  it("an unchanged example is not worth saving", () => {
    expect(worthSaving({ code: "ex", call: "" }, "ex", { code: "other", call: "" })).toBe(false);
  });

  it("the user's own code is worth saving before it is replaced", () => {
    expect(worthSaving({ code: "mine", call: "" }, null, { code: "ex", call: "" })).toBe(true);
  });

  it("an edited example is worth saving", () => {
    expect(worthSaving({ code: "ex edited", call: "" }, "ex", { code: "other", call: "" })).toBe(true);
  });

  it("an empty editor is not worth saving", () => {
    expect(worthSaving({ code: "  ", call: "" }, null, { code: "ex", call: "" })).toBe(false);
  });
});
