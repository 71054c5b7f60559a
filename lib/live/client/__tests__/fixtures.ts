/** Small hand-made states and a two-slide lesson for the live UI's pure-logic tests. */
import type { ParticipantState, TeacherState } from "@/lib/live/protocol";
import type { StoredLesson } from "@/lib/storage/lesson-schema";
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";

const INFO = {
  kind: "value" as const,
  prompt: "What is `s` when line 3 is about to run?",
  line: 3,
  name: "s",
  code: "def f(n):\n    s = 0\n    s += n\n    return s\n",
  call: "f(2)",
};

export function participant(over: Partial<ParticipantState> = {}): ParticipantState {
  return {
    role: "participant",
    phase: "open",
    lessonTitle: "Sums",
    slide: 0,
    slides: 2,
    question: 0,
    questions: 1,
    info: INFO,
    participants: 3,
    answered: 0,
    reveal: null,
    ...over,
  };
}

/** The same moment as `participant()`, seen from the teacher's screen. */
export function teacher(over: Partial<TeacherState> = {}): TeacherState {
  return {
    ...participant(),
    role: "teacher",
    key: { real: "0", expected: { kind: "literal", repr: "0" }, model: { answer: "0", label: "CWM", correct: true, expected: { kind: "literal", repr: "0" } } },
    histogram: [],
    code: "ABC234",
    joinUrl: "http://127.0.0.1:3000/join?code=ABC234",
    ...over,
  };
}

const actual: CanonicalTrace = {
  status: "returned",
  frames: [
    { event: "call", line: 1, source: "def f(n):", locals: { n: "2" } },
    { event: "line", line: 2, source: "    s = 0", locals: { n: "2" } },
    { event: "line", line: 3, source: "    s += n", locals: { n: "2", s: "0" } },
    { event: "line", line: 4, source: "    return s", locals: { n: "2", s: "2" } },
    { event: "return", line: 4, source: "    return s", value: "2" },
  ],
  result: "2",
  error: null,
  stdout: "",
};

/** A model that gets s right at line 3 and the return wrong (3). */
const predicted: PredictedTrace = {
  status: "returned",
  frames: [
    { event: "call", line: 1, source: "def f(n):", locals: { n: "2" } },
    { event: "line", line: 2, source: "    s = 0", locals: { n: "2" } },
    { event: "line", line: 3, source: "    s += n", locals: { n: "2", s: "0" } },
    { event: "line", line: 4, source: "    return s", locals: { n: "2", s: "3" } },
    { event: "return", line: 4, source: "    return s", value: "3" },
  ],
  result: "3",
  error: null,
  stdout: "",
  predictor: { id: "cwm-vllm", model: "facebook/cwm", label: "CWM (vLLM)" },
  finish: "eos",
  valid_format: true,
  valid_json: true,
  raw: "",
};

const run = (id: string, predictions: PredictedTrace[]) => ({
  id,
  url: `/r/${id}`,
  createdAt: "2026-12-06T00:00:00.000Z",
  title: null,
  code: INFO.code,
  call: "f(2)",
  mode: "call" as const,
  executor: null,
  actual,
  predictions,
  provenance: predictions.length ? ("server" as const) : null,
  metrics: null,
});

export const LESSON: StoredLesson = {
  id: "LESSONAAAAAAAAAA",
  url: "/l/LESSONAAAAAAAAAA",
  title: "Sums",
  createdAt: "2026-12-06T00:00:00.000Z",
  slides: [
    { run: run("RUNAAAAAAAAAAAAA", [predicted]), notes: null, questions: [{ kind: "value", frame: 2, name: "s" }, { kind: "return" }] },
    { run: run("RUNBBBBBBBBBBBBB", []), notes: null, questions: [{ kind: "next_line", frame: 1 }] },
  ],
};
