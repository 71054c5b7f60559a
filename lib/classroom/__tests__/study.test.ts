import { describe, expect, it } from "vitest";
import {
  initialStudy,
  lessonSteps,
  parseProgress,
  pendingChecks,
  progressStorageKey,
  questionKey,
  questionState,
  serialiseProgress,
  studyReducer,
  studyTotals,
  MAX_ANSWER_CHARS,
  type ScoreResult,
  type StudyAction,
  type StudyState,
} from "../study";

const K = questionKey(0, 0);
const K2 = questionKey(0, 1);

function run(actions: StudyAction[], start: StudyState = initialStudy("lesson-id-000001", 3)): StudyState {
  return actions.reduce(studyReducer, start);
}

const result = (over: Partial<ScoreResult> = {}): ScoreResult => ({
  learnerCorrect: true,
  real: "6",
  model: { answer: "7", label: "CWM (recorded)", correct: false },
  modelHelp: null,
  ...over,
});

describe("lesson steps", () => {
  it("gives each question of each slide a step, in order", () => {
    expect(lessonSteps([{ questions: [1, 2] }, { questions: [3] }])).toEqual([
      { slide: 0, question: 0 },
      { slide: 0, question: 1 },
      { slide: 1, question: 0 },
    ]);
  });

  it("gives a slide without questions one step to read", () => {
    expect(lessonSteps([{ questions: [] }, { questions: [1] }])).toEqual([
      { slide: 0, question: null },
      { slide: 1, question: 0 },
    ]);
  });

  it("has no steps for no slides", () => {
    expect(lessonSteps([])).toEqual([]);
  });

  it("keys a question by slide and index", () => {
    expect(questionKey(2, 5)).toBe("2:5");
  });
});

describe("answering", () => {
  it("starts with every question unanswered", () => {
    expect(questionState(initialStudy("x", 2), K)).toEqual({ status: "unanswered" });
  });

  it("submit moves a question to checking with the trimmed answer", () => {
    const s = run([{ type: "submit", key: K, answer: "  [1, 2] \n" }]);
    expect(questionState(s, K)).toEqual({ status: "checking", answer: "[1, 2]", ticket: 1 });
  });

  it("ignores a blank answer", () => {
    const s = run([{ type: "submit", key: K, answer: "   " }]);
    expect(questionState(s, K).status).toBe("unanswered");
  });

  it("cuts an over-long answer", () => {
    const s = run([{ type: "submit", key: K, answer: "9".repeat(MAX_ANSWER_CHARS + 50) }]);
    const q = questionState(s, K);
    expect(q.status === "checking" && q.answer?.length).toBe(MAX_ANSWER_CHARS);
  });

  it("hands out a new ticket per check", () => {
    const s = run([
      { type: "submit", key: K, answer: "1" },
      { type: "reveal", key: K2 },
    ]);
    expect(pendingChecks(s).map((p) => p.ticket)).toEqual([1, 2]);
  });

  it("reveal without answering checks with no answer", () => {
    const s = run([{ type: "reveal", key: K }]);
    expect(questionState(s, K)).toEqual({ status: "checking", answer: null, ticket: 1 });
  });

  it("a second submit while checking changes nothing", () => {
    const a = run([{ type: "submit", key: K, answer: "1" }]);
    expect(studyReducer(a, { type: "submit", key: K, answer: "2" })).toBe(a);
  });

  it("reveal after submit changes nothing", () => {
    const a = run([{ type: "submit", key: K, answer: "1" }]);
    expect(studyReducer(a, { type: "reveal", key: K })).toBe(a);
  });

  it("the scored result lands on the checking question", () => {
    const s = run([
      { type: "submit", key: K, answer: "6" },
      { type: "scored", key: K, ticket: 1, result: result() },
    ]);
    expect(questionState(s, K)).toEqual({
      status: "scored",
      answer: "6",
      learnerCorrect: true,
      real: "6",
      model: { answer: "7", label: "CWM (recorded)", correct: false },
      modelHelp: null,
    });
  });

  it("a result with an old ticket is dropped", () => {
    const a = run([{ type: "submit", key: K, answer: "6" }]);
    expect(studyReducer(a, { type: "scored", key: K, ticket: 99, result: result() })).toBe(a);
  });

  it("a result for an unanswered question is dropped", () => {
    const a = initialStudy("x", 2);
    expect(studyReducer(a, { type: "scored", key: K, ticket: 0, result: result() })).toBe(a);
  });

  it("a second result for a scored question is dropped", () => {
    const a = run([
      { type: "submit", key: K, answer: "6" },
      { type: "scored", key: K, ticket: 1, result: result() },
    ]);
    expect(studyReducer(a, { type: "scored", key: K, ticket: 1, result: result({ learnerCorrect: false }) })).toBe(a);
  });

  it("an answer is final once scored", () => {
    const a = run([
      { type: "submit", key: K, answer: "6" },
      { type: "scored", key: K, ticket: 1, result: result() },
    ]);
    expect(studyReducer(a, { type: "submit", key: K, answer: "7" })).toBe(a);
  });

  it("a revealed question has no learner verdict even if the checker sent one", () => {
    const s = run([
      { type: "reveal", key: K },
      { type: "scored", key: K, ticket: 1, result: result({ learnerCorrect: true }) },
    ]);
    const q = questionState(s, K);
    expect(q.status === "scored" && q.learnerCorrect).toBeNull();
    expect(q.status === "scored" && q.answer).toBeNull();
  });

  it("without a model answer the model verdict is null and the help is kept", () => {
    const s = run([
      { type: "submit", key: K, answer: "6" },
      { type: "scored", key: K, ticket: 1, result: result({ model: null, modelHelp: "Load recorded predictions" }) },
    ]);
    const q = questionState(s, K);
    expect(q.status === "scored" && [q.model?.correct ?? null, q.modelHelp]).toEqual([null, "Load recorded predictions"]);
  });

  it("questions are independent", () => {
    const s = run([{ type: "submit", key: K, answer: "6" }]);
    expect(questionState(s, K2).status).toBe("unanswered");
  });
});

describe("moving through the lesson", () => {
  it("next moves one step", () => {
    expect(run([{ type: "next" }]).position).toBe(1);
  });

  it("next stops at the scoreboard", () => {
    expect(run([{ type: "next" }, { type: "next" }, { type: "next" }, { type: "next" }]).position).toBe(3);
  });

  it("previous stops at the first step", () => {
    expect(run([{ type: "previous" }]).position).toBe(0);
  });

  it("goto clamps to the lesson", () => {
    expect(run([{ type: "goto", position: 99 }]).position).toBe(3);
    expect(run([{ type: "goto", position: -4 }]).position).toBe(0);
  });

  it("goto ignores a position that is not a number", () => {
    const a = initialStudy("x", 3);
    expect(studyReducer(a, { type: "goto", position: Number.NaN })).toBe(a);
  });

  it("restart forgets every answer and goes to the start", () => {
    const s = run([{ type: "submit", key: K, answer: "6" }, { type: "next" }, { type: "restart" }]);
    expect([s.position, s.questions]).toEqual([0, {}]);
  });

  it("a check from before a restart cannot land on the new answer", () => {
    const s = run([{ type: "submit", key: K, answer: "6" }, { type: "restart" }, { type: "submit", key: K, answer: "7" }]);
    expect(studyReducer(s, { type: "scored", key: K, ticket: 1, result: result() })).toBe(s);
  });
});

describe("totals", () => {
  const scored = (learnerCorrect: boolean | null, modelCorrect: boolean | null, answer: string | null = "1") => ({
    status: "scored" as const,
    answer,
    learnerCorrect,
    real: "1",
    model: modelCorrect === null ? null : { answer: "1", label: "CWM", correct: modelCorrect },
    modelHelp: null,
  });

  it("counts nothing for an untouched lesson", () => {
    expect(studyTotals(initialStudy("x", 2), [K, K2])).toEqual({ questions: 2, answered: 0, shown: 0, learnerCorrect: 0, modelScored: 0, modelCorrect: 0, scorable: 0 });
  });

  it("counts right answers of the learner and the model separately", () => {
    const s: StudyState = { ...initialStudy("x", 2), questions: { [K]: scored(true, false), [K2]: scored(false, true) } };
    const t = studyTotals(s, [K, K2]);
    expect([t.learnerCorrect, t.modelCorrect, t.answered, t.modelScored]).toEqual([1, 1, 2, 2]);
  });

  it("a question without a model answer is not in the model's denominator", () => {
    const s: StudyState = { ...initialStudy("x", 2), questions: { [K]: scored(true, null) } };
    expect(studyTotals(s, [K, K2]).modelScored).toBe(0);
  });

  it("a shown question counts as shown, not answered", () => {
    const s: StudyState = { ...initialStudy("x", 2), questions: { [K]: scored(null, true, null) } };
    const t = studyTotals(s, [K]);
    expect([t.shown, t.answered, t.scorable]).toEqual([1, 0, 0]);
  });

  it("a question being checked is not counted yet", () => {
    const s = run([{ type: "submit", key: K, answer: "6" }]);
    expect(studyTotals(s, [K]).answered).toBe(0);
  });

  it("keys outside the list are not counted", () => {
    const s: StudyState = { ...initialStudy("x", 2), questions: { "9:9": scored(true, true) } };
    expect(studyTotals(s, [K]).learnerCorrect).toBe(0);
  });
});

describe("saved progress", () => {
  const saved = run([
    { type: "submit", key: K, answer: "6" },
    { type: "scored", key: K, ticket: 1, result: result() },
    { type: "next" },
  ]);

  it("round-trips through its text", () => {
    expect(parseProgress(serialiseProgress(saved), "lesson-id-000001", 3)).toEqual(saved);
  });

  it("is kept per lesson id", () => {
    expect(progressStorageKey("abc")).not.toBe(progressStorageKey("abd"));
  });

  it("nothing saved is no progress", () => {
    expect(parseProgress(null, "lesson-id-000001", 3)).toBeNull();
  });

  it("broken JSON is no progress", () => {
    expect(parseProgress("{not json", "lesson-id-000001", 3)).toBeNull();
  });

  it("another lesson's progress is not used", () => {
    expect(parseProgress(serialiseProgress(saved), "lesson-id-000002", 3)).toBeNull();
  });

  it("progress for a different number of steps is not used", () => {
    expect(parseProgress(serialiseProgress(saved), "lesson-id-000001", 4)).toBeNull();
  });

  it("a question state of an unknown kind is not used", () => {
    const bad = JSON.stringify({ ...saved, questions: { [K]: { status: "correct-trust-me" } } });
    expect(parseProgress(bad, "lesson-id-000001", 3)).toBeNull();
  });

  it("extra fields are refused", () => {
    expect(parseProgress(JSON.stringify({ ...saved, admin: true }), "lesson-id-000001", 3)).toBeNull();
  });

  it("a position past the scoreboard is refused", () => {
    expect(parseProgress(JSON.stringify({ ...saved, position: 9 }), "lesson-id-000001", 3)).toBeNull();
  });

  it("a question still being checked comes back to be checked again", () => {
    const checking = run([{ type: "submit", key: K, answer: "6" }]);
    const back = parseProgress(serialiseProgress(checking), "lesson-id-000001", 3)!;
    expect(pendingChecks(back)).toEqual([{ key: K, answer: "6", ticket: 1 }]);
  });

  it("the next ticket is above every ticket in use, whatever was saved", () => {
    const text = JSON.stringify({ ...initialStudy("lesson-id-000001", 3), questions: { [K]: { status: "checking", answer: "6", ticket: 7 } }, ticket: 2 });
    const back = parseProgress(text, "lesson-id-000001", 3)!;
    const next = studyReducer(back, { type: "reveal", key: K2 });
    expect(pendingChecks(next).map((p) => p.ticket)).toEqual([7, 8]);
  });

  it("restore takes saved progress of the same lesson", () => {
    const fresh = initialStudy("lesson-id-000001", 3);
    expect(studyReducer(fresh, { type: "restore", saved })).toEqual(saved);
  });

  it("restore ignores another lesson's progress", () => {
    const fresh = initialStudy("lesson-id-000002", 3);
    expect(studyReducer(fresh, { type: "restore", saved })).toBe(fresh);
  });
});
