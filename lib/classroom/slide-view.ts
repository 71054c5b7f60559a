/** What a slide shows of one question: its prompt, reality's answer and the model's, with the model's verdict. */
import { questionPrompt, scoreModel, type Expected, type QuestionPrompt } from "@/lib/classroom/answers";
import type { SlideModel } from "@/lib/classroom/model";
import { expectations } from "@/lib/classroom/study-score";
import type { Question } from "@/lib/storage/lesson-schema";
import type { StoredRun } from "@/lib/storage/schema";

export interface QuestionView {
  prompt: QuestionPrompt;
  real: Expected;
  /** null when the slide has no model prediction (the model column shows how to get one). */
  model: Expected | null;
  /** Whether the model's answer is reality's (no answer where reality has one is wrong); null without a model or a real answer. */
  modelRight: boolean | null;
}

/** The end of the entry call: what a slide without questions reveals. */
export const RETURN_QUESTION: Question = { kind: "return" };

export function questionView(q: Question, run: StoredRun, model: SlideModel): QuestionView {
  const { real, model: predicted } = expectations(q, run, model);
  // Both answers are texts Python wrote (reprs, line numbers): text comparison is the repr comparison.
  const modelRight = predicted ? scoreModel(real, predicted, new Map()) : null;
  return { prompt: questionPrompt(q, run), real, model: predicted, modelRight };
}
