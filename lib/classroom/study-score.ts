/**
 * Scoring one self-study question (lib/classroom/study.ts holds the state): the learner's
 * answer and the model's answer are both scored against reality by the rules of answers.ts.
 * Parsing literals happens in the sandbox before this runs; these functions only read its map.
 */
import { compareTraces } from "@/lib/compare/compare";
import type { Question } from "@/lib/storage/lesson-schema";
import type { StoredRun } from "@/lib/storage/schema";
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";
import { expectedText, modelExpected, realExpected, scoreAnswer, scoreModel, textsToNormalise, type Expected, type Normalised } from "./answers";
import type { SlideModel } from "./model";
import type { ScoreResult } from "./study";

type RunPart = Pick<StoredRun, "actual">;

/** What reality and the model answer to `q`; the model's is null when the slide has none. */
export function expectations(q: Question, run: RunPart, model: SlideModel): { real: Expected; model: Expected | null } {
  return { real: realExpected(q, run.actual), model: model.kind === "none" ? null : modelExpected(q, run.actual, model.trace) };
}

/** Every text the sandbox must parse to score this question (the learner's answer, reality's and the model's literals). */
export function textsForQuestion(q: Question, run: RunPart, model: SlideModel, answer: string | null): string[] {
  const e = expectations(q, run, model);
  return textsToNormalise(answer ?? "", e.real, ...(e.model ? [e.model] : []));
}

export function scoreQuestion(q: Question, run: RunPart, model: SlideModel, answer: string | null, norm: Normalised): ScoreResult {
  const e = expectations(q, run, model);
  return {
    learnerCorrect: answer === null ? null : scoreAnswer(answer, e.real, norm),
    real: expectedText(e.real),
    model: e.model && model.kind !== "none" ? { answer: expectedText(e.model), label: model.label, correct: scoreModel(e.real, e.model, norm) } : null,
    modelHelp: model.kind === "none" ? model.help : null,
  };
}

/** Where the model's trace first leaves reality: the step (0-based real frame) and its line, or null when they agree. */
export function firstDivergence(actual: CanonicalTrace, predicted: PredictedTrace): { step: number | null; line: number | null } | null {
  const fd = compareTraces(actual, predicted).firstDivergence;
  if (!fd) return null;
  if (fd.actual !== null) return { step: fd.actual, line: actual.frames[fd.actual]?.line ?? null };
  // Reality has ended where the model goes on: the model's extra frame says where.
  return { step: null, line: fd.predicted !== null ? (predicted.frames[fd.predicted]?.line ?? null) : null };
}
