import { describe, expect, it } from "vitest";
import { RecentRuns } from "@/lib/storage/recent-runs";

describe("RecentRuns", () => {
  it("returns what was set", () => {
    const r = new RecentRuns<string>(100);
    r.set("a", "A", 10);
    expect(r.get("a")).toBe("A");
    expect(r.get("b")).toBeUndefined();
  });

  it("drops the least recently used entries beyond its size budget", () => {
    const r = new RecentRuns<string>(30);
    r.set("a", "A", 10);
    r.set("b", "B", 10);
    r.set("c", "C", 10);
    r.get("a");
    r.set("d", "D", 10);
    expect([r.get("a"), r.get("b"), r.get("c"), r.get("d")]).toEqual(["A", undefined, "C", "D"]);
  });

  it("does not keep a value larger than the whole budget", () => {
    const r = new RecentRuns<string>(30);
    r.set("a", "A", 10);
    r.set("huge", "H", 31);
    expect(r.get("huge")).toBeUndefined();
    expect(r.get("a")).toBe("A");
  });

  it("replaces a key without counting it twice", () => {
    const r = new RecentRuns<string>(20);
    r.set("a", "A", 10);
    r.set("a", "A2", 10);
    r.set("b", "B", 10);
    expect([r.get("a"), r.get("b"), r.size]).toEqual(["A2", "B", 2]);
  });
});
