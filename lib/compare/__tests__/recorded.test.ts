/**
 * A real free-running failure recorded from CWM (counter_N3.json in the shared data): the model
 * invents the loop bound (7 instead of 3) and runs four iterations too many.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Frame } from "@/lib/trace/schema";
import { compareTraces } from "../compare";
import { SHARED_DATA } from "@/test/shared-data";
import { actual, predicted } from "./build";

const FILE = path.join(SHARED_DATA, "cwm-recorded/counter_N3.json");

const RecordedFrame = z.tuple([z.string(), z.string(), z.record(z.string(), z.string()), z.string().nullable()]);
const Recorded = z.object({ source: z.string(), gt: z.array(RecordedFrame), pred: z.array(RecordedFrame) });

/** Its conventions differ (upper-case events, the marker kept, locals on return frames): convert. */
function toFrames(rows: z.infer<typeof RecordedFrame>[]): Frame[] {
  return rows.map(([ev, source, locals, value]) => {
    const event = ev.toLowerCase() as Frame["event"];
    return event === "return" || event === "exception"
      ? { event, line: null, source, value: value ?? "None" }
      : { event, line: null, source, locals };
  });
}

describe.skipIf(!existsSync(FILE))("recorded CWM run counter_N3", () => {
  const rec = existsSync(FILE) ? Recorded.parse(JSON.parse(readFileSync(FILE, "utf8"))) : null;
  const a = () => actual(toFrames(rec!.gt));
  const p = () => predicted(toFrames(rec!.pred));

  it("scores the invented iterations positionally as comparison.md defines", () => {
    const m = compareTraces(a(), p()).metrics;
    // |A| = 19, |P| = 35: n = 35. Actions agree on frames 0..16 (the marker is ignored on frame 0),
    // then A has `return` where P starts a fourth iteration: 17/35.
    expect(m.action_exact).toBeCloseTo(17 / 35, 12);
    // Every predicted state carries steps = 7: no state is exact.
    expect(m.state_exact).toBe(0);
    // Keys: equal on 0..17, frame 18 is A's return (no locals) against a line: (17 + 1) / 35.
    expect(m.key_match).toBeCloseTo(18 / 35, 12);
    // Pairs: frames 0, 1: 0 of 2 → 0; 2: 1/3; 3: 2/4; 4: 3/5; 5..16 (12 frames): 4/6 each → 8;
    // 17: a, b, c agree of 7 in the union → 3/7; 18: 0. Sum 2071/210, over 35.
    expect(m.key_value_match).toBeCloseTo(2071 / 210 / 35, 12);
    expect(m.first_divergence).toBe(0);
    expect(m.output_correct).toBe(false);
  });

  it("aligns the three real iterations and shows the four invented ones as one predicted-only block", () => {
    const rows = compareTraces(a(), p()).alignment.rows;
    const inserted = rows.filter((r) => r.kind === "insert").map((r) => (r.kind === "insert" ? r.p : -1));
    expect(inserted).toEqual(Array.from({ length: 16 }, (_, k) => 17 + k));
    expect(rows.filter((r) => r.kind === "delete")).toHaveLength(0);
    expect(rows[rows.length - 1]).toMatchObject({ kind: "match", a: 18, p: 34, value: { actual: "(40, 57, 83)", predicted: "(80, 24, 4)" } });
    // Matched frames name the wrong bound as the difference.
    expect(rows[0]).toMatchObject({ kind: "match", diffs: [{ name: "steps", kind: "different", actual: "3", predicted: "7" }] });
  });
});
