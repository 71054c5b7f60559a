/**
 * The teacher's live panel as one reducer: the session as the teacher stream and the control
 * answers tell it, and the control request in flight. An `answers` event belongs to one
 * question: one that arrives after the teacher moved on is dropped, never drawn as the new
 * question's histogram.
 */
import type { ControlBody, LiveEvent, TeacherState } from "@/lib/live/protocol";
import { withStreamStatus, type StreamStatus } from "./stream";

export type TeacherView = { kind: "waiting" } | { kind: "live"; state: TeacherState } | { kind: "gone"; status: number; message: string };

export type ControlState = { kind: "idle" } | { kind: "sending"; action: ControlBody["action"] } | { kind: "failed"; message: string };

export interface TeacherScreen {
  conn: StreamStatus;
  view: TeacherView;
  control: ControlState;
}

export type TeacherAction =
  | { type: "status"; status: StreamStatus }
  | { type: "event"; event: LiveEvent }
  | { type: "control/start"; action: ControlBody["action"] }
  | { type: "control/ok"; state: TeacherState }
  | { type: "control/fail"; message: string };

export const initialTeacher: TeacherScreen = { conn: { kind: "connecting" }, view: { kind: "waiting" }, control: { kind: "idle" } };

export function teacherReducer(s: TeacherScreen, a: TeacherAction): TeacherScreen {
  switch (a.type) {
    case "status":
      return withStreamStatus(s, a.status);
    case "event": {
      const e = a.event;
      if (e.type === "state") return e.state.role === "teacher" ? { ...s, view: { kind: "live", state: e.state } } : s;
      if (e.type === "answers") {
        if (s.view.kind !== "live") return s;
        const st = s.view.state;
        if (st.slide !== e.slide || st.question !== e.question) return s;
        return { ...s, view: { kind: "live", state: { ...st, histogram: e.histogram, answered: e.answered, participants: e.participants } } };
      }
      return s;
    }
    case "control/start":
      return { ...s, control: { kind: "sending", action: a.action } };
    case "control/ok":
      // The control answer is the state after the change; the stream says the same a moment later.
      return { ...s, control: { kind: "idle" }, view: { kind: "live", state: a.state } };
    case "control/fail":
      return { ...s, control: { kind: "failed", message: a.message } };
  }
}

/** Which controls make sense now (the server enforces the same rules and answers 409 otherwise). */
export function allowedActions(st: TeacherState): Record<"open" | "lock" | "reveal" | "end" | "goto", boolean> {
  const hasQuestion = st.info !== null;
  return {
    open: hasQuestion && (st.phase === "lobby" || st.phase === "locked"),
    lock: st.phase === "open",
    reveal: hasQuestion && (st.phase === "open" || st.phase === "locked"),
    end: st.phase !== "ended",
    goto: st.phase !== "ended",
  };
}
