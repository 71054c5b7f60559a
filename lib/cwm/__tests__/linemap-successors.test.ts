import { describe, expect, it } from "vitest";
import { LineMapper } from "@/lib/cwm/linemap";
import { buildProgram } from "@/lib/cwm/program";

const mapperOf = (code: string) => new LineMapper(buildProgram(code, "f(1)"));

describe("LineMapper picks among identical lines the one that can run next", () => {
  const branches = ["def f(r, w):", "    a = []", "    if r:", "        a.append(r)", "        a.append(w)", "    else:", "        a.append(w)", "        a.append(r)", "    return a"].join("\n");

  it("after a false condition, the else branch's copy of a line, not the if branch's second statement", () => {
    expect(mapperOf(branches).map("        a.append(w)", { last: 3 })).toBe(7);
  });

  it("after the if branch's first statement, its own next line", () => {
    expect(mapperOf(branches).map("        a.append(w)", { last: 4 })).toBe(5);
  });

  const loops = ["def f(nums, mos):", "    for num in mos:", "        nums.pop()", "    nums.sort()", "    for num in mos:", "        nums.append(num)", "    return nums"].join("\n");

  it("from a loop body back to its own head, not the identical head of the next loop", () => {
    expect(mapperOf(loops).map("    for num in mos:", { last: 3 })).toBe(2);
  });

  it("from the statement between the loops forward to the second head", () => {
    expect(mapperOf(loops).map("    for num in mos:", { last: 4 })).toBe(5);
  });

  it("lists the statement after an if/else among the successors of the condition", () => {
    expect([...mapperOf(branches).successors(3)].sort((a, b) => a - b)).toEqual([4, 7, 9]);
  });
});
