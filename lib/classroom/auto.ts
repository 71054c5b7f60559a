/**
 * `--questions auto`: a few questions worth asking about one program, picked from its real
 * trace and, when there is one, where the model's prediction first goes wrong. Pure: the CLI
 * runs it, tests pin it on real CRUXEval programs and recorded CWM generations.
 */
import { compareTraces } from "@/lib/compare/compare";
import type { AlignRow } from "@/lib/compare/align";
import { normaliseCode } from "@/lib/cwm/program";
import { questionProblem, type Question } from "@/lib/storage/lesson-schema";
import type { CanonicalTrace, Frame, PredictedTrace } from "@/lib/trace/schema";

/** More than this and a slide turns into a quiz; the teacher can always add more by hand. */
export const AUTO_MAX_QUESTIONS = 4;

export interface AutoInput {
  code: string;
  actual: CanonicalTrace;
  predicted?: PredictedTrace | null;
}

/** Questions about the entry wrapper (`def main():`, `return f(…)`) teach nothing. */
function userLines(code: string): number {
  return normaliseCode(code).split("\n").length;
}

function isUserLine(f: Frame, n: number): boolean {
  return f.event === "line" && f.line !== null && f.line >= 1 && f.line <= n;
}

/**
 * Where the model first goes wrong, as a question on the real trace: a value question on a
 * local whose value differs there, else "which line runs next" just before the paths part.
 */
function divergenceQuestion(actual: CanonicalTrace, predicted: PredictedTrace, n: number): Question | null {
  const frames = actual.frames;
  const rows = compareTraces(actual, predicted).alignment.rows;
  let lastMatched = -1;
  for (const row of rows) {
    if (row.kind === "match" && row.same) {
      lastMatched = row.a;
      continue;
    }
    const q = questionAt(row, frames, lastMatched, n);
    if (q) return q;
    // A difference in the wrapper or on a frame that allows no question: the next one may.
    if (row.kind === "match" || row.kind === "delete") lastMatched = row.a;
  }
  return null;
}

function questionAt(row: AlignRow, frames: readonly Frame[], lastMatched: number, n: number): Question | null {
  if (row.kind === "match") {
    const f = frames[row.a];
    const differing = row.diffs.filter((d) => d.kind !== "extra").map((d) => d.name);
    // Ask about the value the model got wrong; a parameter the model copied right is no question.
    const name = differing.find((k) => f.locals && Object.hasOwn(f.locals, k));
    if (name && isUserLine(f, n)) return { kind: "value", frame: row.a, name };
    if (row.value && row.a > 0 && isUserLine(frames[row.a - 1], n)) return { kind: "next_line", frame: row.a - 1 };
    return null;
  }
  // The model took another path: ask which line follows the last frame both agree on.
  const before = lastMatched;
  if (before >= 0 && before + 1 < frames.length && isUserLine(frames[before], n)) return { kind: "next_line", frame: before };
  return null;
}

/**
 * The middle visit of the most visited line in the user's code (a loop body), asking for a
 * local that changed since the previous visit: the accumulator a learner must simulate.
 */
function midLoopQuestion(frames: readonly Frame[], n: number): Question | null {
  const visits = new Map<number, number[]>();
  frames.forEach((f, i) => {
    if (!isUserLine(f, n)) return;
    const list = visits.get(f.line!);
    if (list) list.push(i);
    else visits.set(f.line!, [i]);
  });
  // A loop header is visited once more than its body, but the body is where values change.
  const header = (list: number[]) => /^\s*(?:for|while|async\s+for)\b/.test(frames[list[0]].source);
  let best: number[] | null = null;
  for (const list of visits.values()) {
    if (list.length < 2) continue;
    if (!best || (header(best) && !header(list)) || (header(best) === header(list) && list.length > best.length)) best = list;
  }
  if (!best) return null;
  const targets = loopTargets(frames);
  // Not the first visit (nothing to carry over yet): the middle one, at least the second.
  const k = Math.max(1, Math.floor(best.length / 2));
  for (const at of [k, ...best.keys()].filter((x) => x >= 1)) {
    const here = frames[best[at]].locals ?? {};
    const prev = frames[best[at - 1]].locals ?? {};
    const changed = Object.keys(here).filter((name) => prev[name] !== here[name]);
    // Prefer what the body computes (an accumulator) to what a `for` header hands out: the
    // loop variable is the easy one.
    const computed = changed.filter((name) => !targets.has(name));
    const name = computed[computed.length - 1] ?? changed[changed.length - 1];
    if (name) return { kind: "value", frame: best[at], name };
  }
  return null;
}

/**
 * Without a loop: the last value the program computed before it returns (the last user line
 * whose locals changed since the previous one), so straight-line code gets a question too.
 */
function computedValueQuestion(frames: readonly Frame[], n: number): Question | null {
  let prev: Frame | null = null;
  let found: Question | null = null;
  frames.forEach((f, i) => {
    if (!isUserLine(f, n)) return;
    const here = f.locals ?? {};
    const before = prev?.locals ?? {};
    const changed = prev ? Object.keys(here).filter((k) => before[k] !== here[k]) : [];
    if (changed.length > 0) found = { kind: "value", frame: i, name: changed[changed.length - 1] };
    prev = f;
  });
  return found;
}

const FOR_HEADER = /^\s*(?:async\s+)?for\s+(.+?)\s+in\s/;

/** Names bound by `for … in` headers (comprehensions included) in the traced lines. */
function loopTargets(frames: readonly Frame[]): Set<string> {
  const names = new Set<string>();
  for (const f of frames) {
    for (const part of f.source.split(/\bfor\b/).slice(1)) {
      const m = FOR_HEADER.exec(`for${part}`);
      if (m) for (const id of m[1].match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) names.add(id);
    }
  }
  return names;
}

/** The call's result (or its exception) when it ended; "does it finish?" when a budget stopped it. */
function endQuestion(actual: CanonicalTrace): Question {
  return actual.status === "returned" || actual.status === "raised" ? { kind: "return" } : { kind: "halts" };
}

const keyOf = (q: Question) => JSON.stringify(q);

/**
 * At most AUTO_MAX_QUESTIONS, each valid for the real trace: the first divergence (with a
 * prediction), a value mid-loop (else the last value computed), the return value (or halting).
 */
export function autoQuestions({ code, actual, predicted }: AutoInput): Question[] {
  const n = userLines(code);
  const picked: Question[] = [];
  const add = (q: Question | null) => {
    if (!q || picked.length >= AUTO_MAX_QUESTIONS) return;
    if (questionProblem(q, actual.frames) !== null) return;
    if (picked.some((p) => keyOf(p) === keyOf(q))) return;
    picked.push(q);
  };
  if (predicted && predicted.frames.length > 0) add(divergenceQuestion(actual, predicted, n));
  add(midLoopQuestion(actual.frames, n) ?? computedValueQuestion(actual.frames, n));
  add(endQuestion(actual));
  return picked;
}
