/**
 * The end-of-class summary: per question, how much of the class got it right and whether the
 * model did. The server reports answers grouped by trimmed text; the teacher's browser has the
 * lesson (the real and the predicted traces), so it scores every answer the way classroom.md
 * says, after its sandbox parsed the literals, and never trusts text equality for values.
 */
import { expectedText, scoreModel, type Expected, type Normalised } from "@/lib/classroom/answers";
import { slideModel } from "@/lib/classroom/model";
import { expectations } from "@/lib/classroom/study-score";
import type { LiveResults, ResultQuestion } from "@/lib/live/protocol";
import type { StoredLesson } from "@/lib/storage/lesson-schema";
import { toCsv } from "./csv";
import { correctCount, textsOf } from "./histogram";

export interface SummaryRow {
  slide: number;
  question: number;
  prompt: string;
  answers: number;
  /** Reality's answer (shown once revealed in class; the teacher's summary always has it). */
  real: string;
  right: number | null;
  /** Percent of answers that were right, rounded; null when nobody answered or nothing to score. */
  percent: number | null;
  model: { answer: string; label: string; correct: boolean | null } | null;
  revealed: boolean;
}

interface Keys {
  real: Expected;
  model: { e: Expected; label: string } | null;
}

function keysOf(lesson: StoredLesson, q: ResultQuestion): Keys | null {
  const slide = lesson.slides[q.slide];
  const question = slide?.questions[q.question];
  if (!slide || !question) return null;
  const m = slideModel(slide.run, null);
  const e = expectations(question, slide.run, m);
  return { real: e.real, model: e.model && m.kind !== "none" ? { e: e.model, label: m.label } : null };
}

// summaryTexts and summarise read the same results: find each question's keys once.
const keyCache = new WeakMap<LiveResults, WeakMap<StoredLesson, (Keys | null)[]>>();

function keysFor(results: LiveResults, lesson: StoredLesson): (Keys | null)[] {
  let byLesson = keyCache.get(results);
  if (!byLesson) keyCache.set(results, (byLesson = new WeakMap()));
  let keys = byLesson.get(lesson);
  if (!keys) byLesson.set(lesson, (keys = results.questions.map((q) => keysOf(lesson, q))));
  return keys;
}

/** Every text the sandbox must parse for the summary, in one batch. */
export function summaryTexts(results: LiveResults, lesson: StoredLesson): string[] {
  const out = new Set<string>();
  const keys = keysFor(results, lesson);
  results.questions.forEach((q, i) => {
    const k = keys[i];
    if (!k) return;
    const expected = [k.real, ...(k.model ? [k.model.e] : [])];
    for (const t of textsOf(q.histogram, q.kind, expected)) out.add(t);
  });
  return [...out];
}

export function summarise(results: LiveResults, lesson: StoredLesson, norm: Normalised): SummaryRow[] {
  const keys = keysFor(results, lesson);
  return results.questions.map((q, i) => {
    const k = keys[i];
    const real = k ? k.real : null;
    const right = (real && real.kind !== "none" ? correctCount(q.histogram, real, norm) : null) ?? q.right;
    const model =
      k?.model && real
        ? { answer: expectedText(k.model.e), label: k.model.label, correct: scoreModel(real, k.model.e, norm) }
        : q.model
          ? { answer: q.model.answer, label: "model", correct: q.model.correct }
          : null;
    return {
      slide: q.slide,
      question: q.question,
      prompt: q.prompt,
      answers: q.answers,
      real: real ? expectedText(real) : (q.correct ?? ""),
      right,
      percent: q.answers > 0 && right !== null ? Math.round((100 * right) / q.answers) : null,
      model,
      revealed: q.correct !== null,
    };
  });
}

export function summaryCsv(title: string, participants: number, rows: readonly SummaryRow[]): string {
  return toCsv([
    ["lesson", title],
    ["participants", participants],
    [],
    ["slide", "question", "prompt", "answers", "right", "class % right", "real answer", "model", "model answer", "model right", "revealed in class"],
    ...rows.map((r) => [
      r.slide + 1,
      r.question + 1,
      r.prompt,
      r.answers,
      r.right,
      r.percent,
      r.real,
      r.model?.label ?? "no prediction",
      r.model?.answer ?? null,
      r.model ? r.model.correct : null,
      r.revealed,
    ]),
  ]);
}
