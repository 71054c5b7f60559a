/** The built-in lessons: their stored traces are what our tracer writes, and every question lands on a real frame. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeTracer, type NodeTracer } from "@/lib/executor/node";
import { BUILTIN_LESSONS } from "@/lib/classroom/builtin";
import { resolveQuestion } from "@/lib/classroom/builtin/resolve";
import { traceBuiltins } from "@/lib/classroom/builtin/trace";
import { NO_PREDICTION_NOTE } from "@/lib/classroom/builtin/types";
import { CreateLessonBody } from "@/lib/storage/lesson-schema";
import { RunId } from "@/lib/storage/schema";
import type { CanonicalTrace } from "@/lib/trace/schema";
import traces from "@/lib/classroom/builtin/traces.json";

const stored = traces as Record<string, CanonicalTrace>;

describe("built-in lesson definitions", () => {
  it("has the three lessons of issue 11 under fixed ids that are valid run ids", () => {
    expect(BUILTIN_LESSONS.map((l) => l.id)).toEqual(["builtin-lesson-loops", "builtin-lesson-pitfalls", "builtin-lesson-halting"]);
    for (const l of BUILTIN_LESSONS) {
      expect(RunId.safeParse(l.id).success, l.id).toBe(true);
      for (const s of l.slides) expect(RunId.safeParse(s.runId).success, s.runId).toBe(true);
    }
  });

  it("gives every lesson 2 to 5 slides, and no two slides the same run id", () => {
    const ids = BUILTIN_LESSONS.flatMap((l) => l.slides.map((s) => s.runId));
    expect(new Set(ids).size).toBe(ids.length);
    for (const l of BUILTIN_LESSONS) {
      expect(l.slides.length, l.id).toBeGreaterThanOrEqual(2);
      expect(l.slides.length, l.id).toBeLessThanOrEqual(5);
    }
  });

  it("opens every lesson with how to get a model prediction (none ships with it)", () => {
    for (const l of BUILTIN_LESSONS) expect(l.slides[0].notes.startsWith(NO_PREDICTION_NOTE), l.id).toBe(true);
  });

  it("passes the lesson API's own rules once questions are resolved", () => {
    for (const l of BUILTIN_LESSONS) {
      const slides = l.slides.map((s, i) => ({
        run: s.runId,
        notes: s.notes,
        questions: s.questions.map((q, j) => resolveQuestion(q, stored[s.runId].frames, `${l.id} ${i} ${j}`)),
      }));
      expect(CreateLessonBody.safeParse({ title: l.title, slides }).success, l.id).toBe(true);
      for (const s of slides) expect(s.questions.length, s.run).toBeGreaterThanOrEqual(1);
    }
  });

  it("has a halting lesson with a program that never ends and ones that do", () => {
    const halting = BUILTIN_LESSONS.find((l) => l.id === "builtin-lesson-halting")!;
    const statuses = halting.slides.map((s) => stored[s.runId].status);
    expect(statuses).toContain("step_limit");
    expect(statuses).toContain("returned");
  });

  it("shows Python 3.12+ inlining a comprehension: its line repeats in the function's own frames", () => {
    const t = stored["builtin-pitfalls-comprehension"];
    expect(t.frames.filter((f) => f.event === "call").length).toBe(2);
    expect(t.frames.filter((f) => f.event === "line" && f.line === 2).length).toBeGreaterThan(1);
  });
});

describe("resolveQuestion", () => {
  const frames = stored["builtin-loops-sum-range"].frames;
  it("counts visits of a line from the start (1) or the end (-1)", () => {
    const visits = frames.flatMap((f, i) => (f.event === "line" && f.line === 4 ? [i] : []));
    expect(resolveQuestion({ kind: "value", line: 4, name: "s", visit: 3 }, frames, "t")).toEqual({ kind: "value", frame: visits[2], name: "s" });
    expect(resolveQuestion({ kind: "next_line", line: 4, visit: -1 }, frames, "t")).toEqual({ kind: "next_line", frame: visits.at(-1) });
  });
  it("names the slide when the line does not run that often", () => {
    expect(() => resolveQuestion({ kind: "value", line: 4, name: "s", visit: 9 }, frames, "loops slide 0")).toThrow(
      /loops slide 0: line 4 runs 4 times; there is no visit 9/,
    );
  });
  it("names the slide when the local does not exist yet", () => {
    expect(() => resolveQuestion({ kind: "value", line: 2, name: "s" }, frames, "loops slide 0")).toThrow(/loops slide 0: "s" is not a local/);
  });
});

describe("traces.json (golden)", () => {
  let tracer: NodeTracer;
  beforeAll(async () => {
    tracer = await createNodeTracer();
  }, 120_000);
  afterAll(async () => {
    await tracer?.close();
  });

  it("is exactly what the tracer writes now (else: npx tsx lib/classroom/builtin/write-traces.ts)", async () => {
    expect(await traceBuiltins(tracer, BUILTIN_LESSONS)).toEqual(stored);
  }, 120_000);
});
