/** The trace's optional `edit` field: stored runs without it stay valid; the runs API keeps it. */
import { describe, expect, it } from "vitest";
import { CanonicalTrace } from "@/lib/trace/schema";
import { CreateRunBody } from "@/lib/storage/schema";
import { EditSpec } from "@/lib/executor/protocol";

const base = { status: "returned", frames: [], result: "1", error: null, stdout: "" } as const;
const edit = { at: 3, name: "s", value: "100", applied: true, repr: "100" };

describe("CanonicalTrace.edit", () => {
  it("is optional: a trace stored before edits existed still parses", () => {
    expect(CanonicalTrace.parse(base)).toEqual(base);
  });

  it("accepts an applied edit and an unapplied one with its reason", () => {
    expect(CanonicalTrace.parse({ ...base, edit }).edit).toEqual(edit);
    const failed = { at: 9, name: "q", value: "x", applied: false, error: "the value \"x\" is not a Python literal" };
    expect(CanonicalTrace.parse({ ...base, edit: failed }).edit).toEqual(failed);
  });

  it("rejects unknown keys, a negative or fractional frame, a missing verdict", () => {
    expect(CanonicalTrace.safeParse({ ...base, edit: { ...edit, extra: 1 } }).success).toBe(false);
    expect(CanonicalTrace.safeParse({ ...base, edit: { ...edit, at: -1 } }).success).toBe(false);
    expect(CanonicalTrace.safeParse({ ...base, edit: { ...edit, at: 1.5 } }).success).toBe(false);
    const { applied: _a, ...noVerdict } = edit;
    expect(CanonicalTrace.safeParse({ ...base, edit: noVerdict }).success).toBe(false);
  });

  it("goes through the runs API body (POST /api/runs) unchanged", () => {
    const body = CreateRunBody.parse({ code: "def f():\n    return 1\n", call: "f()", actual: { ...base, edit } });
    expect(body.actual.edit).toEqual(edit);
  });
});

describe("EditSpec (what a run is asked to edit)", () => {
  it("accepts a frame index, a name and a literal's text", () => {
    expect(EditSpec.parse({ at: 0, name: "x", value: "[1, 2]" })).toEqual({ at: 0, name: "x", value: "[1, 2]" });
  });

  it("rejects empty names and values, oversized values, extra keys and non-integer frames", () => {
    for (const bad of [
      { at: 0, name: "", value: "1" },
      { at: 0, name: "x", value: "" },
      { at: 0, name: "x", value: "1".repeat(10_001) },
      { at: 0, name: "x", value: "1", applied: true },
      { at: "3", name: "x", value: "1" },
      { at: 2.5, name: "x", value: "1" },
    ]) {
      expect(EditSpec.safeParse(bad).success).toBe(false);
    }
  });
});
