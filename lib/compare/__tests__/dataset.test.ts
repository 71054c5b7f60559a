import { describe, expect, it } from "vitest";
import { parseDataset } from "../dataset";

describe("parseDataset", () => {
  it("reads CRUXEval records as the call f(<input>) with the expected output", () => {
    const { programs, errors } = parseDataset('{"id": "sample_0", "code": "def f(x):\\n    return x", "input": "[1, 2]", "output": "[1, 2]"}\n');
    expect(errors).toEqual([]);
    expect(programs).toEqual([{ id: "sample_0", code: "def f(x):\n    return x", call: "f([1, 2])", expected: "[1, 2]" }]);
  });

  it("reads {id, code, call} records as given", () => {
    const { programs } = parseDataset('{"id": "a", "code": "def g():\\n    return 1", "call": "g()"}');
    expect(programs).toEqual([{ id: "a", code: "def g():\n    return 1", call: "g()", expected: null }]);
  });

  it("names the line of a bad record and keeps the others", () => {
    const text = ['{"id": "a", "code": "", "call": "f()"}', "{oops", '{"id": "b", "code": ""}', "", '{"id": "a", "code": "", "call": "g()"}', '{"id": "c", "code": "", "input": "1"}'].join("\n");
    const { programs, errors } = parseDataset(text);
    expect(programs.map((p) => p.id)).toEqual(["a", "c"]);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 5]);
    expect(errors[0].message).toMatch(/^not JSON/);
    expect(errors[1].message).toContain('"call" or "input"');
    expect(errors[2].message).toBe('duplicate id "a"');
  });
});
