/**
 * The student's screen (/live/<id>) as one reducer: what the stream said, what the student
 * typed, where their answer is, and how it scored after the reveal. One rule keeps them apart
 * per question: they hold only the question on screen. A new question clears them, and every
 * event or action about another question (a late submit answer or score of one the teacher
 * has moved on from) is dropped instead of shown under the new one, so readers need no check.
 */
import type { LiveEvent, ParticipantState } from "@/lib/live/protocol";
import { withStreamStatus, type StreamStatus } from "./stream";

export interface QuestionRef {
  slide: number;
  question: number;
}

export type StudentView =
  | { kind: "waiting" }
  | { kind: "live"; state: ParticipantState }
  /** The server refused the stream for good (not joined, unknown or expired session). */
  | { kind: "gone"; status: number; message: string };

export type SubmitState = { kind: "idle" } | { kind: "sending"; at: QuestionRef; answer: string } | { kind: "failed"; at: QuestionRef; message: string };

export interface StudentState {
  conn: StreamStatus;
  view: StudentView;
  /** The answer the server holds for `at` (null: none yet). */
  stored: { at: QuestionRef; answer: string | null } | null;
  draft: { at: QuestionRef; text: string } | null;
  submit: SubmitState;
  /**
   * Scored in this browser's sandbox after the reveal: the stored answer (null: none, and
   * `correct` null) and the model's; null correct or model: nothing to score against.
   */
  score: Score | null;
}

interface Score {
  at: QuestionRef;
  answer: string | null;
  correct: boolean | null;
  model: boolean | null;
}

export type StudentAction =
  | { type: "status"; status: StreamStatus }
  | { type: "event"; event: LiveEvent }
  | { type: "draft"; text: string }
  | { type: "submit/start"; at: QuestionRef; answer: string }
  | { type: "submit/ok"; at: QuestionRef; answer: string }
  | { type: "submit/fail"; at: QuestionRef; message: string }
  | ({ type: "score" } & Score);

export const initialStudent: StudentState = {
  conn: { kind: "connecting" },
  view: { kind: "waiting" },
  stored: null,
  draft: null,
  submit: { kind: "idle" },
  score: null,
};

const sameRef = (a: QuestionRef | null | undefined, b: QuestionRef | null | undefined): boolean =>
  !!a && !!b && a.slide === b.slide && a.question === b.question;

/** The question on screen, when there is one. */
export function currentRef(s: StudentState): QuestionRef | null {
  if (s.view.kind !== "live" || s.view.state.info === null) return null;
  return { slide: s.view.state.slide, question: s.view.state.question };
}

function onState(s: StudentState, next: ParticipantState): StudentState {
  const at = { slide: next.slide, question: next.question };
  const moved = !sameRef(currentRef(s), at) || next.info === null;
  if (!moved) return { ...s, view: { kind: "live", state: next } };
  // A new question: nothing typed, sent or scored for the old one belongs here.
  return { ...s, view: { kind: "live", state: next }, stored: null, draft: null, submit: { kind: "idle" }, score: null };
}

export function studentReducer(s: StudentState, a: StudentAction): StudentState {
  switch (a.type) {
    case "status":
      return withStreamStatus(s, a.status);
    case "event": {
      const e = a.event;
      if (e.type === "state") return e.state.role === "participant" ? onState(s, e.state) : s;
      if (e.type === "you") {
        const at = { slide: e.slide, question: e.question };
        if (!sameRef(at, currentRef(s))) return s;
        // A reloaded phone shows what it sent; what is being typed is never overwritten.
        const draft = s.draft && s.draft.text !== "" ? s.draft : { at, text: e.answer ?? "" };
        return { ...s, stored: { at, answer: e.answer }, draft };
      }
      return s;
    }
    case "draft": {
      const at = currentRef(s);
      return at ? { ...s, draft: { at, text: a.text } } : s;
    }
    case "submit/start":
      return sameRef(a.at, currentRef(s)) ? { ...s, submit: { kind: "sending", at: a.at, answer: a.answer } } : s;
    case "submit/ok":
      if (!sameRef(a.at, currentRef(s))) return s;
      return { ...s, stored: { at: a.at, answer: a.answer }, submit: { kind: "idle" } };
    case "submit/fail":
      return sameRef(a.at, currentRef(s)) ? { ...s, submit: { kind: "failed", at: a.at, message: a.message } } : s;
    case "score":
      return sameRef(a.at, currentRef(s)) ? { ...s, score: { at: a.at, answer: a.answer, correct: a.correct, model: a.model } } : s;
  }
}

/** The student's answer to the question on screen, as the server holds it. */
export function storedAnswer(s: StudentState): string | null {
  return s.stored?.answer ?? null;
}

export function draftText(s: StudentState): string {
  return s.draft?.text ?? storedAnswer(s) ?? "";
}
