import { describe, expect, it } from "vitest";
import { changedKeys, previousInScope } from "@/lib/trace/scopes";
import type { Frame } from "@/lib/trace/schema";

const call = (source: string, locals: Record<string, string>): Frame => ({ event: "call", line: 1, source, locals });
const line = (source: string, locals: Record<string, string>): Frame => ({ event: "line", line: 2, source, locals });
const ret = (source: string, value: string): Frame => ({ event: "return", line: 3, source, value });

describe("previousInScope", () => {
  it("links a line frame to the previous frame of its own function, skipping a nested call", () => {
    const frames = [
      call("def main():", {}),
      line("    return f(2)", {}),
      call("def f(n):", { n: "2" }),
      line("    return n", { n: "2" }),
      ret("    return n", "2"),
      ret("    return f(2)", "2"),
    ];
    expect(Array.from(previousInScope(frames))).toEqual([-1, 0, -1, 2, 3, 1]);
  });

  it("starts a scope at a line frame when the trace has no call frame", () => {
    expect(Array.from(previousInScope([line("a", {}), line("b", {})]))).toEqual([-1, 0]);
  });
});

describe("changedKeys", () => {
  it("marks new and changed names but not unchanged ones", () => {
    const frames = [call("def f(n):", { n: "1" }), line("    s = 0", { n: "1" }), line("    s += n", { n: "1", s: "0" }), line("    return s", { n: "1", s: "1" })];
    const prev = previousInScope(frames);
    expect([...changedKeys(frames, prev, 1)]).toEqual([]);
    expect([...changedKeys(frames, prev, 2)]).toEqual(["s"]);
    expect([...changedKeys(frames, prev, 3)]).toEqual(["s"]);
  });
});
