/**
 * A session's state as each role sees it, from what the database says. Pure: store.ts reads,
 * this decides what goes to whom. The participant's copy has no key before "revealed"; that
 * rule lives here and nowhere else.
 */
import type { LessonView } from "./lesson-view";
import type { Histogram, LivePhase, ParticipantState, TeacherState } from "./protocol";

export interface SessionFacts {
  phase: LivePhase;
  slide: number;
  question: number;
  code: string;
  participants: number;
  histogram: Histogram;
}

export function answeredOf(h: Histogram): number {
  return h.reduce((n, b) => n + b.count, 0);
}

function base(f: SessionFacts, lesson: LessonView) {
  const q = lesson.at(f.slide, f.question);
  return {
    phase: f.phase,
    lessonTitle: lesson.title,
    slide: f.slide,
    slides: lesson.questionCounts.length,
    question: f.question,
    questions: lesson.questionCounts[f.slide] ?? 0,
    info: q?.info ?? null,
    participants: f.participants,
    answered: answeredOf(f.histogram),
    reveal: f.phase === "revealed" && q ? q.key : null,
  };
}

export function teacherState(f: SessionFacts, lesson: LessonView, joinUrl: string): TeacherState {
  return { role: "teacher", ...base(f, lesson), key: lesson.at(f.slide, f.question)?.key ?? null, histogram: f.histogram, code: f.code, joinUrl };
}

export function participantState(f: SessionFacts, lesson: LessonView): ParticipantState {
  return { role: "participant", ...base(f, lesson) };
}

/** Most frequent first, then by text, so every instance draws the same chart. */
export function sortHistogram(groups: { answer: string; count: number }[]): Histogram {
  return groups
    .filter((g) => g.count > 0)
    .map((g) => ({ answer: g.answer, count: g.count }))
    .sort((a, b) => b.count - a.count || (a.answer < b.answer ? -1 : a.answer > b.answer ? 1 : 0));
}
