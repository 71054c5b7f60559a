/**
 * Predict it yourself (/l/<id>): the learner's progress through a lesson in one reducer. The
 * lesson is a sequence of steps (each question of each slide; a slide without questions is one
 * step to read) followed by the scoreboard. Every question is unanswered, being checked (its
 * literal is parsed in the sandbox; a ticket drops a late result), or scored. The progress is
 * kept in sessionStorage per lesson so a reload loses nothing; what is read back is zod-parsed.
 */
import { z } from "zod";

/** One step of the lesson: a question of a slide, or a slide that only has code and notes. */
export interface Step {
  slide: number;
  question: number | null;
}

/** The steps of a lesson, in order; the scoreboard is position `steps.length`. */
export function lessonSteps(slides: readonly { questions: readonly unknown[] }[]): Step[] {
  return slides.flatMap((s, slide): Step[] => (s.questions.length === 0 ? [{ slide, question: null }] : s.questions.map((_, question) => ({ slide, question }))));
}

export function questionKey(slide: number, question: number): string {
  return `${slide}:${question}`;
}

/** The model's answer to a question, as shown; `correct` is null when reality has no answer to score against. */
export const ModelAnswer = z
  .object({
    answer: z.string(),
    label: z.string(),
    correct: z.boolean().nullable(),
  })
  .strict();
export type ModelAnswer = z.infer<typeof ModelAnswer>;

export const QuestionState = z.discriminatedUnion("status", [
  z.object({ status: z.literal("unanswered") }).strict(),
  z
    .object({
      status: z.literal("checking"),
      /** null: "Show answer" was pressed without answering. */
      answer: z.string().nullable(),
      ticket: z.number().int().nonnegative(),
    })
    .strict(),
  z
    .object({
      status: z.literal("scored"),
      answer: z.string().nullable(),
      /** null when nothing can be scored: no answer given, or reality has none (a run stopped by a budget). */
      learnerCorrect: z.boolean().nullable(),
      /** Reality's answer as shown. */
      real: z.string(),
      /** The model's answer; null when the slide has no model prediction (`modelHelp` says how to get one). */
      model: ModelAnswer.nullable(),
      modelHelp: z.string().nullable(),
    })
    .strict(),
]);
export type QuestionState = z.infer<typeof QuestionState>;
export type ScoredQuestion = Extract<QuestionState, { status: "scored" }>;

/** What scoring a question produced (everything of the scored state but the learner's answer). */
export type ScoreResult = Omit<ScoredQuestion, "status" | "answer">;

export const StudyState = z
  .object({
    lessonId: z.string(),
    stepCount: z.number().int().nonnegative(),
    /** 0..stepCount; stepCount is the scoreboard. */
    position: z.number().int().nonnegative(),
    /** Keyed by questionKey(slide, question); a missing key is unanswered. */
    questions: z.record(z.string(), QuestionState),
    /** The last ticket handed out; a scoring result carries its ticket. */
    ticket: z.number().int().nonnegative(),
  })
  .strict();
export type StudyState = z.infer<typeof StudyState>;

export type StudyAction =
  | { type: "submit"; key: string; answer: string }
  | { type: "reveal"; key: string }
  | { type: "scored"; key: string; ticket: number; result: ScoreResult }
  | { type: "goto"; position: number }
  | { type: "next" }
  | { type: "previous" }
  | { type: "restart" }
  | { type: "restore"; saved: StudyState };

export function initialStudy(lessonId: string, stepCount: number): StudyState {
  return { lessonId, stepCount, position: 0, questions: {}, ticket: 0 };
}

export function questionState(state: StudyState, key: string): QuestionState {
  return Object.hasOwn(state.questions, key) ? state.questions[key] : { status: "unanswered" };
}

function withQuestion(state: StudyState, key: string, q: QuestionState): StudyState {
  return { ...state, questions: { ...state.questions, [key]: q } };
}

function clamp(state: StudyState, position: number): StudyState {
  const p = Math.max(0, Math.min(state.stepCount, Math.trunc(position)));
  return p === state.position || !Number.isFinite(position) ? state : { ...state, position: p };
}

/** Answers longer than this are cut: the sandbox parses them and sessionStorage keeps them. */
export const MAX_ANSWER_CHARS = 200;

export function studyReducer(state: StudyState, action: StudyAction): StudyState {
  switch (action.type) {
    case "submit": {
      // An answer is final once given: changing it after the reveal would score hindsight.
      if (questionState(state, action.key).status !== "unanswered") return state;
      const answer = action.answer.trim().slice(0, MAX_ANSWER_CHARS);
      if (answer === "") return state;
      const ticket = state.ticket + 1;
      return { ...withQuestion(state, action.key, { status: "checking", answer, ticket }), ticket };
    }
    case "reveal": {
      if (questionState(state, action.key).status !== "unanswered") return state;
      const ticket = state.ticket + 1;
      return { ...withQuestion(state, action.key, { status: "checking", answer: null, ticket }), ticket };
    }
    case "scored": {
      const q = questionState(state, action.key);
      if (q.status !== "checking" || q.ticket !== action.ticket) return state;
      const r = action.result;
      // Without an answer there is nothing of the learner's to score.
      const learnerCorrect = q.answer === null ? null : r.learnerCorrect;
      return withQuestion(state, action.key, {
        status: "scored",
        answer: q.answer,
        learnerCorrect,
        real: r.real,
        model: r.model,
        modelHelp: r.model ? null : r.modelHelp,
      });
    }
    case "goto":
      return clamp(state, action.position);
    case "next":
      return clamp(state, state.position + 1);
    case "previous":
      return clamp(state, state.position - 1);
    case "restart":
      // Tickets keep counting: a check still running from before must not match a new one.
      return { ...initialStudy(state.lessonId, state.stepCount), ticket: state.ticket };
    case "restore": {
      const s = action.saved;
      if (s.lessonId !== state.lessonId || s.stepCount !== state.stepCount) return state;
      return { ...s, position: Math.min(s.position, s.stepCount) };
    }
  }
}

/** Questions still waiting for the sandbox, oldest first (the checker works through them). */
export function pendingChecks(state: StudyState): { key: string; answer: string | null; ticket: number }[] {
  return Object.entries(state.questions)
    .flatMap(([key, q]) => (q.status === "checking" ? [{ key, answer: q.answer, ticket: q.ticket }] : []))
    .sort((a, b) => a.ticket - b.ticket);
}

export interface Totals {
  questions: number;
  /** Scored with an answer of the learner's. */
  answered: number;
  /** Revealed without an answer. */
  shown: number;
  learnerCorrect: number;
  /** Scored questions with a model answer that could be scored. */
  modelScored: number;
  modelCorrect: number;
  /** Scored questions with reality's answer scorable (the denominator of the learner's score). */
  scorable: number;
}

export function studyTotals(state: StudyState, keys: readonly string[]): Totals {
  const t: Totals = { questions: keys.length, answered: 0, shown: 0, learnerCorrect: 0, modelScored: 0, modelCorrect: 0, scorable: 0 };
  for (const key of keys) {
    const q = questionState(state, key);
    if (q.status !== "scored") continue;
    if (q.answer === null) t.shown++;
    else t.answered++;
    if (q.learnerCorrect !== null) t.scorable++;
    if (q.learnerCorrect === true) t.learnerCorrect++;
    const model = q.model?.correct ?? null;
    if (model !== null) t.modelScored++;
    if (model === true) t.modelCorrect++;
  }
  return t;
}

/** Where a lesson's progress is kept in this tab (sessionStorage: it ends with the tab). */
export function progressStorageKey(lessonId: string): string {
  return `cwm-study:${lessonId}`;
}

export function serialiseProgress(state: StudyState): string {
  return JSON.stringify(state);
}

/**
 * The saved progress of this lesson, or null when there is none or it cannot be trusted (another
 * lesson, another shape, another number of steps, broken JSON): a fresh start then.
 */
export function parseProgress(text: string | null, lessonId: string, stepCount: number): StudyState | null {
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const r = StudyState.safeParse(json);
  if (!r.success || r.data.lessonId !== lessonId || r.data.stepCount !== stepCount || r.data.position > stepCount) return null;
  // A ticket must exceed every ticket in use, or a new check could be mistaken for an old one.
  const maxTicket = Math.max(0, ...Object.values(r.data.questions).map((q) => (q.status === "checking" ? q.ticket : 0)));
  return { ...r.data, ticket: Math.max(r.data.ticket, maxTicket) };
}
