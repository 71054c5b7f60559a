/**
 * What a live session needs from its lesson: the questions in order, each one's prompt (safe
 * for students) and its key (reality's answer and the stored prediction's). Lessons are
 * immutable, so both are computed once per process and kept; the server scores by trimmed
 * text only (an empty Normalised map): it never parses Python.
 */
import "server-only";
import { LRUCache } from "lru-cache";
import { expectedText, modelExpected, questionPrompt, realExpected, scoreModel } from "@/lib/classroom/answers";
import { slideModel } from "@/lib/classroom/model";
import { getLesson } from "@/lib/storage/lessons";
import type { StoredLesson } from "@/lib/storage/lesson-schema";
import type { LiveKey, LiveQuestion } from "./protocol";

const NO_NORMALISATION: ReadonlyMap<string, string | null> = new Map();

export interface QuestionView {
  slide: number;
  question: number;
  info: LiveQuestion;
  key: LiveKey;
}

export interface LessonView {
  id: string;
  title: string;
  /** Questions per slide (0 for a slide without any). */
  questionCounts: number[];
  /** null when the slide has no such question. */
  at(slide: number, question: number): QuestionView | null;
  /** Every question of the lesson in order (results). */
  all(): QuestionView[];
}

function buildQuestion(lesson: StoredLesson, slide: number, question: number): QuestionView {
  const s = lesson.slides[slide];
  const q = s.questions[question];
  const prompt = questionPrompt(q, s.run);
  const real = realExpected(q, s.run.actual);
  // The same model the lesson pages show: never the syntax baseline, "(uploaded)" only for what a client uploaded.
  const stored = slideModel(s.run, null);
  let model: LiveKey["model"] = null;
  if (stored.kind === "stored") {
    const m = modelExpected(q, s.run.actual, stored.trace);
    model = { answer: expectedText(m), label: stored.label, correct: scoreModel(real, m, NO_NORMALISATION), expected: m };
  }
  return {
    slide,
    question,
    info: { kind: q.kind, prompt: prompt.text, line: prompt.line, name: prompt.name, code: s.run.code, call: s.run.call },
    key: { real: expectedText(real), expected: real, model },
  };
}

function lessonView(lesson: StoredLesson): LessonView {
  const built = new Map<string, QuestionView>();
  const questionCounts = lesson.slides.map((s) => s.questions.length);
  const at = (slide: number, question: number): QuestionView | null => {
    if (!Number.isInteger(slide) || slide < 0 || slide >= questionCounts.length) return null;
    if (!Number.isInteger(question) || question < 0 || question >= questionCounts[slide]) return null;
    const k = `${slide}:${question}`;
    let v = built.get(k);
    if (!v) {
      v = buildQuestion(lesson, slide, question);
      built.set(k, v);
    }
    return v;
  };
  return {
    id: lesson.id,
    title: lesson.title,
    questionCounts,
    at,
    all: () => questionCounts.flatMap((n, slide) => Array.from({ length: n }, (_, question) => at(slide, question)!)),
  };
}

const views = new LRUCache<string, Promise<LessonView | null>>({ max: 200 });

/** The lesson's view, or null for an unknown lesson. A failed load is not kept. */
export function loadLessonView(id: string): Promise<LessonView | null> {
  let v = views.get(id);
  if (!v) {
    v = getLesson(id).then((l) => (l ? lessonView(l) : null));
    views.set(id, v);
    v.then(
      (r) => r ?? views.delete(id),
      () => views.delete(id),
    );
  }
  return v;
}
