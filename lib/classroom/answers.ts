/**
 * Questions, their answers and how answers are scored (docs: ../shared/spec/classroom.md
 * "Answers and how they are scored"). Three people answer the same question: the learner (text),
 * the model (read from its predicted trace at the aligned frame) and reality (the real trace).
 * Literals are compared by the repr Python gives them; parsing happens in the sandbox
 * (normalise.ts), so this module only consumes a map of already-parsed texts and falls back to
 * trimmed text where the map has nothing.
 */
import { z } from "zod";
import { compareTraces } from "@/lib/compare/compare";
import { exceptionTypeOfError, normaliseValue } from "@/lib/compare/normalise";
import type { StoredRun } from "@/lib/storage/schema";
import type { Question } from "@/lib/storage/lesson-schema";
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";

/**
 * What a question expects, from the real trace; the model's answer has the same shape. A schema
 * because it crosses the wire: a live session's reveal carries it to the students' browsers.
 */
export const Expected = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("literal"), repr: z.string() }).strict(),
  z.object({ kind: z.literal("line"), line: z.number().int() }).strict(),
  z.object({ kind: z.literal("yesno"), yes: z.boolean() }).strict(),
  z.object({ kind: z.literal("exception"), type: z.string(), message: z.string() }).strict(),
  z.object({ kind: z.literal("none"), why: z.string() }).strict(),
]);
export type Expected = z.infer<typeof Expected>;

/** text → repr(ast.literal_eval(text)) as the sandbox computed it; null: not a literal. */
export type Normalised = ReadonlyMap<string, string | null>;

export interface QuestionPrompt {
  text: string;
  /** The line the question is about (the line about to run), when it has one. */
  line: number | null;
  /** The local asked for (value questions). */
  name: string | null;
}

function callText(run: Pick<StoredRun, "call" | "mode">): string {
  return run.call && run.call.trim() !== "" ? run.call.trim() : "the program";
}

const code = (s: string) => `\`${s}\``;

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/**
 * " (3rd time)" when the frame's line runs more than once in the trace (a loop body): a question
 * about a line inside a loop must say which pass it means.
 */
function whichPass(frames: CanonicalTrace["frames"], k: number): string {
  const f = frames[k];
  if (!f || f.line === null) return "";
  let before = 0;
  let total = 0;
  frames.forEach((g, i) => {
    if (g.line !== f.line || g.event !== f.event) return;
    total++;
    if (i <= k) before++;
  });
  return total > 1 ? ` (${ordinal(before)} time)` : "";
}

export function questionPrompt(q: Question, run: Pick<StoredRun, "call" | "mode" | "actual">): QuestionPrompt {
  const call = callText(run);
  const subject = call === "the program" ? call : code(call);
  switch (q.kind) {
    case "value": {
      const line = run.actual.frames[q.frame]?.line ?? null;
      const when = line === null ? `at step ${q.frame + 1}` : `when line ${line} is about to run${whichPass(run.actual.frames, q.frame)}`;
      return { text: `What is ${code(q.name)} ${when}?`, line, name: q.name };
    }
    case "next_line": {
      const line = run.actual.frames[q.frame]?.line ?? null;
      const after = line === null ? `step ${q.frame + 1}` : `line ${line}${whichPass(run.actual.frames, q.frame)}`;
      return { text: `Which line runs after ${after}?`, line, name: null };
    }
    case "return":
      return { text: call === "the program" ? "What does the program end with?" : `What does ${subject} return?`, line: null, name: null };
    case "halts":
      return { text: `Does ${subject} finish?`, line: null, name: null };
  }
}

/** The answer of a finished (or stopped) run to a `return` or `halts` question. */
function endOf(q: Extract<Question, { kind: "return" | "halts" }>, status: CanonicalTrace["status"] | PredictedTrace["status"], result: string | null, error: string | null, whyNone: string): Expected {
  if (q.kind === "halts") {
    if (status === "returned" || status === "raised") return { kind: "yesno", yes: true };
    return { kind: "none", why: whyNone };
  }
  if (status === "returned" && result !== null) return { kind: "literal", repr: result };
  if (status === "raised" && error !== null) return { kind: "exception", type: exceptionTypeOfError(error), message: error };
  return { kind: "none", why: whyNone };
}

export function realExpected(q: Question, actual: CanonicalTrace): Expected {
  switch (q.kind) {
    case "value": {
      const v = actual.frames[q.frame]?.locals?.[q.name];
      return v === undefined ? { kind: "none", why: `${q.name} is not set at that step` } : { kind: "literal", repr: v };
    }
    case "next_line": {
      const next = actual.frames[q.frame + 1];
      return next && next.line !== null ? { kind: "line", line: next.line } : { kind: "none", why: "nothing runs after that step" };
    }
    case "return":
    case "halts": {
      // A budget can only show the run did not end within it: "no" would claim a proof.
      if (q.kind === "halts" && (actual.status === "step_limit" || actual.status === "time_limit")) return { kind: "yesno", yes: false };
      return endOf(q, actual.status, actual.result, actual.error, stoppedWhy(actual));
    }
  }
}

function stoppedWhy(actual: CanonicalTrace): string {
  if (actual.status === "step_limit") return "the run was stopped by the step budget before it ended";
  if (actual.status === "time_limit") return "the run was stopped by the time budget before it ended";
  return actual.error ? `the run failed: ${actual.error}` : "the run did not end";
}

/** The predicted frame the alignment pairs with real frame `a`, or null when the model skipped it. */
function alignedFrame(actual: CanonicalTrace, predicted: PredictedTrace, a: number): number | null {
  return pairsOf(actual, predicted).get(a) ?? null;
}

// A slide asks several questions of one pair of traces: align them once.
const pairCache = new WeakMap<CanonicalTrace, WeakMap<PredictedTrace, Map<number, number>>>();

function pairsOf(actual: CanonicalTrace, predicted: PredictedTrace): Map<number, number> {
  let byPrediction = pairCache.get(actual);
  if (!byPrediction) pairCache.set(actual, (byPrediction = new WeakMap()));
  let pairs = byPrediction.get(predicted);
  if (!pairs) {
    pairs = new Map();
    for (const row of compareTraces(actual, predicted).alignment.rows) if (row.kind === "match") pairs.set(row.a, row.p);
    byPrediction.set(predicted, pairs);
  }
  return pairs;
}

export function modelExpected(q: Question, actual: CanonicalTrace, predicted: PredictedTrace): Expected {
  switch (q.kind) {
    case "value":
    case "next_line": {
      const p = alignedFrame(actual, predicted, q.frame);
      if (p === null) return { kind: "none", why: "the model's trace never reaches this step" };
      if (q.kind === "value") {
        const v = predicted.frames[p].locals?.[q.name];
        return v === undefined ? { kind: "none", why: `the model has no ${q.name} at this step` } : { kind: "literal", repr: v };
      }
      const next = predicted.frames[p + 1];
      if (!next) return { kind: "none", why: "the model's trace ends at this step" };
      return next.line === null ? { kind: "none", why: "the model's next line is not in the program" } : { kind: "line", line: next.line };
    }
    case "halts":
      // A prediction cut at its token budget was still going: the model's "no" for a loop.
      if (predicted.status === "incomplete" && predicted.finish === "length") return { kind: "yesno", yes: false };
      return endOf(q, predicted.status, predicted.result, predicted.error, "the prediction was cut short");
    case "return":
      return endOf(q, predicted.status, predicted.result, predicted.error, predicted.finish === "length" ? "the model was still running when its token budget ran out" : "the prediction was cut short");
  }
}

export function expectedText(e: Expected): string {
  switch (e.kind) {
    case "literal":
      return e.repr;
    case "line":
      return `line ${e.line}`;
    case "yesno":
      return e.yes ? "yes" : "no";
    case "exception":
      return e.message;
    case "none":
      return e.why;
  }
}

/** The texts the sandbox must parse to score `answer` against these expectations. */
export function textsToNormalise(answer: string, ...expected: Expected[]): string[] {
  const out = new Set<string>();
  if (expected.some((e) => e.kind === "literal" || e.kind === "exception")) out.add(answer.trim());
  for (const e of expected) if (e.kind === "literal") out.add(e.repr.trim());
  out.delete("");
  return [...out];
}

/** The repr Python would give the literal `text`, when the sandbox parsed it. */
function reprOf(text: string, norm: Normalised): string | null {
  return norm.get(text.trim()) ?? null;
}

const YES = /^(y|yes|true|halts|finishes|ends|it does)$/i;
const NO = /^(n|no|false|never|loops|runs forever|it does not|it doesn't)$/i;

export function yesNoOf(answer: string): boolean | null {
  const t = answer.trim().replace(/[.!]+$/, "");
  if (YES.test(t)) return true;
  if (NO.test(t)) return false;
  return null;
}

/** "4", "line 4", "L4" → 4. */
export function lineOf(answer: string): number | null {
  const m = /^\s*(?:line\s*|l\s*)?(\d{1,7})\s*$/i.exec(answer);
  return m ? Number(m[1]) : null;
}

/** The same value: equal reprs when both parse as literals, else equal trimmed text (addresses ignored). */
function sameLiteral(answer: string, repr: string, norm: Normalised): boolean {
  const a = reprOf(answer, norm);
  const e = reprOf(repr, norm) ?? repr.trim();
  if (a !== null) return a === e;
  return normaliseValue(answer.trim()) === normaliseValue(repr.trim());
}

/** Whether `answer` denotes what `e` expects; null when there is nothing to score against. */
export function scoreAnswer(answer: string, e: Expected, norm: Normalised): boolean | null {
  if (answer.trim() === "") return e.kind === "none" ? null : false;
  switch (e.kind) {
    case "none":
      return null;
    case "literal":
      return sameLiteral(answer, e.repr, norm);
    case "line":
      return lineOf(answer) === e.line;
    case "yesno":
      return yesNoOf(answer) === e.yes;
    case "exception": {
      // "ValueError", "ValueError: bad", "ValueError('bad')" all name the type raised.
      const t = answer.trim();
      return exceptionTypeOfError(t) === e.type && (t.length === exceptionTypeOfError(t).length || /^[\w.]+\s*[:(]/.test(t));
    }
  }
}

/**
 * The model's verdict against reality: null when reality has no answer; a model with no answer
 * where reality has one (its trace never reached the step, or was cut short) is wrong.
 */
export function scoreModel(real: Expected, model: Expected, norm: Normalised): boolean | null {
  if (real.kind === "none") return null;
  if (model.kind === "none") return false;
  return scoreAnswer(expectedText(model), real, norm);
}

/**
 * The group an answer falls in for a histogram: answers that score alike for a value group
 * together ("[1,2]" and "[1, 2]"), lines by number, yes/no by meaning; anything else by its
 * trimmed text.
 */
export function answerKey(answer: string, kind: Question["kind"], norm: Normalised): string {
  const t = answer.trim();
  if (kind === "next_line") {
    const n = lineOf(t);
    return n === null ? t : `line ${n}`;
  }
  if (kind === "halts") {
    const yes = yesNoOf(t);
    return yes === null ? t : yes ? "yes" : "no";
  }
  return reprOf(t, norm) ?? t;
}
