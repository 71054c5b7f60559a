import { describe, expect, it } from "vitest";
import { draftText, initialStudent, storedAnswer, studentReducer, type StudentAction, type StudentState } from "../student-state";
import { participant, teacher } from "./fixtures";

const run = (...actions: StudentAction[]): StudentState => actions.reduce(studentReducer, initialStudent);
const state = (over: Parameters<typeof participant>[0] = {}): StudentAction => ({ type: "event", event: { type: "state", state: participant(over) } });
const Q0 = { slide: 0, question: 0 };
const Q1 = { slide: 0, question: 1 };

describe("the student screen", () => {
  it("waits until the first state arrives", () => expect(run().view.kind).toBe("waiting"));

  it("shows the state the stream sends", () => {
    const s = run(state({ phase: "lobby" }));
    expect(s.view.kind === "live" && s.view.state.phase).toBe("lobby");
  });

  it("ignores a teacher's state (never meant for this stream)", () => {
    const s = run({ type: "event", event: { type: "state", state: teacher() } });
    expect(s.view.kind).toBe("waiting");
  });

  it("ignores the teacher's answers events", () => {
    const before = run(state());
    const after = studentReducer(before, {
      type: "event",
      event: { type: "answers", slide: 0, question: 0, histogram: [{ answer: "1", count: 1 }], answered: 1, participants: 1 },
    });
    expect(after).toBe(before);
  });

  it("shows the answer the server holds after a reload, in the box too", () => {
    const s = run(state(), { type: "event", event: { type: "you", ...Q0, answer: "5" } });
    expect(storedAnswer(s)).toBe("5");
    expect(draftText(s)).toBe("5");
  });

  it("never overwrites what the student is typing with the stored answer", () => {
    const s = run(state(), { type: "draft", text: "7" }, { type: "event", event: { type: "you", ...Q0, answer: "5" } });
    expect(draftText(s)).toBe("7");
    expect(storedAnswer(s)).toBe("5");
  });

  it("keeps the stored answer when the sent one is acknowledged", () => {
    const s = run(state(), { type: "draft", text: " 3 " }, { type: "submit/start", at: Q0, answer: "3" }, { type: "submit/ok", at: Q0, answer: "3" });
    expect(storedAnswer(s)).toBe("3");
    expect(s.submit.kind).toBe("idle");
  });

  it("says why a submit failed", () => {
    const s = run(state(), { type: "submit/start", at: Q0, answer: "3" }, { type: "submit/fail", at: Q0, message: "the question is locked" });
    expect(s.submit).toEqual({ kind: "failed", at: Q0, message: "the question is locked" });
  });

  it("drops the acknowledgement of an answer to a question the teacher moved on from", () => {
    const s = run(state(), { type: "submit/start", at: Q0, answer: "3" }, state({ question: 1 }), { type: "submit/ok", at: Q0, answer: "3" });
    expect(storedAnswer(s)).toBeNull();
    expect(s.submit.kind).toBe("idle");
  });

  it("clears the box and the score when a new question comes", () => {
    const s = run(state(), { type: "draft", text: "9" }, { type: "score", at: Q0, answer: "9", correct: true, model: null }, state({ question: 1 }));
    expect(draftText(s)).toBe("");
    expect(s.score).toBeNull();
  });

  it("drops a stored answer sent for a question not on screen", () => {
    const before = run(state());
    expect(studentReducer(before, { type: "event", event: { type: "you", ...Q1, answer: "5" } })).toBe(before);
  });

  it("forgets the stored answer when a new question comes", () => {
    const s = run(state(), { type: "event", event: { type: "you", ...Q0, answer: "5" } }, state({ question: 1 }));
    expect(storedAnswer(s)).toBeNull();
    expect(draftText(s)).toBe("");
  });

  it("keeps the box across a state change of the same question (open → locked)", () => {
    const s = run(state(), { type: "draft", text: "9" }, state({ phase: "locked" }));
    expect(draftText(s)).toBe("9");
  });

  it("drops a score computed for another question", () => {
    const s = run(state({ question: 1 }), { type: "score", at: Q0, answer: "1", correct: true, model: null });
    expect(s.score).toBeNull();
  });

  it("keeps a score for the question on screen", () => {
    const s = run(state({ phase: "revealed", reveal: { real: "0", expected: { kind: "literal", repr: "0" }, model: null } }), { type: "score", at: Q0, answer: "0", correct: true, model: false });
    expect(s.score).toEqual({ at: Q0, answer: "0", correct: true, model: false });
  });

  it("takes no typing when the slide has no question", () => {
    const s = run(state({ info: null }), { type: "draft", text: "x" });
    expect(s.draft).toBeNull();
  });

  it("files a you event of another question under that question only", () => {
    const s = run(state(), { type: "event", event: { type: "you", ...Q1, answer: "5" } });
    expect(storedAnswer(s)).toBeNull();
  });

  it("turns a final refusal into a clear screen", () => {
    const s = run(state(), { type: "status", status: { kind: "closed", status: 403, message: "not a participant of this session" } });
    expect(s.view).toEqual({ kind: "gone", status: 403, message: "not a participant of this session" });
  });

  it("keeps the ended screen when the server then refuses the reconnect", () => {
    const s = run(state({ phase: "ended" }), { type: "status", status: { kind: "closed", status: 410, message: "the session has ended" } });
    expect(s.view.kind === "live" && s.view.state.phase).toBe("ended");
  });

  it("reports reconnecting without losing the question", () => {
    const s = run(
      state(),
      { type: "draft", text: "4" },
      { type: "status", status: { kind: "reconnecting", attempt: 1, inMs: 500, why: "the stream went silent" } },
    );
    expect(s.conn.kind).toBe("reconnecting");
    expect(draftText(s)).toBe("4");
  });
});
