import { describe, expect, it } from "vitest";
import { executorVerdict, shortValue } from "@/lib/compare/halting";

describe("shortValue", () => {
  it("keeps runs of spaces, so results that differ only in spaces read differently", () => {
    expect(shortValue("'   '")).not.toBe(shortValue("' '"));
    expect(executorVerdict({ status: "returned", result: "'  a  '", error: null, frames: [] }).text).toBe("returned '  a  '");
  });

  it("shows line breaks of a custom repr as a visible mark and cuts long values", () => {
    expect(shortValue("a\nb")).toBe("a⏎b");
    expect(shortValue("x".repeat(200)).length).toBe(80);
  });
});

describe("executorVerdict of a run the user stopped", () => {
  it("says who stopped it instead of calling it a time limit", () => {
    const v = executorVerdict({ status: "time_limit", result: null, error: null, frames: [], notes: ["stopped by the user after 812 ms"] });
    expect(v).toEqual({ kind: "time_limit", text: "stopped by you after 0 steps" });
  });
});
