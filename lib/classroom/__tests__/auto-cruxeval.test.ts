/**
 * `--questions auto` on real CRUXEval programs (executed in Pyodide) with the recorded CWM
 * generations: every question is askable, and where the model goes wrong the first question
 * is about that very place.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTO_MAX_QUESTIONS, autoQuestions } from "@/lib/classroom/auto";
import { questionProblem } from "@/lib/storage/lesson-schema";
import { compareTraces } from "@/lib/compare/compare";
import { readJsonl, type RecordedLine } from "@/lib/cwm/__tests__/data";
import { createNodeTracer, type NodeTracer } from "@/lib/executor/node";
import { parseGeneration } from "@/lib/predictors/replay";
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";

/** Every fourth program: 200 of the 800, spread over the whole set. */
const recorded = readJsonl<RecordedLine>("cwm-recorded/cruxeval-800.jsonl").filter((_, i) => i % 4 === 0);

interface Case {
  id: string;
  code: string;
  actual: CanonicalTrace;
  predicted: PredictedTrace;
}

let tracer: NodeTracer;
const cases: Case[] = [];

beforeAll(async () => {
  tracer = await createNodeTracer();
  for (const r of recorded) {
    const call = `f(${r.input})`;
    const actual = await tracer.trace({ code: r.code, call });
    const predicted = parseGeneration(r.generation, { code: r.code, call }, { id: "replay", model: "facebook/cwm (recorded)" });
    cases.push({ id: r.id, code: r.code, actual, predicted });
  }
}, 300_000);
afterAll(async () => {
  await tracer?.close();
});

describe("autoQuestions on 200 CRUXEval programs with recorded CWM predictions", () => {
  it("picks 1 to 4 questions a program, each valid for the real trace, none twice", () => {
    expect(cases.length).toBe(200);
    for (const c of cases) {
      const qs = autoQuestions(c);
      expect(qs.length, c.id).toBeGreaterThanOrEqual(1);
      expect(qs.length, c.id).toBeLessThanOrEqual(AUTO_MAX_QUESTIONS);
      for (const q of qs) expect(questionProblem(q, c.actual.frames), `${c.id} ${JSON.stringify(q)}`).toBeNull();
      expect(new Set(qs.map((q) => JSON.stringify(q))).size, c.id).toBe(qs.length);
    }
  });

  it("asks first about the first place the model differs, when it differs in the program's own code", () => {
    let diverging = 0;
    let asked = 0;
    for (const c of cases) {
      const rows = compareTraces(c.actual, c.predicted).alignment.rows;
      const first = rows.find((r) => !(r.kind === "match" && r.same));
      if (!first) continue;
      diverging++;
      const q = autoQuestions(c)[0];
      if (q.kind === "value") {
        asked++;
        // The model's value of that local at the aligned frame is not reality's.
        const row = rows.find((r) => r.kind === "match" && r.a === q.frame);
        expect(row && row.kind === "match" && row.diffs.some((d) => d.name === q.name), `${c.id} ${JSON.stringify(q)}`).toBe(true);
      } else if (q.kind === "next_line") {
        asked++;
        const at = rows.findIndex((r) => (r.kind === "match" || r.kind === "delete") && r.a === q.frame);
        // Right after the frame asked about, the two traces part (a gap or a wrong value).
        const after = rows.slice(at + 1).find(() => true);
        expect(after && !(after.kind === "match" && after.same), `${c.id} ${JSON.stringify(q)}`).toBe(true);
      }
    }
    // The recorded model is wrong somewhere in a fair share of these programs, and nearly
    // every such place is in the program's own lines (not the wrapper), so a question exists.
    expect(diverging).toBeGreaterThan(10);
    expect(asked / diverging).toBeGreaterThan(0.8);
  });

  it("asks a mid-loop value question in most programs with a loop", () => {
    const looping = cases.filter((c) => {
      const lines = c.actual.frames.filter((f) => f.event === "line").map((f) => f.line);
      return new Set(lines).size < lines.length;
    });
    const withValue = looping.filter((c) => autoQuestions({ code: c.code, actual: c.actual }).some((q) => q.kind === "value"));
    expect(looping.length).toBeGreaterThan(50);
    expect(withValue.length / looping.length).toBeGreaterThan(0.9);
  });
});
