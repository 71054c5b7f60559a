import { describe, expect, it } from "vitest";
import { allowedActions, initialTeacher, teacherReducer, type TeacherAction, type TeacherScreen } from "../teacher-state";
import { participant, teacher } from "./fixtures";

const run = (...actions: TeacherAction[]): TeacherScreen => actions.reduce(teacherReducer, initialTeacher);
const state = (over: Parameters<typeof teacher>[0] = {}): TeacherAction => ({ type: "event", event: { type: "state", state: teacher(over) } });
const answers = (slide: number, question: number, n: number): TeacherAction => ({
  type: "event",
  event: { type: "answers", slide, question, histogram: [{ answer: "0", count: n }], answered: n, participants: 5 },
});

describe("the teacher panel", () => {
  it("shows the teacher state with its code", () => {
    const s = run(state());
    expect(s.view.kind === "live" && s.view.state.code).toBe("ABC234");
  });

  it("ignores a participant's state", () => expect(run({ type: "event", event: { type: "state", state: participant() } }).view.kind).toBe("waiting"));

  it("updates the histogram and counts of the current question", () => {
    const s = run(state(), answers(0, 0, 2));
    expect(s.view.kind === "live" && [s.view.state.histogram, s.view.state.answered, s.view.state.participants]).toEqual([[{ answer: "0", count: 2 }], 2, 5]);
  });

  it("drops answers of a question the teacher has moved on from", () => {
    const before = run(state({ question: 1 }));
    expect(teacherReducer(before, answers(0, 0, 2))).toBe(before);
  });

  it("takes the state a control answered with", () => {
    const s = run(state(), { type: "control/start", action: "lock" }, { type: "control/ok", state: teacher({ phase: "locked" }) });
    expect(s.control.kind).toBe("idle");
    expect(s.view.kind === "live" && s.view.state.phase).toBe("locked");
  });

  it("says why a control failed", () => {
    const s = run(state(), { type: "control/start", action: "open" }, { type: "control/fail", message: "already open" });
    expect(s.control).toEqual({ kind: "failed", message: "already open" });
  });

  it("turns a refused stream into a clear screen", () => {
    const s = run({ type: "status", status: { kind: "closed", status: 401, message: "no token" } });
    expect(s.view).toEqual({ kind: "gone", status: 401, message: "no token" });
  });
});

describe("controls on offer", () => {
  it("lobby: open, reveal not yet", () => expect(allowedActions(teacher({ phase: "lobby" }))).toMatchObject({ open: true, lock: false, reveal: false }));
  it("open: lock and reveal", () => expect(allowedActions(teacher({ phase: "open" }))).toMatchObject({ open: false, lock: true, reveal: true }));
  it("locked: reopen or reveal", () => expect(allowedActions(teacher({ phase: "locked" }))).toMatchObject({ open: true, lock: false, reveal: true }));
  it("revealed: only move on or end", () =>
    expect(allowedActions(teacher({ phase: "revealed" }))).toEqual({ open: false, lock: false, reveal: false, end: true, goto: true }));
  it("ended: nothing", () => expect(Object.values(allowedActions(teacher({ phase: "ended" })))).toEqual([false, false, false, false, false]));
  it("a slide without a question cannot be opened", () => expect(allowedActions(teacher({ phase: "lobby", info: null })).open).toBe(false));
});
