import { describe, expect, it } from "vitest";
import type { LessonView, QuestionView } from "../lesson-view";
import type { LivePhase } from "../protocol";
import { participantState, sortHistogram, teacherState, type SessionFacts } from "../state";

const q: QuestionView = {
  slide: 0,
  question: 0,
  info: { kind: "return", prompt: "What does `f(3)` return?", line: null, name: null, code: "def f(n):\n    return n\n", call: "f(3)" },
  key: { real: "3", expected: { kind: "literal", repr: "3" }, model: { answer: "4", label: "CWM (vLLM)", correct: false, expected: { kind: "literal", repr: "4" } } },
};
const lesson: LessonView = {
  id: "L".repeat(16),
  title: "t",
  questionCounts: [1, 0],
  at: (s, i) => (s === 0 && i === 0 ? q : null),
  all: () => [q],
};
const facts = (phase: LivePhase, slide = 0): SessionFacts => ({
  phase,
  slide,
  question: 0,
  code: "ABC234",
  participants: 3,
  histogram: [{ answer: "3", count: 2 }],
});

describe("live state by role", () => {
  it("a participant's state has no answer in any phase before revealed", () => {
    for (const phase of ["lobby", "open", "locked", "ended"] as const) {
      const s = participantState(facts(phase), lesson);
      expect(s.reveal).toBeNull();
      expect(JSON.stringify(s)).not.toMatch(/"real"|"key"|"histogram"|CWM/);
    }
  });
  it("after the reveal a participant gets reality's and the model's answers", () => {
    expect(participantState(facts("revealed"), lesson).reveal).toEqual(q.key);
  });
  it("the teacher always has the key, the histogram and the code", () => {
    const s = teacherState(facts("open"), lesson, "http://x/join?code=ABC234");
    expect(s.key).toEqual(q.key);
    expect(s.reveal).toBeNull();
    expect(s.histogram).toEqual([{ answer: "3", count: 2 }]);
    expect(s.code).toBe("ABC234");
    expect(s.answered).toBe(2);
  });
  it("a slide without questions has no question info and no key", () => {
    const s = teacherState(facts("lobby", 1), lesson, "u");
    expect(s.info).toBeNull();
    expect(s.key).toBeNull();
    expect(s.questions).toBe(0);
  });
  it("histograms put the most frequent answer first, ties in text order", () => {
    expect(
      sortHistogram([
        { answer: "b", count: 1 },
        { answer: "c", count: 3 },
        { answer: "a", count: 1 },
      ]),
    ).toEqual([
      { answer: "c", count: 3 },
      { answer: "a", count: 1 },
      { answer: "b", count: 1 },
    ]);
  });
});
